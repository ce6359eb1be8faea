/**
 * Voting: web, assisted and paper ballots; the station roll; receipts; turnout; reconciliation.
 *
 * One counted ballot per person: the round's roll (roll.ts) has one row per DNI HMAC, enforced by the database; every
 * path claims it in the ballot's transaction (web, assisted) or when the paper is handed out (paper).
 * Secrecy by construction: ballots carry no person, account, sequence or time, and random ids; receipts live apart
 * with no ballot id; the only link (a web ballot's tag) is keyed by a per-round file and destroyed when the voting
 * window ends (seal.ts). The audit event `ballot.accepted` carries the round and the channel only. Officials get
 * counts only.
 *
 * Entered from outside only through this file; the helpers the files share among themselves stay inside the folder.
 */
export { readBallotForm, roundHeader, type BallotPaper, type BallotProjectView, type BallotSectionView } from './paper';
export {
	newReceiptCode,
	normaliseReceipt,
	receiptHash,
	checkReceipt,
	countedSections,
	assignPublicIds,
	PUBLIC_ID_SLICE,
	type ReceiptStatus
} from './ballots';
export { ballotForVoter, castWebBallot, castWebBallotGrouped, type VoterState } from './web';
export {
	listStations,
	createStation,
	lookUpRoll,
	rollView,
	registerFromCensus,
	markForPaper,
	castAssisted,
	voidWebBallot,
	type RollLookup
} from './station';
export {
	createBatch,
	listBatches,
	batchDetail,
	enterBatch,
	resolveBatch,
	committeeMayResolve,
	batchesForCommittee,
	committeeBatchDetail,
	resolveBatchAsCommittee,
	publicBatches,
	stationStaffPersons,
	forgetBatchKeyers,
	FOUR_EYES_STAFF,
	LATE_BATCH,
	resultVersion,
	type EntryOutcome,
	type ResolveOutcome
} from './batches';
export { turnout, reconciliation } from './counts';
/** The end of the voting window (secrecy step): call it wherever voting ends; reads of an ended round run it lazily. */
export { endVotingWindow, sealIfEnded, sealsSettled, startSeal } from './seal';
/**
 * Publication: the roll becomes counts only (results/publish.ts calls it in its transaction, then starts the scrub of
 * the file in a worker); start-up resumes a scrub a dead process left (hooks.server.ts init).
 */
export { reduceRollToCounts } from './roll';
export { scrubFile, scrubInBackground } from './seal';
/** Start-up: the application's half of migrations 0011-0013 (hooks.server.ts init). */
export { finishVotingMigration } from './legacy';
