import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { databasePath } from '../db/client';

let cached: string | undefined;

export function secretFilePath(): string {
	return join(dirname(databasePath()), 'minka-secret.key');
}

/** MINKA_SECRET, or one generated into the data folder on first run and reused afterwards. */
export function serverSecret(): string {
	if (cached) return cached;
	if (process.env.MINKA_SECRET) return (cached = process.env.MINKA_SECRET);
	const file = secretFilePath();
	if (!existsSync(file)) {
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
	}
	return (cached = readFileSync(file, 'utf8').trim());
}

/** The only form in which a DNI is stored: HMAC-SHA-256 under the server secret. */
export function dniHmac(dni: string): string {
	return createHmac('sha256', serverSecret())
		.update('dni:' + dni)
		.digest('hex');
}

export function resetSecretCacheForTests() {
	cached = undefined;
}
