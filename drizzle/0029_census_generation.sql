CREATE TABLE `census_state` (
	`municipality_id` integer PRIMARY KEY NOT NULL,
	`generation` integer DEFAULT 0 NOT NULL,
	`size` integer NOT NULL,
	`leftovers` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
DROP INDEX `census_dni_per_municipality`;--> statement-breakpoint
ALTER TABLE `census_entry` ADD `generation` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `census_dni_generation` ON `census_entry` (`municipality_id`,`dni_hmac`,`generation`);--> statement-breakpoint
-- Every census already imported is generation 0, active, its size counted once here.
INSERT INTO `census_state` (`municipality_id`, `generation`, `size`, `leftovers`)
	SELECT `municipality_id`, 0, count(*), 0 FROM `census_entry` GROUP BY `municipality_id`;
