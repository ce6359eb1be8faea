import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Loads ./.env (from the folder the command runs in) into process.env, if there is one. adapter-node does not read
 * .env by itself; variables already set in the real environment win over the file (Node's own rule).
 * Returns the file loaded, or null.
 */
export function loadDotEnv(dir = process.cwd()) {
	const file = resolve(dir, '.env');
	if (!existsSync(file)) return null;
	process.loadEnvFile(file);
	return file;
}
