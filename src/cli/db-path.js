import { resolve } from 'node:path';
// Same rule as src/lib/server/db/client.ts, for plain-JS launchers.
export const databasePath = () => resolve((process.env.DATABASE_URL ?? './data/minka.db').replace(/^file:/, ''));
