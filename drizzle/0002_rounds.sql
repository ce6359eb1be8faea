CREATE TABLE `round_budget` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`zone_id` integer,
	`amount_cents` integer NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`zone_id`) REFERENCES `zone`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `round_budget_zone` ON `round_budget` (`round_id`,`zone_id`);--> statement-breakpoint
CREATE INDEX `round_budget_round` ON `round_budget` (`round_id`);--> statement-breakpoint
CREATE TABLE `round_phase` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`phase` text NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `round_phase_unique` ON `round_phase` (`round_id`,`phase`);--> statement-breakpoint
CREATE TABLE `round` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`fiscal_year` integer NOT NULL,
	`title_es` text NOT NULL,
	`title_qu` text,
	`description_es` text,
	`description_qu` text,
	`ordinance_number` text,
	`ordinance_date` text,
	`ordinance_file_path` text,
	`ordinance_sha256` text,
	`budget_cents` integer NOT NULL,
	`phase` text DEFAULT 'preparacion' NOT NULL,
	`phase_changed_at` integer,
	`rules` text NOT NULL,
	`rules_frozen_at` integer,
	`rules_frozen_sha256` text,
	`cloned_from_round_id` integer,
	`created_by_user_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `round_municipality` ON `round` (`municipality_id`,`fiscal_year`);--> statement-breakpoint
CREATE TABLE `scoring_criterion` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`code` text NOT NULL,
	`name_es` text NOT NULL,
	`name_qu` text,
	`kind` text NOT NULL,
	`measure` text DEFAULT 'judgement' NOT NULL,
	`weight` real DEFAULT 1 NOT NULL,
	`bands` text NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scoring_criterion_code` ON `scoring_criterion` (`round_id`,`code`);--> statement-breakpoint
CREATE TABLE `participant_agent` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`organisation` text NOT NULL,
	`dni` text,
	`accreditation_doc_path` text,
	`accreditation_sha256` text,
	`has_vote` integer NOT NULL,
	`gender` text,
	`language` text,
	`registered_at` integer NOT NULL,
	`registered_by_user_id` integer,
	`withdrawn_at` integer,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`registered_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `participant_agent_person` ON `participant_agent` (`round_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `participant_agent_round` ON `participant_agent` (`round_id`);--> statement-breakpoint
CREATE TABLE `criterion_score` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`proposal_id` integer NOT NULL,
	`criterion_id` integer NOT NULL,
	`scorer_kind` text NOT NULL,
	`scorer_key` text NOT NULL,
	`agent_id` integer,
	`scorer_user_id` integer,
	`advisory` integer NOT NULL,
	`value` integer NOT NULL,
	`entered_by_user_id` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`proposal_id`) REFERENCES `proposal`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`criterion_id`) REFERENCES `scoring_criterion`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `participant_agent`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`scorer_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entered_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `criterion_score_unique` ON `criterion_score` (`proposal_id`,`criterion_id`,`scorer_key`);--> statement-breakpoint
CREATE INDEX `criterion_score_round` ON `criterion_score` (`round_id`);--> statement-breakpoint
CREATE TABLE `proposal_photo` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`proposal_id` integer NOT NULL,
	`file_path` text NOT NULL,
	`sha256` text NOT NULL,
	`mime_type` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`bytes` integer NOT NULL,
	`position` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`proposal_id`) REFERENCES `proposal`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `proposal_photo_proposal` ON `proposal_photo` (`proposal_id`);--> statement-breakpoint
CREATE TABLE `proposal` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`zone_id` integer,
	`author_person_id` integer NOT NULL,
	`filed_by_user_id` integer,
	`original_locale` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`translated_title` text,
	`translated_description` text,
	`translated_by_user_id` integer,
	`translated_at` integer,
	`category` text NOT NULL,
	`estimated_cost_cents` integer NOT NULL,
	`adjusted_cost_cents` integer,
	`beneficiaries` integer NOT NULL,
	`latitude` real,
	`longitude` real,
	`status` text DEFAULT 'submitted' NOT NULL,
	`not_feasible_reason` text,
	`not_feasible_text` text,
	`investment_cui` text,
	`evaluated_by_user_id` integer,
	`evaluated_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`zone_id`) REFERENCES `zone`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`filed_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`translated_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`evaluated_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `proposal_seq_per_round` ON `proposal` (`round_id`,`seq`);--> statement-breakpoint
CREATE INDEX `proposal_round_status` ON `proposal` (`round_id`,`status`);--> statement-breakpoint
CREATE INDEX `proposal_author` ON `proposal` (`author_person_id`);