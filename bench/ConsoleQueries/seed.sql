-- Fills a migrated tasksdb with 1,000,000 rows in each of tasks, sms_messages, email_messages,
-- notification_deliveries and clients, for measuring the console's queries (GET /overview, POST /mailings/preview,
-- GET /tasks filters, GET /campaigns/{id}/activity). Finished times spread over the last 30 days, about 1 in 500
-- of them in the last hour; each mailing's and campaign's messages are consecutive (sent together, as they are: a
-- campaign's activity chart has points, each status is in each one), the newest in mailing and campaign 1, their start
-- and finish their messages' first and last times; and 1,000 dead letters. Run: psql -v ON_ERROR_STOP=1 -d <database> -f seed.sql
-- (-v rows=N for N rows in each table instead of 1,000,000).
\if :{?rows}
\else
\set rows 1000000
\endif
\timing on
TRUNCATE tasks, sms_messages, email_messages, notification_deliveries, clients, mailings, campaigns, email_templates, dead_letters RESTART IDENTITY;

INSERT INTO tasks (id, name, payload, status, created_at, started_at, finished_at, error, attempts, max_attempts, created_by)
SELECT gen_random_uuid(), 'job-' || (i % 1000), '{}',
       (ARRAY['new','in_progress','success','success','success','success','error','cancelled'])[1 + i % 8],
       now() - (i * interval '2.5 seconds'), now() - (i * interval '2.5 seconds'),
       CASE WHEN i % 8 >= 2 THEN now() - (i * interval '2.5 seconds') END,
       CASE WHEN i % 8 = 6 THEN 'failed' END, 1, 1, 'creator-' || (i % 50)
FROM generate_series(1, :rows) AS i;

INSERT INTO mailings (text, start_at, end_at, operator_codes, tags, status, created_at, times_version,
                      messages_pending, messages_sent, messages_failed, messages_expired, messages_cancelled)
SELECT 'hello', now() - interval '30 days', now() + interval '1 day', '{}', '{}',
       CASE WHEN m <= 3 THEN 'running' ELSE 'finished' END, now() - interval '30 days', 1, 0, 0, 0, 0, 0
FROM generate_series(1, 100) AS m;

INSERT INTO sms_messages (mailing_id, client_id, phone, timezone, status, attempts, dispatch, created_at, sent_at, finished_at)
SELECT 1 + (i - 1) * 100 / :rows, i, '7' || (9000000000 + i), 'UTC',
       (ARRAY['pending','sent','sent','sent','sent','failed','expired','cancelled'])[1 + i % 8], 1, 1,
       now() - (i * interval '2.5 seconds'),
       CASE WHEN i % 8 BETWEEN 1 AND 4 THEN now() - (i * interval '2.5 seconds') END,
       CASE WHEN i % 8 >= 1 THEN now() - (i * interval '2.5 seconds') END
FROM generate_series(1, :rows) AS i;

UPDATE mailings m SET messages_pending = c.pending, messages_sent = c.sent, messages_failed = c.failed,
       messages_expired = c.expired, messages_cancelled = c.cancelled, started_at = c.started, first_sent_at = c.first_sent,
       last_sent_at = c.last_sent, finished_at = CASE WHEN m.status = 'finished' THEN c.finished END
FROM (SELECT mailing_id, count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'sent') AS sent,
             count(*) FILTER (WHERE status = 'failed') AS failed, count(*) FILTER (WHERE status = 'expired') AS expired,
             count(*) FILTER (WHERE status = 'cancelled') AS cancelled, min(created_at) AS started, min(sent_at) AS first_sent,
             max(sent_at) AS last_sent, max(finished_at) AS finished
      FROM sms_messages GROUP BY mailing_id) c
WHERE m.id = c.mailing_id;

