CREATE TABLE `file_scrub_pending` (
	`id` integer PRIMARY KEY NOT NULL,
	`since` integer NOT NULL
);
--> statement-breakpoint
-- Once, on a database from before this table that has sealed a round or published a result: a seal or a publication
-- whose scrub never ran (the process died between its commit and its VACUUM) left freed secrets; the first start
-- scrubs the file in a worker (voting/seal.ts). A database with neither has nothing to scrub (a new one, above all:
-- its first start would VACUUM for nothing, holding the write lock while the first votes come in).
INSERT INTO `file_scrub_pending` (`id`, `since`)
	SELECT 1, 0 WHERE EXISTS (SELECT 1 FROM `voting_seal`) OR EXISTS (SELECT 1 FROM `result_snapshot` WHERE `published_at` IS NOT NULL);
