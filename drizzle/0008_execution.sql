CREATE TABLE `execution_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`execution_id` integer NOT NULL,
	`kind` text NOT NULL,
	`on_date` text NOT NULL,
	`status` text NOT NULL,
	`status_reason` text,
	`investment_cui` text,
	`budgeted_cents` integer,
	`executed_cents` integer,
	`progress_pct` integer NOT NULL,
	`note` text,
	`recorded_at` integer NOT NULL,
	`recorded_by_user_id` integer,
	FOREIGN KEY (`execution_id`) REFERENCES `project_execution`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `execution_history_execution` ON `execution_history` (`execution_id`);--> statement-breakpoint
CREATE TABLE `execution_milestone` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`execution_id` integer NOT NULL,
	`title` text NOT NULL,
	`due_on` text NOT NULL,
	`done_on` text,
	`note` text,
	`created_at` integer NOT NULL,
	`created_by_user_id` integer,
	FOREIGN KEY (`execution_id`) REFERENCES `project_execution`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `execution_milestone_execution` ON `execution_milestone` (`execution_id`);--> statement-breakpoint
CREATE TABLE `execution_photo` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`milestone_id` integer NOT NULL,
	`file_path` text NOT NULL,
	`sha256` text NOT NULL,
	`mime_type` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`bytes` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`milestone_id`) REFERENCES `execution_milestone`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `execution_photo_milestone` ON `execution_photo` (`milestone_id`);--> statement-breakpoint
CREATE TABLE `execution_setting` (
	`municipality_id` integer PRIMARY KEY NOT NULL,
	`stale_months` integer DEFAULT 6 NOT NULL,
	`response_days` integer DEFAULT 15 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `observation` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`execution_id` integer,
	`text` text NOT NULL,
	`filed_by_user_id` integer NOT NULL,
	`filed_as` text NOT NULL,
	`filer_name` text NOT NULL,
	`attachment_path` text,
	`attachment_sha256` text,
	`attachment_mime` text,
	`status` text DEFAULT 'open' NOT NULL,
	`due_on` text NOT NULL,
	`answer` text,
	`answered_at` integer,
	`answered_by_user_id` integer,
	`closed_at` integer,
	`closed_by_user_id` integer,
	`filed_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`execution_id`) REFERENCES `project_execution`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`filed_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`answered_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `observation_round` ON `observation` (`round_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `observation_seq` ON `observation` (`round_id`,`seq`);--> statement-breakpoint
CREATE TABLE `oversight_member` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`agent_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`term_start` text NOT NULL,
	`term_end` text NOT NULL,
	`added_at` integer NOT NULL,
	`added_by_user_id` integer,
	`removed_at` integer,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `participant_agent`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`added_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `oversight_member_round` ON `oversight_member` (`round_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `oversight_member_agent` ON `oversight_member` (`round_id`,`agent_id`);--> statement-breakpoint
CREATE TABLE `project_execution` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`proposal_id` integer NOT NULL,
	`origin` text NOT NULL,
	`title` text,
	`replaces_proposal_id` integer,
	`parent_execution_id` integer,
	`reason` text,
	`status` text DEFAULT 'priorizado' NOT NULL,
	`status_reason` text,
	`status_since` text NOT NULL,
	`investment_cui` text,
	`budgeted_cents` integer,
	`executed_cents` integer,
	`progress_pct` integer DEFAULT 0 NOT NULL,
	`last_update_on` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`proposal_id`) REFERENCES `proposal`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`replaces_proposal_id`) REFERENCES `proposal`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `project_execution_round` ON `project_execution` (`round_id`);--> statement-breakpoint
CREATE INDEX `project_execution_proposal` ON `project_execution` (`proposal_id`);