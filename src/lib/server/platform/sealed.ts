import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { dniHmac, serverSecret } from './secret';

/**
 * Values kept readable for one legal purpose only (an agent's DNI on the signing copy of the acta): AES-256-GCM under
 * a key derived from the server secret the way DNI HMACs are (HMAC-SHA-256 of a label), one key per purpose, the
 * purpose also bound as associated data. Stored as `v1.<base64url of iv | tag | ciphertext>`. Without the secret the
 * database holds no readable DNI; with a wrong secret opening fails loudly instead of printing garbage.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function keyFor(purpose: string): Buffer {
	return createHmac('sha256', serverSecret())
		.update('sealed-key:' + purpose)
		.digest();
}

export function seal(purpose: string, plain: string): string {
	const iv = randomBytes(IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', keyFor(purpose), iv);
	cipher.setAAD(Buffer.from(purpose, 'utf8'));
	const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
	return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

export function unseal(purpose: string, sealed: string): string {
	const [version, data] = sealed.split('.');
	if (version !== VERSION || !data) throw new Error('sealed value in an unknown format');
	const raw = Buffer.from(data, 'base64url');
	const decipher = createDecipheriv('aes-256-gcm', keyFor(purpose), raw.subarray(0, IV_BYTES));
	decipher.setAAD(Buffer.from(purpose, 'utf8'));
	decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
	return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

const AGENT_DNI = 'agent-dni';

/** How an agent's DNI is stored: its HMAC (look-up, the same as the person's) and its sealed value (signing copy). */
export function sealAgentDni(dni: string): { dniHmac: string; dniSealed: string } {
	return { dniHmac: dniHmac(dni), dniSealed: seal(AGENT_DNI, dni) };
}

/** Only for the signing copy of a legal document (the acta's signature list). */
export function openAgentDni(sealed: string): string {
	return unseal(AGENT_DNI, sealed);
}
