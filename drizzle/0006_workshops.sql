CREATE TABLE `workshop_attendance` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workshop_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`agent_id` integer,
	`method` text NOT NULL,
	`checked_in_at` integer NOT NULL,
	`checked_in_by_user_id` integer,
	FOREIGN KEY (`workshop_id`) REFERENCES `workshop`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `participant_agent`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`checked_in_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workshop_attendance_person` ON `workshop_attendance` (`workshop_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `workshop_attendance_workshop` ON `workshop_attendance` (`workshop_id`);--> statement-breakpoint
CREATE TABLE `workshop` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`date` text NOT NULL,
	`starts_at` text NOT NULL,
	`place` text NOT NULL,
	`created_by_user_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `workshop_round` ON `workshop` (`round_id`);--> statement-breakpoint
CREATE INDEX `workshop_municipality` ON `workshop` (`municipality_id`,`date`);