DROP INDEX `ballot_section_ballot`;--> statement-breakpoint
CREATE INDEX `ballot_section_ballot` ON `ballot_section` (`ballot_id`,`budget_zone_id`);--> statement-breakpoint
DROP INDEX `ballot_round_status`;--> statement-breakpoint
CREATE INDEX `ballot_round_status` ON `ballot` (`round_id`,`status`,`channel`);