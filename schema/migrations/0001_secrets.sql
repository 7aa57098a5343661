CREATE TABLE `secrets` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`value_encrypted` text NOT NULL,
	`comment` text,
	`scope_type` text NOT NULL,
	`scope_ref` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `secrets_name_scope` ON `secrets` (`name`,`scope_type`,`scope_ref`);--> statement-breakpoint
CREATE INDEX `secrets_scope` ON `secrets` (`scope_type`,`scope_ref`);