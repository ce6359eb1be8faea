// Starts the production server. Migrations are applied when the server opens the database (src/lib/server/db).
import { loadDotEnv } from './env.js';

loadDotEnv();
process.env.PORT ??= '3000';
// 70M: a census of 1,000,000 rows is about 35 MB (the import route refuses more than 64 MB itself).
process.env.BODY_SIZE_LIMIT ??= '70M';
process.env.NODE_ENV ??= 'production';
// Kept-alive connections stay open 65 s (Node's default is 5 s): a phone on a slow link reuses its connection between
// pages instead of a new handshake, and a client that reuses an idle connection just as the server closes it gets a
// reset (seen in CI: ECONNRESET on a GET 5 s after the previous request). Headers must time out after keep-alive.
process.env.KEEP_ALIVE_TIMEOUT ??= '65';
process.env.HEADERS_TIMEOUT ??= '66';
if (!process.env.ORIGIN) process.env.ORIGIN = `http://localhost:${process.env.PORT}`;
const { databasePath } = await import('./db-path.js');
console.log(`Minka: database ${databasePath()}`);
await import('../../build/index.js');
console.log(`Minka: listening on ${process.env.ORIGIN}`);
