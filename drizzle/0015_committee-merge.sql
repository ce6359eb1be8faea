-- Issue 10, point 2: one Comité de Vigilancia. The acta's list (acta_committee_member: roles) and the observations'
-- list (oversight_member: terms) become committee_member, the union of both: roles from the acta, terms from the
-- observations' list. Every difference resolved is left in committee_merge_diff for the application to record as
-- one audit event per municipality (the chain's hashes are computed in code: finishCommitteeMerge at start-up).
CREATE TABLE `committee_member` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`agent_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`role` text DEFAULT 'member' NOT NULL,
	`term_start` text,
	`term_end` text,
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
CREATE INDEX `committee_member_round` ON `committee_member` (`round_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `committee_member_agent` ON `committee_member` (`round_id`,`agent_id`);--> statement-breakpoint
-- The differences, before the old lists go: in the observations' list only (seated as a plain member, with its
-- term); in the acta only (seated with its role, without a term: no observations until an official gives one);
-- named by the acta but removed from the observations' list (seated with its role, the old term dropped).
CREATE TABLE `committee_merge_diff` AS
SELECT o.municipality_id, o.round_id, o.agent_id, 'onlyInObservations' AS kind, 'member' AS role,
	o.term_start, o.term_end
FROM `oversight_member` o
WHERE o.removed_at IS NULL
	AND NOT EXISTS (SELECT 1 FROM `acta_committee_member` a WHERE a.round_id = o.round_id AND a.agent_id = o.agent_id)
UNION ALL
SELECT r.municipality_id, a.round_id, a.agent_id,
	CASE WHEN o.id IS NULL THEN 'onlyInActa' ELSE 'removedInObservations' END, a.role, NULL, NULL
FROM `acta_committee_member` a JOIN `round` r ON r.id = a.round_id
	LEFT JOIN `oversight_member` o ON o.round_id = a.round_id AND o.agent_id = a.agent_id
WHERE o.id IS NULL OR o.removed_at IS NOT NULL;
--> statement-breakpoint
INSERT INTO `committee_member` (`id`, `municipality_id`, `round_id`, `agent_id`, `person_id`, `role`, `term_start`,
	`term_end`, `added_at`, `added_by_user_id`, `removed_at`)
SELECT o.id, o.municipality_id, o.round_id, o.agent_id, o.person_id, coalesce(a.role, 'member'),
	CASE WHEN a.id IS NOT NULL AND o.removed_at IS NOT NULL THEN NULL ELSE o.term_start END,
	CASE WHEN a.id IS NOT NULL AND o.removed_at IS NOT NULL THEN NULL ELSE o.term_end END,
	o.added_at, o.added_by_user_id, CASE WHEN a.id IS NOT NULL THEN NULL ELSE o.removed_at END
FROM `oversight_member` o
	LEFT JOIN `acta_committee_member` a ON a.round_id = o.round_id AND a.agent_id = o.agent_id;
--> statement-breakpoint
INSERT INTO `committee_member` (`municipality_id`, `round_id`, `agent_id`, `person_id`, `role`, `added_at`,
	`added_by_user_id`)
SELECT r.municipality_id, a.round_id, a.agent_id, pa.person_id, a.role, a.created_at, a.created_by_user_id
FROM `acta_committee_member` a JOIN `round` r ON r.id = a.round_id JOIN `participant_agent` pa ON pa.id = a.agent_id
WHERE NOT EXISTS (SELECT 1 FROM `oversight_member` o WHERE o.round_id = a.round_id AND o.agent_id = a.agent_id)
ORDER BY a.id;
--> statement-breakpoint
DROP TABLE `acta_committee_member`;--> statement-breakpoint
DROP TABLE `oversight_member`;