import { describe, it, expect } from 'vitest';
import { loadTranslator } from '../../i18n';
import { COUNCIL_COLUMNS, WORKSHOP_COLUMNS, csvColumns, readme } from './auditor-zip';
import { PROPOSALS_COLUMNS, RESULTS_COLUMNS } from './exports';
import { EXECUTION_CSV_COLUMNS, OBSERVATION_CSV_COLUMNS } from '../execution';

const ALL = [
	...COUNCIL_COLUMNS,
	...WORKSHOP_COLUMNS,
	...RESULTS_COLUMNS,
	...PROPOSALS_COLUMNS,
	...EXECUTION_CSV_COLUMNS,
	...OBSERVATION_CSV_COLUMNS
];

describe('open-data README: a bilingual dictionary of every CSV column', () => {
	it('every column of every public CSV has a meaning in Spanish and in Quechua', async () => {
		for (const locale of ['es', 'qu'] as const) {
			const t = await loadTranslator(locale);
			const missing = ALL.filter((c) => t(`execution.zip.columns.${c}`) === `execution.zip.columns.${c}`);
			expect(missing, locale).toEqual([]);
		}
	});
	it('the README lists each CSV column in both languages, and the municipal budget by name', async () => {
		const [tEs, tQu] = [await loadTranslator('es'), await loadTranslator('qu')];
		const body = '\uFEFF' + RESULTS_COLUMNS.join(',') + '\r\n';
		expect(csvColumns(body)).toEqual(RESULTS_COLUMNS);
		const text = readme(
			[
				{ name: 'results.csv', describe: 'resultsCsv', body },
				{ name: 'municipal.pb', describe: 'pb', params: { budget: null, rule: 'greedy', ties: 'cost' }, body: '' }
			],
			{ id: 1, slug: 'x', ubigeo: '080101', name: 'Cusco' },
			{ es: 'Proceso 2027', qu: 'Proceso 2027 (qu)' },
			tEs,
			tQu,
			new Date('2026-12-01T15:00:00Z')
		);
		expect(text).toContain('    selected: financiado (yes/no)');
		expect(text).toContain('    selected: qullqichasqa (yes = arí, no = manam)');
		expect(text).toContain('«municipal»');
		expect(text).toContain('«llapan distrito»');
		expect(text).toContain('Proceso 2027 (qu)');
		expect(text).toContain("llevan un apóstrofo delante (')");
		expect(text).toContain("ñawpaqninpi apóstrofoyuqmi (')");
		expect(text).not.toContain('execution.zip.');
		expect(text).not.toMatch(/\d{4}-\d\d-\d\dT/);
	});
});
