CREATE TABLE `file_scrub_pending` (
	`id` integer PRIMARY KEY NOT NULL,
	`since` integer NOT NULL
);
--> statement-breakpoint
-- Once, on a database from before this table: a seal or a publication whose scrub never ran (the process died between
-- its commit and its VACUUM) left freed secrets; the first start scrubs the file in a worker (voting/seal.ts).
INSERT INTO `file_scrub_pending` (`id`, `since`) VALUES (1, 0);
