/** Numbers, soles and dates follow Peruvian conventions (es-PE) in both languages. */
const number = new Intl.NumberFormat('es-PE');
const soles = new Intl.NumberFormat('es-PE', { style: 'currency', currency: 'PEN' });
const date = new Intl.DateTimeFormat('es-PE', { dateStyle: 'medium', timeZone: 'America/Lima' });
// 24-hour clock: "p. m." ends in a period that doubles up at the end of a sentence.
const dateTime = new Intl.DateTimeFormat('es-PE', {
	dateStyle: 'medium',
	timeStyle: 'short',
	timeZone: 'America/Lima',
	hourCycle: 'h23'
});
const percent = new Intl.NumberFormat('es-PE', { style: 'percent', maximumFractionDigits: 1 });

export const formatNumber = (n: number) => number.format(n);
export const formatSoles = (cents: number) => soles.format(cents / 100);
export const formatPercent = (ratio: number) => percent.format(ratio);
export const formatDate = (value: string | number | Date) =>
	date.format(
		typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
			? new Date(value + 'T12:00:00-05:00')
			: new Date(value)
	);
export const formatDateTime = (value: string | number | Date) => dateTime.format(new Date(value));
