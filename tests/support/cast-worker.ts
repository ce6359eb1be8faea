// Child process for the concurrency test: casts N ballots for one voter through a second connection to the same file.
import { openDatabase } from '../../src/lib/server/db/client';
import { castWebBallot } from '../../src/lib/server/voting';

const [file, actorJson, roundId, n, startAt] = process.argv.slice(2);
const a = JSON.parse(actorJson);
const actor = { ...a, roles: new Set<string>() };
const db = openDatabase(file);
// Both workers start casting at the same instant, so their transactions really interleave.
while (Date.now() < Number(startAt ?? 0));
let ok = 0;
for (let i = 0; i < Number(n); i++) {
	castWebBallot(db, actor, actor.municipalityId, Number(roundId), [{ approve: [] }, { approve: [] }]);
	ok++;
}
process.stdout.write(String(ok));
