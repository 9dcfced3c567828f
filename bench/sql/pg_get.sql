-- The statements oms runs for GET /api/v1/opportunities/{id} on PostgreSQL with the cache off
-- (captured with log_statement = all): the user touch's read, then the aggregate in one statement
-- (src/storage/repositories/opportunity_repository.cpp, load()).
BEGIN READ ONLY;
SELECT id, name, email, role, employee_id, department, is_active, first_seen_at, last_seen_at FROM users WHERE id = :sm;
COMMIT;
BEGIN READ ONLY;
SELECT o.id, o.title, o.description, o.customer_id, o.sales_manager_id, o.priority, o.arr_cents, o.currency, o.region, o.requires_physical_presence, o.allows_remote_work, o.status, o.status_before_cancellation, o.selected_architect_id, o.created_at, o.updated_at, o.submitted_at, o.completed_at, o.cancelled_at, o.cancellation_reason, o.version, ps.content, ps.updated_at, t.expected_start_date, t.expected_end_date, t.specific_required_days, t.is_flexible, (SELECT json_agg(json_build_array(sr.id, sr.skill_id, sr.skill_name, sr.skill_type, sr.importance, sr.minimum_proficiency, sr.created_at::text) ORDER BY sr.created_at, sr.id) FROM skill_requirements sr WHERE sr.opportunity_id = o.id), (SELECT json_agg(json_build_array(a.id, a.file_name, a.content_type, a.size_bytes::text, a.object_key, a.checksum_sha256, a.uploaded_by, a.uploaded_at::text) ORDER BY a.uploaded_at, a.id) FROM attachments a WHERE a.opportunity_id = o.id AND a.removed_at IS NULL) FROM opportunities o LEFT JOIN problem_statements ps ON ps.opportunity_id = o.id LEFT JOIN timelines t ON t.opportunity_id = o.id WHERE o.id = :id;
COMMIT;
