/** What the census import's worker and the server share: the column names, the batch size, the messages. */

export const CENSUS_HEADERS: Record<'dni' | 'birthDate' | 'zone', readonly string[]> = {
	dni: ['dni', 'documento', 'nro_dni', 'numero_dni'],
	birthDate: ['fecha_nacimiento', 'nacimiento', 'fecha de nacimiento', 'birth_date', 'birthdate'],
	zone: ['zona', 'zone', 'sector', 'centro_poblado']
};

/** Rows per staging transaction (each a short write lock). */
export const CENSUS_BATCH = 5000;

export interface CensusWorkerInput {
	dbPath: string;
	municipalityId: number;
	/** The uploaded file (plain or gzipped CSV), deleted by the worker when it ends. */
	file: string;
	zones: { id: number; code: string; name: string }[];
	importedAt: number;
}

/**
 * progress: 'staging' counts rows read and checked, 'merging' rows written (unseen) as the next generation.
 * done: sent once the swap committed (the worker then deletes superseded rows before it exits).
 */
export type CensusWorkerMessage =
	| { kind: 'progress'; phase: 'staging' | 'merging'; done: number }
	| {
			kind: 'done';
			rows: number;
			imported: number;
			updated: number;
			/** DNIs in the census after the swap (remembered in census_state: the page shows it without counting) */
			total: number;
			errors: { line: number; code: string }[];
			errorCount: number;
	  }
	| { kind: 'failed'; code: string; detail?: string };
