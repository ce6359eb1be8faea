ALTER TABLE `paper_batch` ADD `resolution_confirmed_by_user_id` integer REFERENCES user(id);--> statement-breakpoint
ALTER TABLE `paper_batch` ADD `pending_resolution` text;