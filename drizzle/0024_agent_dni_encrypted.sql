ALTER TABLE `participant_agent` ADD `dni_hmac` text;--> statement-breakpoint
ALTER TABLE `participant_agent` ADD `dni_sealed` text;--> statement-breakpoint
CREATE INDEX `participant_agent_dni` ON `participant_agent` (`round_id`,`dni_hmac`);