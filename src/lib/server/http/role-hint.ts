import { error, type RequestEvent } from '@sveltejs/kit';
import { isUserError } from '../../domain/errors';
import { roleHint } from '../roles';
import { rolesFor, type Action } from '../platform/policy';

/** A role hint in the reader's language: which role is needed, who grants it, and the roles page for an admin. */
export interface RoleHintText {
	needs: string;
	grantedBy: string;
	link?: { href: string; text: string };
}

/** The hint for roles given as codes (a refusal's `params.roles`, or an action's roles); null when there are none. */
export function roleHintText(event: RequestEvent, roleCodes: readonly string[]): RoleHintText | null {
	const { locals } = event;
	const m = locals.municipality;
	if (!m) return null;
	const h = roleHint(locals.db, m.id, locals.actor, roleCodes);
	if (!h.roles.length) return null;
	const t = locals.t;
	const names = h.roles.map((r) => `«${t(`roles.${r}`)}»`).join(', ');
	return {
		needs: t(h.roles.length === 1 ? 'roleHint.needsOne' : 'roleHint.needsAny', { roles: names }),
		grantedBy: h.selfGrant
			? t('roleHint.selfGrant')
			: h.admins.length
				? t('roleHint.grantedBy', { names: h.admins.join(', ') })
				: t('roleHint.noAdmin'),
		link: h.selfGrant ? { href: `/${m.slug}/admin/roles`, text: t('roleHint.rolesLink') } : undefined
	};
}

/** The hint for a policy action the actor may not perform (for pages that hide a form rather than refuse). */
export const roleHintFor = (event: RequestEvent, action: Action) => roleHintText(event, rolesFor(action));

/**
 * The error page for a UserError: its translated message with its status; a refusal for want of a role also says
 * which role and who in this municipality can grant it (shown by src/routes/+error.svelte).
 */
export function userErrorPage(event: RequestEvent, e: unknown): never {
	if (!isUserError(e)) throw e;
	const message = event.locals.t(`errors.${e.code}`, e.params);
	const codes = e.code === 'forbidden' && typeof e.params.roles === 'string' ? e.params.roles.split(',') : [];
	const hint = codes.length ? roleHintText(event, codes) : null;
	error(e.status, hint ? { message, hint } : { message });
}
