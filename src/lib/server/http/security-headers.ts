/**
 * Headers on every response (security review L7). Pages also carry SvelteKit's Content-Security-Policy
 * (svelte.config.js `kit.csp`: scripts from this site or by nonce/hash, no framing, forms post only here).
 * Geolocation stays allowed for this site (the proposal form's "use my location"); camera and microphone are not
 * needed (photos are chosen with a file input).
 */
export const SECURITY_HEADERS: Record<string, string> = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'same-origin',
	'X-Frame-Options': 'DENY',
	'Permissions-Policy': 'camera=(), microphone=(), geolocation=(self), payment=(), usb=(), serial=(), bluetooth=()',
	'Cross-Origin-Opener-Policy': 'same-origin'
};

export function setSecurityHeaders(headers: Headers) {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!headers.has(name)) headers.set(name, value);
}
