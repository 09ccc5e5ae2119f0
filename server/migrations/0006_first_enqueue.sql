-- Heartline schema, version 6: a caller keeps its place in a queue across hand-offs that failed.
-- first_enqueued_at is when the call first joined this queue; a later stay of the same CallSid
-- (the agent was busy, did not answer, the dequeue was refused) copies it, so the order of waiting
-- callers survives both re-enqueues and restarts.
ALTER TABLE queue_members ADD COLUMN first_enqueued_at INTEGER;
UPDATE queue_members SET first_enqueued_at = enqueued_at;
CREATE INDEX queue_members_by_queue_call ON queue_members (queue_id, call_sid);
