-- Heartline schema, version 7: which agent is on which call survives a restart. Ringing and
-- answered calls are found by status (call_sessions_by_status); an agent's after-call work by the
-- instant it ends, set when the agent's call ends.
ALTER TABLE call_sessions ADD COLUMN wrap_up_until INTEGER;
CREATE INDEX call_sessions_by_wrap_up ON call_sessions (wrap_up_until) WHERE wrap_up_until IS NOT NULL;
