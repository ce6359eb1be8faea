-- Issue 11, step 1 of 3: keep what the old ballot and roll_mark tables knew about voters, before 0012 drops those
-- columns, so that 0013 can build the round's roll (keyed by DNI HMAC) and keep one counted ballot per DNI.
-- These legacy_* tables are dropped by the application right after (voting/legacy.ts), then the file is VACUUMed.
CREATE TABLE `legacy_vote` AS
SELECT b.id AS old_id, b.municipality_id, b.round_id, b.channel, b.status, b.seq, b.receipt_hash, b.station_id,
	b.cast_at,
	-- A verification moved away (review H3) left the voter without the DNI: follow the move recorded in the audit
	-- trail to the DNI's current holder, so the two ballots of that DNI are found.
	coalesce(p.dni_hmac, (
		SELECT p2.dni_hmac FROM `audit_event` e JOIN `person` p2 ON p2.id = json_extract(e.payload, '$.toPersonId')
		WHERE e.type = 'resident.verificationMoved' AND json_extract(e.payload, '$.fromPersonId') = p.id
		ORDER BY e.seq DESC LIMIT 1)) AS dni_hmac,
	p.zone_id
FROM `ballot` b LEFT JOIN `person` p ON p.id = b.voter_person_id;
--> statement-breakpoint
CREATE TABLE `legacy_roll_mark` AS
SELECT m.round_id, m.kind, m.station_id, m.marked_at, m.marked_by_user_id, p.dni_hmac, p.zone_id
FROM `roll_mark` m JOIN `person` p ON p.id = m.person_id;
