ALTER TABLE `batch_entry` ADD `keyer_dni_hmac` text;--> statement-breakpoint
-- Keyings of batches still open in rounds not yet published: the keyer's DNI HMAC as their account holds it now
-- (the best record left; a DNI lost before this migration is not recovered).
UPDATE `batch_entry` SET `keyer_dni_hmac` = (
	SELECT `person`.`dni_hmac` FROM `user` INNER JOIN `person` ON `person`.`id` = `user`.`person_id`
	WHERE `user`.`id` = `batch_entry`.`entered_by_user_id`
) WHERE `batch_id` IN (
	SELECT `paper_batch`.`id` FROM `paper_batch`
	WHERE `paper_batch`.`status` IN ('keying', 'discrepancy')
	AND NOT EXISTS (
		SELECT 1 FROM `result_snapshot`
		WHERE `result_snapshot`.`round_id` = `paper_batch`.`round_id` AND `result_snapshot`.`published_at` IS NOT NULL
	)
);
