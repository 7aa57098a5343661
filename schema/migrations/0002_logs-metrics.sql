CREATE TABLE `execution_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` text NOT NULL,
	`function_id` text,
	`level` text NOT NULL,
	`message` text NOT NULL,
	`args` text,
	`sequence` integer NOT NULL,
	`timestamp` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `execution_logs_function_id` ON `execution_logs` (`function_id`,`id`);--> statement-breakpoint
CREATE INDEX `execution_logs_timestamp` ON `execution_logs` (`timestamp`);--> statement-breakpoint
CREATE INDEX `execution_logs_request_id` ON `execution_logs` (`request_id`);--> statement-breakpoint
CREATE TABLE `execution_metrics` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`function_id` text,
	`type` integer NOT NULL,
	`avg_time` real NOT NULL,
	`max_time` real NOT NULL,
	`execution_count` integer NOT NULL,
	`timestamp` integer NOT NULL,
	`rolled_up` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `execution_metrics_type_time` ON `execution_metrics` (`type`,`rolled_up`,`timestamp`);--> statement-breakpoint
CREATE INDEX `execution_metrics_function_time` ON `execution_metrics` (`function_id`,`type`,`timestamp`);