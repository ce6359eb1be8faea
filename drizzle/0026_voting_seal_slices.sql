CREATE TABLE `voting_seal_map` (
	`round_id` integer NOT NULL,
	`tbl` text NOT NULL,
	`old_id` integer NOT NULL,
	`new_id` integer NOT NULL,
	PRIMARY KEY(`tbl`, `old_id`)
);
--> statement-breakpoint
CREATE INDEX `voting_seal_map_round` ON `voting_seal_map` (`round_id`,`tbl`,`new_id`);--> statement-breakpoint
CREATE TABLE `voting_seal_progress` (
	`round_id` integer PRIMARY KEY NOT NULL,
	`stage` text NOT NULL,
	`cursor` integer DEFAULT 0 NOT NULL,
	`started_at` integer NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ballot_round_station` ON `ballot` (`round_id`,`station_id`,`channel`,`status`);--> statement-breakpoint
CREATE INDEX `roll_entry_round_station` ON `roll_entry` (`round_id`,`station_id`,`channel`);