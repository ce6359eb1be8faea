import { vi } from 'vitest';

// Setup file of the fast loop (vite.config.ts). Test files share a worker (isolate: false), so Node loads
// better-sqlite3, drizzle and the rest of node_modules once per worker instead of once per file, which was most of
// the suite's time. Each file still starts as if alone: the environment as the worker found it (tests set
// MINKA_SECRET, DATABASE_URL, MINKA_UPLOADS…) and our own modules evaluated afresh (the database singleton, the
// secret cache, read caches) and real clocks.
const g = globalThis as { __minkaEnv?: Record<string, string | undefined> };
g.__minkaEnv ??= { ...process.env };
const initial = g.__minkaEnv;
// VITEST_* are the runner's own (worker and pool ids): left as it sets them.
for (const key of Object.keys(process.env)) if (!(key in initial) && !key.startsWith('VITEST')) delete process.env[key];
for (const [key, value] of Object.entries(initial)) if (!key.startsWith('VITEST')) process.env[key] = value;
vi.useRealTimers();
vi.resetModules();
