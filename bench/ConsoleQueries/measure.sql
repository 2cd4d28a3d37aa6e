-- The console's heaviest statements as TaskApi sends them (parameters inlined), timed on the data of seed.sql.
-- Run: psql -d <database> -f measure.sql | grep -E '^(--|Time)'
\timing on
\echo -- GET /overview: tasks by status (ix_tasks_status, index-only)
SELECT status, count(*) FROM tasks GROUP BY status;
\echo -- GET /overview: notification deliveries by status (ix_notification_deliveries_status, index-only)
SELECT status, count(*) FROM notification_deliveries GROUP BY status;
\echo -- GET /overview: SMS messages by status (the mailings kept counts)
SELECT sum(messages_pending::bigint), sum(messages_sent::bigint), sum(messages_failed::bigint), sum(messages_expired::bigint), sum(messages_cancelled::bigint) FROM mailings;
\echo -- GET /overview: emails by status (the campaigns kept counts, and the reports emails)
SELECT sum(messages_pending::bigint), sum(messages_sent::bigint), sum(messages_failed::bigint), sum(messages_cancelled::bigint) FROM campaigns;
SELECT status, count(*) FROM email_messages WHERE campaign_id IS NULL GROUP BY status;
\echo -- GET /overview: finished per minute over the last hour (partial indexes on finished_at, sent_at)
SELECT 0, date_bin('1 minute', finished_at, date_trunc('minute', now()) - interval '59 minutes'), count(*)::int FROM tasks
WHERE finished_at IS NOT NULL AND finished_at >= date_trunc('minute', now()) - interval '59 minutes' GROUP BY 2
UNION ALL SELECT 1, date_bin('1 minute', finished_at, date_trunc('minute', now()) - interval '59 minutes'), count(*)::int FROM sms_messages
WHERE finished_at IS NOT NULL AND finished_at >= date_trunc('minute', now()) - interval '59 minutes' GROUP BY 2
UNION ALL SELECT 2, date_bin('1 minute', finished_at, date_trunc('minute', now()) - interval '59 minutes'), count(*)::int FROM email_messages
WHERE finished_at IS NOT NULL AND finished_at >= date_trunc('minute', now()) - interval '59 minutes' GROUP BY 2
UNION ALL SELECT 3, date_bin('1 minute', sent_at, date_trunc('minute', now()) - interval '59 minutes'), count(*)::int FROM notification_deliveries
WHERE sent_at IS NOT NULL AND sent_at >= date_trunc('minute', now()) - interval '59 minutes' GROUP BY 2;
\echo -- GET /overview: running mailings and campaigns
SELECT id, substring(text, 1, 60), messages_sent, messages_failed FROM mailings WHERE status = 'running' ORDER BY id DESC LIMIT 50;
SELECT id, name, messages_sent, messages_failed FROM campaigns WHERE status = 'sending' ORDER BY id DESC LIMIT 50;
\echo -- GET /tasks?name=job-999 (a rare prefix), then every task 10,000 deep, then the capped count of a common prefix
SELECT * FROM tasks WHERE name LIKE 'job-999%' ORDER BY created_at DESC, id DESC LIMIT 20;
SELECT * FROM tasks WHERE name LIKE 'job-%' ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 9980;
SELECT count(*) FROM (SELECT 1 FROM tasks WHERE name LIKE 'job-9%' LIMIT 10001) t;
\echo -- GET /tasks?createdBy=creator-7&name=job-7
SELECT * FROM tasks WHERE created_by = 'creator-7' AND name LIKE 'job-7%' ORDER BY created_at DESC, id DESC LIMIT 20;
\echo -- POST /mailings/preview: {}, one operator code, one tag, two codes and two tags
SELECT count(*) FROM clients WHERE (cardinality('{}'::bpchar[]) = 0 OR operator_code = ANY('{}'::bpchar[])) AND (cardinality('{}'::varchar[]) = 0 OR tag = ANY('{}'::varchar[]));
SELECT count(*) FROM clients WHERE (cardinality('{900}'::bpchar[]) = 0 OR operator_code = ANY('{900}'::bpchar[])) AND (cardinality('{}'::varchar[]) = 0 OR tag = ANY('{}'::varchar[]));
SELECT count(*) FROM clients WHERE (cardinality('{}'::bpchar[]) = 0 OR operator_code = ANY('{}'::bpchar[])) AND (cardinality('{vip}'::varchar[]) = 0 OR tag = ANY('{vip}'::varchar[]));
SELECT count(*) FROM clients WHERE (cardinality('{900,901}'::bpchar[]) = 0 OR operator_code = ANY('{900,901}'::bpchar[])) AND (cardinality('{vip,trial}'::varchar[]) = 0 OR tag = ANY('{vip,trial}'::varchar[]));
\echo -- GET /campaigns/5/activity?bucket=hour: 500 hours of a 10,000-email campaign
SELECT 0, date_bin('1 hour', sent_at, date_trunc('hour', now()) - interval '499 hours'), count(*)::int FROM email_messages
WHERE campaign_id = 5 AND sent_at IS NOT NULL AND sent_at >= date_trunc('hour', now()) - interval '499 hours' AND sent_at < date_trunc('hour', now()) + interval '1 hour' GROUP BY 2
UNION ALL SELECT 1, date_bin('1 hour', first_opened_at, date_trunc('hour', now()) - interval '499 hours'), count(*)::int FROM email_messages
WHERE campaign_id = 5 AND first_opened_at IS NOT NULL AND first_opened_at >= date_trunc('hour', now()) - interval '499 hours' AND first_opened_at < date_trunc('hour', now()) + interval '1 hour' GROUP BY 2
UNION ALL SELECT 2, date_bin('1 hour', first_clicked_at, date_trunc('hour', now()) - interval '499 hours'), count(*)::int FROM email_messages
WHERE campaign_id = 5 AND first_clicked_at IS NOT NULL AND first_clicked_at >= date_trunc('hour', now()) - interval '499 hours' AND first_clicked_at < date_trunc('hour', now()) + interval '1 hour' GROUP BY 2;
