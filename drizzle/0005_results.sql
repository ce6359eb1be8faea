CREATE TABLE `result_input` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`snapshot_id` integer NOT NULL,
	`budget_zone_id` integer,
	`file_name` text NOT NULL,
	`pb` text NOT NULL,
	`sha256` text NOT NULL,
	FOREIGN KEY (`snapshot_id`) REFERENCES `result_snapshot`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`budget_zone_id`) REFERENCES `zone`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `result_input_file` ON `result_input` (`snapshot_id`,`file_name`);--> statement-breakpoint
CREATE TABLE `result_snapshot` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`version` integer NOT NULL,
	`engine_version` text NOT NULL,
	`rule` text NOT NULL,
	`ties` text NOT NULL,
	`decision` text NOT NULL,
	`input_hash` text NOT NULL,
	`body` text NOT NULL,
	`computed_at` integer NOT NULL,
	`computed_by_user_id` integer,
	`published_at` integer,
	`published_by_user_id` integer,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `result_version_per_round` ON `result_snapshot` (`round_id`,`version`);--> statement-breakpoint
CREATE INDEX `result_round` ON `result_snapshot` (`round_id`);