CREATE TABLE `amendment` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`round_id` integer,
	`record` text NOT NULL,
	`record_id` integer NOT NULL,
	`field` text NOT NULL,
	`kind` text NOT NULL,
	`previous` text,
	`current` text,
	`reason` text NOT NULL,
	`amended_at` integer NOT NULL,
	`actor_user_id` integer,
	`audit_seq` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `amendment_record` ON `amendment` (`municipality_id`,`record`,`record_id`);--> statement-breakpoint
-- Corrections are history: refuse any UPDATE or DELETE at the database level, like the audit trail.
CREATE TRIGGER amendment_no_update BEFORE UPDATE ON amendment BEGIN SELECT RAISE(ABORT, 'amendment is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER amendment_no_delete BEFORE DELETE ON amendment BEGIN SELECT RAISE(ABORT, 'amendment is append-only'); END;
