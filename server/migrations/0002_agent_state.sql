-- Heartline schema, version 2: per-agent routing profiles and what a restart needs to restore
-- an agent's status exactly.

-- Routing settings of each agent, kept across sessions (agent_sessions copies the seed's
-- max_concurrent_calls at login so each session row stays a complete record).
CREATE TABLE agent_profiles (
    agent_id             TEXT    NOT NULL PRIMARY KEY REFERENCES users (id),
    max_concurrent_calls INTEGER NOT NULL DEFAULT 1 CHECK (max_concurrent_calls >= 1),
    skills               TEXT    NOT NULL DEFAULT '',
    priority             INTEGER NOT NULL DEFAULT 0,
    wrap_up_seconds      INTEGER NOT NULL DEFAULT 15 CHECK (wrap_up_seconds >= 0),
    max_no_answer        INTEGER NOT NULL DEFAULT 3 CHECK (max_no_answer >= 0)
) STRICT;

-- When the status last changed, and whether the server or a supervisor imposed it (an imposed
-- status is not undone by the agent app's routine heartbeats, only by an explicit choice).
ALTER TABLE agent_sessions ADD COLUMN status_changed_at INTEGER;
ALTER TABLE agent_sessions ADD COLUMN status_sticky INTEGER NOT NULL DEFAULT 0 CHECK (status_sticky IN (0, 1));
