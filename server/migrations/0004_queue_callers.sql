-- Heartline schema, version 4: who waits in a queue, so a restart can rebuild the queue and the
-- queue panel can show callers by number.
ALTER TABLE queue_members ADD COLUMN from_number TEXT NOT NULL DEFAULT '';
ALTER TABLE queue_members ADD COLUMN to_number TEXT NOT NULL DEFAULT '';
