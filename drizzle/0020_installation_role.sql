ALTER TABLE `user` ADD `installation_admin_at` integer;--> statement-breakpoint
-- Installations older than the role: the active admins of the first municipality hold it (security review M9).
UPDATE `user` SET `installation_admin_at` = CAST(strftime('%s', 'now') AS integer) * 1000
WHERE `disabled_at` IS NULL AND `id` IN (
	SELECT `user_id` FROM `role_grant`
	WHERE `role` = 'admin' AND `revoked_at` IS NULL
		AND `municipality_id` = (SELECT min(`id`) FROM `municipality`)
);
