CREATE TABLE `council_agreement` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`session_id` integer NOT NULL,
	`year` integer NOT NULL,
	`number` integer NOT NULL,
	`code` text NOT NULL,
	`text` text NOT NULL,
	`decision` text NOT NULL,
	`votes_for` integer,
	`votes_against` integer,
	`votes_abstain` integer,
	`casting_vote_used` integer DEFAULT false NOT NULL,
	`casting_vote` text,
	`outcome` text NOT NULL,
	`created_by_user_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`session_id`) REFERENCES `council_session`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `council_agreement_number` ON `council_agreement` (`municipality_id`,`year`,`number`);--> statement-breakpoint
CREATE INDEX `council_agreement_session` ON `council_agreement` (`session_id`);--> statement-breakpoint
CREATE TABLE `council_attendance` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`status` text NOT NULL,
	`arrived_at` text,
	FOREIGN KEY (`session_id`) REFERENCES `council_session`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `council_member`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `council_attendance_member` ON `council_attendance` (`session_id`,`member_id`);--> statement-breakpoint
CREATE TABLE `council_member` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`role` text NOT NULL,
	`organisation` text,
	`term_start` text NOT NULL,
	`term_end` text NOT NULL,
	`replaces_member_id` integer,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `council_member_municipality` ON `council_member` (`municipality_id`);--> statement-breakpoint
CREATE TABLE `council_session` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`kind` text NOT NULL,
	`date` text NOT NULL,
	`place` text NOT NULL,
	`notice_sent_on` text,
	`notice_channel` text,
	`agenda` text NOT NULL,
	`first_call_at` text NOT NULL,
	`second_call_at` text,
	`attendance_recorded_at` integer,
	`minutes_scan_path` text,
	`minutes_scan_sha256` text,
	`minutes_scan_uploaded_at` integer,
	`created_by_user_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `council_session_municipality` ON `council_session` (`municipality_id`,`date`);--> statement-breakpoint
CREATE TABLE `council_settings` (
	`municipality_id` integer PRIMARY KEY NOT NULL,
	`quorum_fixed` integer,
	`second_call_allowed` integer DEFAULT true NOT NULL,
	`second_call_delay_minutes` integer DEFAULT 30 NOT NULL,
	`second_call_minimum` integer,
	`civil_society_percent` integer DEFAULT 40 NOT NULL,
	`agreement_format` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action
);
