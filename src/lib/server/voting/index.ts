/**
 * Voting: web, assisted and paper ballots; the station roll; receipts; turnout; reconciliation.
 *
 * Secrecy rules kept here: ballot content (ballot_section) names no one; only web ballots carry the voter's person id
 * (for the one-counted-ballot constraint and replacement); the audit event `ballot.accepted` carries the round, the
 * channel and the ballot's sequence number, never the voter or the choices; nothing here logs choices; officials
 * get counts only. Receipts are stored as SHA-256 and answer "counted" or "superseded", never the content.
 *
 * Entered from outside only through this file; the helpers the files share among themselves stay inside the folder.
 */
export { readBallotForm, roundHeader, type BallotPaper, type BallotProjectView, type BallotSectionView } from './paper';
export {
	newReceiptCode,
	normaliseReceipt,
	receiptHash,
	checkReceipt,
	detachVoter,
	countedSections,
	assignPublicIds,
	type ReceiptStatus
} from './ballots';
export { ballotForVoter, castWebBallot, castWebBallotGrouped, type VoterState } from './web';
export {
	listStations,
	createStation,
	lookUpRoll,
	registerFromCensus,
	markForPaper,
	castAssisted,
	type RollLookup
} from './station';
export { createBatch, listBatches, batchDetail, enterBatch, resolveBatch, type EntryOutcome } from './batches';
export { turnout, reconciliation } from './counts';
