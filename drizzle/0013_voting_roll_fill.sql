-- Issue 11, step 3 of 3: ballots get random ids (old ids told the order of casting), the round's roll is built from
-- the old station marks and counted web ballots, one counted ballot per DNI is kept (the station's if the DNI was
-- marked at a station, else its latest web ballot; the rest superseded, each case left in legacy_vote_case for the
-- application to record as an audit event), receipts move to their own table without a ballot id.
PRAGMA defer_foreign_keys = ON;
--> statement-breakpoint
CREATE TABLE `legacy_id_map` (`old_id` integer PRIMARY KEY, `new_id` integer NOT NULL UNIQUE);
--> statement-breakpoint
INSERT INTO `legacy_id_map` SELECT `id`, abs(random()) % 9007199254740991 FROM `ballot`;
--> statement-breakpoint
UPDATE `ballot_section` SET `ballot_id` = (SELECT `new_id` FROM `legacy_id_map` WHERE `old_id` = `ballot_section`.`ballot_id`),
	`id` = abs(random()) % 9007199254740991;
--> statement-breakpoint
UPDATE `ballot` SET `id` = (SELECT `new_id` FROM `legacy_id_map` WHERE `old_id` = `ballot`.`id`);
--> statement-breakpoint
CREATE TABLE `legacy_vote_case` AS
SELECT v.round_id, v.municipality_id, count(*) + (CASE WHEN m.dni_hmac IS NULL THEN 0 ELSE 1 END) AS ballots,
	CASE WHEN m.dni_hmac IS NULL THEN 'web' ELSE m.kind END AS kept
FROM `legacy_vote` v LEFT JOIN `legacy_roll_mark` m ON m.round_id = v.round_id AND m.dni_hmac = v.dni_hmac
WHERE v.channel = 'web' AND v.status = 'counted' AND v.dni_hmac IS NOT NULL
GROUP BY v.round_id, v.dni_hmac
HAVING count(*) + (CASE WHEN m.dni_hmac IS NULL THEN 0 ELSE 1 END) > 1;
--> statement-breakpoint
UPDATE `ballot` SET `status` = 'superseded' WHERE `id` IN (
	SELECT map.new_id FROM `legacy_vote` v JOIN `legacy_id_map` map ON map.old_id = v.old_id
	WHERE v.channel = 'web' AND v.status = 'counted' AND v.dni_hmac IS NOT NULL AND (
		EXISTS (SELECT 1 FROM `legacy_roll_mark` m WHERE m.round_id = v.round_id AND m.dni_hmac = v.dni_hmac)
		OR EXISTS (SELECT 1 FROM `legacy_vote` w WHERE w.round_id = v.round_id AND w.dni_hmac = v.dni_hmac
			AND w.channel = 'web' AND w.status = 'counted' AND w.seq > v.seq)));
--> statement-breakpoint
INSERT INTO `roll_entry` (`round_id`, `dni_hmac`, `zone_id`, `channel`, `day`, `station_id`, `marked_by_user_id`)
SELECT `round_id`, `dni_hmac`, `zone_id`, `kind`, date(`marked_at` / 1000, 'unixepoch', '-5 hours'), `station_id`,
	`marked_by_user_id`
FROM `legacy_roll_mark` WHERE `dni_hmac` IS NOT NULL ORDER BY random();
--> statement-breakpoint
INSERT OR IGNORE INTO `roll_entry` (`round_id`, `dni_hmac`, `zone_id`, `channel`, `day`)
SELECT `round_id`, `dni_hmac`, `zone_id`, 'web', date(max(`cast_at`) / 1000, 'unixepoch', '-5 hours')
FROM `legacy_vote` WHERE `channel` = 'web' AND `status` = 'counted' AND `dni_hmac` IS NOT NULL
GROUP BY `round_id`, `dni_hmac` ORDER BY random();
--> statement-breakpoint
INSERT INTO `receipt` (`id`, `municipality_id`, `round_id`, `hash`, `status`)
SELECT abs(random()) % 9007199254740991, b.municipality_id, b.round_id, v.receipt_hash, b.status
FROM `legacy_vote` v JOIN `legacy_id_map` map ON map.old_id = v.old_id JOIN `ballot` b ON b.id = map.new_id
WHERE v.receipt_hash IS NOT NULL ORDER BY random();
--> statement-breakpoint
-- What the application needs to tag the counted web ballots of rounds still in voting (the key is a file).
CREATE TABLE `legacy_web_tag` AS
SELECT v.round_id, v.dni_hmac, map.new_id AS ballot_id, v.receipt_hash
FROM `legacy_vote` v JOIN `legacy_id_map` map ON map.old_id = v.old_id JOIN `ballot` b ON b.id = map.new_id
WHERE v.channel = 'web' AND b.status = 'counted' AND v.dni_hmac IS NOT NULL;
--> statement-breakpoint
DROP TABLE `legacy_id_map`;
--> statement-breakpoint
DROP TABLE `legacy_vote`;
--> statement-breakpoint
DROP TABLE `legacy_roll_mark`;
