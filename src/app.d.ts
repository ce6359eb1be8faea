import type { TFunction } from 'i18next';
import type { Db } from '$lib/server/db/client';
import type { Actor } from '$lib/server/platform/policy';
import type { Locale } from '$lib/domain/locale';
import type { Municipality } from '$lib/server/municipalities';
import type { SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			db: Db;
			user: SessionUser | null;
			sessionId: string | null;
			/** The logged-in user acting in the municipality of this URL, or null. */
			actor: Actor | null;
			municipality: Municipality | null;
			locale: Locale;
			t: TFunction;
			/** Set by a load whose page depends on the clock too: the hook's page cache must not keep it. */
			noPageCache?: boolean;
		}
		interface Error {
			message: string;
			/** On a refusal for want of a role: which role is needed and who can grant it (translated). */
			hint?: { needs: string; grantedBy: string; link?: { href: string; text: string } };
		}
	}
}

export {};
