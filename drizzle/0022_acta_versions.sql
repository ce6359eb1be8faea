CREATE TABLE `acta_version` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`content` text NOT NULL,
	`content_sha256` text NOT NULL,
	`result_version` integer,
	`issued_at` integer NOT NULL,
	`issued_by_user_id` integer,
	`anchor_seq` integer,
	`anchor_hash` text,
	`withdrawn_at` integer NOT NULL,
	`withdrawn_by_user_id` integer,
	`reason` text NOT NULL,
	`amendment_seq` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issued_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`withdrawn_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `acta_version_round` ON `acta_version` (`round_id`);--> statement-breakpoint
-- Withdrawn acta versions are history: refuse any UPDATE or DELETE at the database level, like the amendments.
CREATE TRIGGER acta_version_no_update BEFORE UPDATE ON acta_version BEGIN SELECT RAISE(ABORT, 'acta_version is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER acta_version_no_delete BEFORE DELETE ON acta_version BEGIN SELECT RAISE(ABORT, 'acta_version is append-only'); END;
