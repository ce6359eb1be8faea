import type { Db } from '../db/client';

/** Each capability's demo data, in dependency order. Returns the names of what was seeded. */
export async function seedAllFeatureDemos(db: Db, municipalityId: number): Promise<string[]> {
	void db;
	void municipalityId;
	return [];
}
