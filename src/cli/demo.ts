import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { loadDotEnv } from './env.js';

/**
 * npm run demo: a fresh demo database (default ./data/demo.db, never your real one) with a real district,
 * its officials, residents and whatever each capability seeds; then the server on it.
 */
process.env.DATABASE_URL ??= './data/demo.db';
// After the line above, so a DATABASE_URL in .env (the real database) is never the one the demo wipes.
loadDotEnv();
const { databasePath, openDatabase } = await import('../lib/server/db/client');
const path = databasePath();
for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) rmSync(f);
const db = openDatabase(path);
const { seedFoundationDemo, DEMO_PASSWORD } = await import('../lib/server/demo/foundation');
const { municipality, accounts } = await seedFoundationDemo(db);

const seeded: string[] = ['foundation'];
const { seedAllFeatureDemos } = await import('../lib/server/demo/features');
seeded.push(...(await seedAllFeatureDemos(db, municipality.id)));
db.$client.close();

const port = process.env.PORT ?? '3000';
console.log(
	`\nMinka demo: ${municipality.name} (ubigeo ${municipality.ubigeo}) — http://localhost:${port}/${municipality.slug}`
);
console.log(`Demo data: ${seeded.join(', ')}. Password for every account: ${DEMO_PASSWORD}\n`);
console.table(accounts.map((a) => ({ who: a.label, name: a.fullName, 'log in with DNI': a.dni })));
const server = spawn(process.execPath, ['src/cli/start.js'], { stdio: 'inherit', env: process.env });
server.on('exit', (code) => process.exit(code ?? 0));
