-- Customer edits (issue 13): PATCH /customers/{id} uses optimistic concurrency like opportunities
-- (ETag "<version>", If-Match). Existing customers start at version 1.
ALTER TABLE customers ADD COLUMN version bigint NOT NULL DEFAULT 1;
