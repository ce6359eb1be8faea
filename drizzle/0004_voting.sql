CREATE TABLE `ballot_section` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ballot_id` integer NOT NULL,
	`budget_zone_id` integer,
	`choices` text NOT NULL,
	FOREIGN KEY (`ballot_id`) REFERENCES `ballot`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`budget_zone_id`) REFERENCES `zone`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ballot_section_ballot` ON `ballot_section` (`ballot_id`);--> statement-breakpoint
CREATE TABLE `ballot` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`voter_person_id` integer,
	`channel` text NOT NULL,
	`status` text DEFAULT 'counted' NOT NULL,
	`receipt_hash` text,
	`station_id` integer,
	`batch_id` integer,
	`cast_at` integer NOT NULL,
	`superseded_at` integer,
	`public_id` text,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`voter_person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`station_id`) REFERENCES `station`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ballot_one_counted_per_voter` ON `ballot` (`round_id`,`voter_person_id`) WHERE status = 'counted';--> statement-breakpoint
CREATE UNIQUE INDEX `ballot_seq_per_round` ON `ballot` (`round_id`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `ballot_receipt` ON `ballot` (`receipt_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `ballot_public_id` ON `ballot` (`public_id`);--> statement-breakpoint
CREATE INDEX `ballot_round_status` ON `ballot` (`round_id`,`status`);--> statement-breakpoint
CREATE TABLE `batch_entry` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` integer NOT NULL,
	`entry_no` integer NOT NULL,
	`entered_by_user_id` integer NOT NULL,
	`lines` text NOT NULL,
	`entered_at` integer NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `paper_batch`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entered_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `batch_entry_no` ON `batch_entry` (`batch_id`,`entry_no`);--> statement-breakpoint
CREATE UNIQUE INDEX `batch_entry_official` ON `batch_entry` (`batch_id`,`entered_by_user_id`);--> statement-breakpoint
CREATE TABLE `paper_batch` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`station_id` integer NOT NULL,
	`zone_id` integer,
	`label` text NOT NULL,
	`declared_count` integer NOT NULL,
	`status` text DEFAULT 'keying' NOT NULL,
	`created_by_user_id` integer,
	`created_at` integer NOT NULL,
	`resolved_lines` text,
	`resolved_by_user_id` integer,
	`accepted_at` integer,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`station_id`) REFERENCES `station`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`zone_id`) REFERENCES `zone`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`resolved_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `paper_batch_label` ON `paper_batch` (`round_id`,`station_id`,`label`);--> statement-breakpoint
CREATE TABLE `roll_mark` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`station_id` integer,
	`kind` text NOT NULL,
	`marked_at` integer NOT NULL,
	`marked_by_user_id` integer NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`station_id`) REFERENCES `station`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`marked_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `roll_mark_once` ON `roll_mark` (`round_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `roll_mark_station` ON `roll_mark` (`station_id`);--> statement-breakpoint
CREATE TABLE `station` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`name` text NOT NULL,
	`created_by_user_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `station_name_per_round` ON `station` (`round_id`,`name`);