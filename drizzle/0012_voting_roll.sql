CREATE TABLE `receipt` (
	`id` integer PRIMARY KEY NOT NULL,
	`municipality_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`hash` text NOT NULL,
	`status` text DEFAULT 'counted' NOT NULL,
	`tag` text,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `receipt_hash` ON `receipt` (`hash`);--> statement-breakpoint
CREATE INDEX `receipt_tag` ON `receipt` (`round_id`,`tag`);--> statement-breakpoint
CREATE TABLE `roll_entry` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`dni_hmac` text NOT NULL,
	`zone_id` integer,
	`channel` text,
	`day` text,
	`station_id` integer,
	`marked_by_user_id` integer,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`zone_id`) REFERENCES `zone`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`station_id`) REFERENCES `station`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`marked_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `roll_entry_dni_per_round` ON `roll_entry` (`round_id`,`dni_hmac`);--> statement-breakpoint
CREATE INDEX `roll_entry_station` ON `roll_entry` (`station_id`);--> statement-breakpoint
CREATE TABLE `roll_lookup` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`station_id` integer NOT NULL,
	`by_user_id` integer NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`station_id`) REFERENCES `station`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `voting_seal` (
	`round_id` integer PRIMARY KEY NOT NULL,
	`sealed_at` integer NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `web_void` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`station_id` integer,
	`by_user_id` integer NOT NULL,
	`reason` text NOT NULL,
	`day` text NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`station_id`) REFERENCES `station`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
DROP TABLE `roll_mark`;--> statement-breakpoint
-- Rebuilt by hand from drizzle-kit's output: migrations run in one transaction with foreign keys ON (PRAGMA
-- foreign_keys=OFF is a no-op there), so dropping `ballot` while `ballot_section` rows point at it fails. Sections are
-- parked first, the ballot table rebuilt without voter, sequence, times and receipt, then sections restored.
CREATE TABLE `legacy_section_copy` AS SELECT `id`, `ballot_id`, `budget_zone_id`, `choices` FROM `ballot_section`;--> statement-breakpoint
DELETE FROM `ballot_section`;--> statement-breakpoint
DROP TABLE `ballot_section`;--> statement-breakpoint
CREATE TABLE `__new_ballot` (
	`id` integer PRIMARY KEY NOT NULL,
	`municipality_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`channel` text NOT NULL,
	`status` text DEFAULT 'counted' NOT NULL,
	`tag` text,
	`station_id` integer,
	`batch_id` integer,
	`public_id` text,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`station_id`) REFERENCES `station`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_ballot`("id", "municipality_id", "round_id", "channel", "status", "tag", "station_id", "batch_id", "public_id") SELECT "id", "municipality_id", "round_id", "channel", "status", NULL, "station_id", "batch_id", "public_id" FROM `ballot`;--> statement-breakpoint
DROP TABLE `ballot`;--> statement-breakpoint
ALTER TABLE `__new_ballot` RENAME TO `ballot`;--> statement-breakpoint
CREATE UNIQUE INDEX `ballot_one_counted_per_tag` ON `ballot` (`round_id`,`tag`) WHERE status = 'counted';--> statement-breakpoint
CREATE UNIQUE INDEX `ballot_public_id` ON `ballot` (`public_id`);--> statement-breakpoint
CREATE INDEX `ballot_round_status` ON `ballot` (`round_id`,`status`);--> statement-breakpoint
CREATE TABLE `ballot_section` (
	`id` integer PRIMARY KEY NOT NULL,
	`ballot_id` integer NOT NULL,
	`budget_zone_id` integer,
	`choices` text NOT NULL,
	FOREIGN KEY (`ballot_id`) REFERENCES `ballot`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`budget_zone_id`) REFERENCES `zone`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `ballot_section`("id", "ballot_id", "budget_zone_id", "choices") SELECT "id", "ballot_id", "budget_zone_id", "choices" FROM `legacy_section_copy`;--> statement-breakpoint
DROP TABLE `legacy_section_copy`;--> statement-breakpoint
CREATE INDEX `ballot_section_ballot` ON `ballot_section` (`ballot_id`);
