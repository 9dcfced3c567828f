-- The statements oms runs for POST /api/v1/opportunities on PostgreSQL (captured with
-- log_statement = all): the user touch's read, then the create transaction (customer check, the
-- row, its status record, the hash-chained audit entry and the outbox event).
\set r random(1, 1000000000000)
BEGIN READ ONLY;
SELECT id, name, email, role, employee_id, department, is_active, first_seen_at, last_seen_at FROM users WHERE id = :sm;
COMMIT;
BEGIN;
SELECT id, name, industry, website, description, contact_name, contact_email, contact_phone, is_active, created_by, created_at, updated_at FROM customers WHERE id = :customer;
INSERT INTO opportunities (id, sales_manager_id, created_at, title, description, customer_id, priority, priority_rank, arr_cents, currency, region, requires_physical_presence, allows_remote_work, status, status_before_cancellation, selected_architect_id, updated_at, submitted_at, completed_at, cancelled_at, cancellation_reason, version) VALUES (md5(:client_id || '-' || :r || '-o')::uuid, :sm, now(), 'Bench', 'Created by pgbench', :customer, 'HIGH', 2, 100000, 'USD', 'EMEA', false, true, 'DRAFT', NULL, NULL, now(), NULL, NULL, NULL, NULL, 1);
INSERT INTO status_records (id, opportunity_id, version, from_status, to_status, changed_at, changed_by, reason) VALUES (md5(:client_id || '-' || :r || '-s')::uuid, md5(:client_id || '-' || :r || '-o')::uuid, 1, NULL, 'DRAFT', now(), :sm, NULL);
SELECT last_seq + 1 AS seq, last_hash AS prev FROM audit_head WHERE id = 1 FOR UPDATE \gset
INSERT INTO audit_log (seq, id, at, actor_id, action, entity_type, entity_id, request_id, before, after, prev_hash, hash) VALUES (:seq, md5(:client_id || '-' || :r || '-a')::uuid, now(), :sm, 'opportunity.create', 'opportunity', md5(:client_id || '-' || :r || '-o')::uuid::text, md5(:client_id || '-' || :r || '-q')::uuid::text, NULL, '{"id": "x", "title": "Bench", "status": "DRAFT", "version": 1}', :prev, encode(sha256(convert_to(:prev || :client_id || :r, 'UTF8')), 'hex'));
UPDATE audit_head SET last_seq = :seq, last_hash = encode(sha256(convert_to(:prev || :client_id || :r, 'UTF8')), 'hex') WHERE id = 1;
INSERT INTO outbox_events (id, event_type, aggregate_id, version, occurred_at, actor_id, payload, published_at) VALUES (md5(:client_id || '-' || :r || '-e')::uuid, 'opportunity.created', md5(:client_id || '-' || :r || '-o')::uuid, 1, now(), :sm, '{"version": 1, "actor_id": "sm-1", "event_type": "opportunity.created"}', NULL);
COMMIT;
