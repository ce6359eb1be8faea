import { createHash } from 'node:crypto';
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { BALLOT_METER_SCRIPT } from './src/lib/components/ballot-meter-script.js';

const sha256 = (/** @type {string} */ s) =>
	/** @type {`sha256-${string}`} */ (`sha256-${createHash('sha256').update(s).digest('base64')}`);

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		/**
		 * Content-Security-Policy (security review L7), defence in depth: scripts only from this site, SvelteKit's own
		 * inline start-up script by its hash (mode hash, not nonce: the results and turnout pages are kept rendered by
		 * http/page-cache.ts, and a nonce served again to every reader would be public and reusable by injected
		 * markup), the ballot's inline counters by their hash. Styles allow inline `style` attributes (Svelte writes them for bars and charts). Images and audio
		 * from this site only (photos, QR codes; `data:` for small inline images); the recount's Web Worker from this
		 * site (`blob:` too, as Vite may inline a worker). No plugins, no framing, forms post only here. The other headers
		 * (nosniff, Referrer-Policy, Permissions-Policy…) are set for every response in hooks.server.ts.
		 */
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', sha256(BALLOT_METER_SCRIPT)],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'media-src': ['self'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
