CREATE TABLE `municipality` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`ubigeo` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`department` text NOT NULL,
	`province` text NOT NULL,
	`default_locale` text DEFAULT 'es' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `municipality_slug_unique` ON `municipality` (`slug`);--> statement-breakpoint
CREATE UNIQUE INDEX `municipality_ubigeo_unique` ON `municipality` (`ubigeo`);--> statement-breakpoint
CREATE TABLE `zone` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `zone_code_per_municipality` ON `zone` (`municipality_id`,`code`);--> statement-breakpoint
CREATE INDEX `zone_municipality` ON `zone` (`municipality_id`);--> statement-breakpoint
CREATE TABLE `password_reset` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`code_hash` text NOT NULL,
	`channel` text NOT NULL,
	`issued_by_user_id` integer,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `password_reset_code_hash_unique` ON `password_reset` (`code_hash`);--> statement-breakpoint
CREATE TABLE `person` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`full_name` text NOT NULL,
	`dni_hmac` text,
	`pending_dni_hmac` text,
	`birth_date` text,
	`gender` text,
	`language` text,
	`phone` text,
	`email` text,
	`zone_id` integer,
	`verified_at` integer,
	`verified_method` text,
	`verified_by_user_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`zone_id`) REFERENCES `zone`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `person_dni_per_municipality` ON `person` (`municipality_id`,`dni_hmac`);--> statement-breakpoint
CREATE INDEX `person_municipality` ON `person` (`municipality_id`);--> statement-breakpoint
CREATE TABLE `rate_limit` (
	`key` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	`window_ends_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `role_grant` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`role` text NOT NULL,
	`granted_by_user_id` integer,
	`granted_at` integer NOT NULL,
	`revoked_by_user_id` integer,
	`revoked_at` integer,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `role_grant_user` ON `role_grant` (`user_id`);--> statement-breakpoint
CREATE TABLE `session` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `session_user` ON `session` (`user_id`);--> statement-breakpoint
CREATE TABLE `user` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`email` text,
	`password_hash` text NOT NULL,
	`locale` text,
	`privacy_consent_at` integer NOT NULL,
	`privacy_notice_version` text NOT NULL,
	`disabled_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_person` ON `user` (`person_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `user_email_per_municipality` ON `user` (`municipality_id`,`email`);--> statement-breakpoint
CREATE TABLE `census_entry` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`dni_hmac` text NOT NULL,
	`birth_date` text NOT NULL,
	`zone_id` integer,
	`imported_at` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`zone_id`) REFERENCES `zone`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `census_dni_per_municipality` ON `census_entry` (`municipality_id`,`dni_hmac`);--> statement-breakpoint
CREATE TABLE `audit_event` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`at` text NOT NULL,
	`actor_user_id` integer,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`payload_hash` text NOT NULL,
	`personal` integer NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_seq_per_municipality` ON `audit_event` (`municipality_id`,`seq`);