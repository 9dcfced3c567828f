-- The statements oms runs for GET /api/v1/opportunities/{id} on PostgreSQL with the cache off
-- (captured with log_statement = all): the user touch's read, then the aggregate's three reads.
BEGIN READ ONLY;
SELECT id, name, email, role, employee_id, department, is_active, first_seen_at, last_seen_at FROM users WHERE id = :sm;
COMMIT;
BEGIN READ ONLY;
SELECT o.id, o.title, o.description, o.customer_id, o.sales_manager_id, o.priority, o.arr_cents, o.currency, o.region, o.requires_physical_presence, o.allows_remote_work, o.status, o.status_before_cancellation, o.selected_architect_id, o.created_at, o.updated_at, o.submitted_at, o.completed_at, o.cancelled_at, o.cancellation_reason, o.version, ps.content, ps.updated_at, t.expected_start_date, t.expected_end_date, t.specific_required_days, t.is_flexible FROM opportunities o LEFT JOIN problem_statements ps ON ps.opportunity_id = o.id LEFT JOIN timelines t ON t.opportunity_id = o.id WHERE o.id = :id;
SELECT id, skill_id, skill_name, skill_type, importance, minimum_proficiency, created_at FROM skill_requirements WHERE opportunity_id = :id ORDER BY created_at, id;
SELECT id, file_name, content_type, size_bytes, object_key, checksum_sha256, uploaded_by, uploaded_at FROM attachments WHERE opportunity_id = :id AND removed_at IS NULL ORDER BY uploaded_at, id;
COMMIT;