-- The template every seeded campaign sends (TaskApi's campaign reconciler reads it for the unfinished ones).
INSERT INTO email_templates (name, subject, html, text, created_at, updated_at)
VALUES ('news', 'News for {{ email }}', '<p>News for {{ email }}</p>', 'News for {{ email }}', now() - interval '31 days', now() - interval '31 days');

INSERT INTO campaigns (name, template_id, list_ids, from_email, message, subject, send_at, status, created_at,
                       messages_pending, messages_sent, messages_failed, messages_cancelled)
SELECT 'campaign ' || c, 1, '{1}', 'news@example.com', '', 'news', now() - interval '30 days',
       CASE WHEN c <= 3 THEN 'sending' ELSE 'sent' END, now() - interval '30 days', 0, 0, 0, 0
FROM generate_series(1, 100) AS c;

INSERT INTO email_messages (campaign_id, email, status, attempts, dispatch, created_at, sent_at, finished_at,
                            opens, first_opened_at, clicks, first_clicked_at)
SELECT 1 + (i - 1) * 100 / :rows, 'r' || i || '@example.com',
       (ARRAY['pending','sent','sent','sent','sent','sent','failed','cancelled'])[1 + i % 8], 1, 1,
       now() - (i * interval '2.5 seconds'),
       CASE WHEN i % 8 BETWEEN 1 AND 5 THEN now() - (i * interval '2.5 seconds') END,
       CASE WHEN i % 8 >= 1 THEN now() - (i * interval '2.5 seconds') END,
       CASE WHEN i % 3 = 0 THEN 1 ELSE 0 END, CASE WHEN i % 3 = 0 THEN now() - (i * interval '2.5 seconds') + interval '1 minute' END,
       CASE WHEN i % 7 = 0 THEN 1 ELSE 0 END, CASE WHEN i % 7 = 0 THEN now() - (i * interval '2.5 seconds') + interval '2 minutes' END
FROM generate_series(1, :rows) AS i;

UPDATE campaigns k SET messages_pending = c.pending, messages_sent = c.sent, messages_failed = c.failed, messages_cancelled = c.cancelled,
       send_at = c.started, started_at = c.started, finished_at = CASE WHEN k.status = 'sent' THEN c.finished END
FROM (SELECT campaign_id, count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'sent') AS sent,
             count(*) FILTER (WHERE status = 'failed') AS failed, count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
             min(created_at) AS started, max(finished_at) AS finished
      FROM email_messages GROUP BY campaign_id) c
WHERE k.id = c.campaign_id;

INSERT INTO notification_deliveries (notification_id, user_id, channel, status, attempts, dispatch, created_at, sent_at)
SELECT 1 + i / 100, 'user-' || i, (ARRAY['email','sms','in_app'])[1 + i % 3],
       (ARRAY['pending','sent','sent','sent','sent','failed','skipped','cancelled'])[1 + i % 8], 1, 1,
       now() - (i * interval '2.5 seconds'),
       CASE WHEN i % 8 BETWEEN 1 AND 4 THEN now() - (i * interval '2.5 seconds') END
FROM generate_series(1, :rows) AS i;

INSERT INTO clients (phone, operator_code, tag, timezone, created_at, updated_at)
SELECT '7' || (9000000000 + i), (ARRAY['900','901','902','903','904','905','906','907','908','909'])[1 + i % 10],
       (ARRAY['', 'vip', 'trial', 'news'])[1 + i % 4], 'UTC', now(), now()
FROM generate_series(1, :rows) AS i;

INSERT INTO dead_letters (topic, kafka_partition, kafka_offset, dead_lettered_at, source_topic, source_partition, source_offset,
                          message_key, message_value, headers, reason, truncated, received_at, state)
SELECT 'tasks.requests.dlq', 0, i, now() - (i * interval '1 minute'), 'tasks.requests', 0, i,
       NULL, convert_to('{"name":"job-' || i || '","payload":{}}', 'UTF8'), '[]',
       'a seeded rejection ' || i, false, now() - (i * interval '1 minute'),
       CASE WHEN i % 4 = 0 THEN 'replayed' ELSE 'waiting' END
FROM generate_series(1, 1000) AS i;

VACUUM ANALYZE tasks, sms_messages, email_messages, notification_deliveries, clients, mailings, campaigns, dead_letters;
