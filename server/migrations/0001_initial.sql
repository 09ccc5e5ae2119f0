-- Heartline schema, version 1.
--
-- Conventions: timestamps are INTEGER milliseconds since the Unix epoch (UTC); booleans are
-- INTEGER 0/1; tables are STRICT so a wrongly typed write fails instead of being stored.
-- Statements end with ';' (the migrator splits on it outside quotes and comments).

-- People who log in: agents, supervisors and admins. Passwords are PBKDF2-SHA256; each row keeps
-- its own salt and iteration count so the default can rise without locking anyone out.
CREATE TABLE users (
    id                  TEXT    NOT NULL PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    display_name        TEXT    NOT NULL,
    role                TEXT    NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
    password_hash       BLOB    NOT NULL,
    password_salt       BLOB    NOT NULL,
    password_iterations INTEGER NOT NULL CHECK (password_iterations > 0),
    disabled            INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
) STRICT;

-- Session tokens, stored only as the SHA-256 of the token the client holds.
CREATE TABLE auth_tokens (
    token_hash BLOB    NOT NULL PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id    TEXT    NOT NULL REFERENCES users (id),
    role       TEXT    NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;
CREATE INDEX auth_tokens_by_user ON auth_tokens (user_id, revoked_at);

-- One row per agent login (the seed's agent session), with the seed's heartbeat fields and the
-- per-agent routing settings.
CREATE TABLE agent_sessions (
    id                   INTEGER NOT NULL PRIMARY KEY,
    agent_id             TEXT    NOT NULL REFERENCES users (id),
    status               TEXT    NOT NULL DEFAULT 'offline' CHECK (status IN ('available', 'away', 'offline')),
    away_reason          TEXT,
    login_at             INTEGER NOT NULL,
    logout_at            INTEGER,
    last_heartbeat       INTEGER,
    device_connected     INTEGER NOT NULL DEFAULT 0 CHECK (device_connected IN (0, 1)),
    max_concurrent_calls INTEGER NOT NULL DEFAULT 1 CHECK (max_concurrent_calls >= 1),
    skills               TEXT    NOT NULL DEFAULT '',
    queues               TEXT    NOT NULL DEFAULT '',
    priority             INTEGER NOT NULL DEFAULT 0,
    wrap_up_seconds      INTEGER NOT NULL DEFAULT 0 CHECK (wrap_up_seconds >= 0),
    max_no_answer        INTEGER NOT NULL DEFAULT 3 CHECK (max_no_answer >= 0)
) STRICT;
-- The seed's two indexes: @@index([lastHeartbeat, deviceConnected, status]) finds expired
-- heartbeats, @@index([agentId, status, logoutAt, lastHeartbeat]) finds an agent's open session.
CREATE INDEX agent_sessions_heartbeat_device_status ON agent_sessions (last_heartbeat, device_connected, status);
CREATE INDEX agent_sessions_agent_status_logout_heartbeat
    ON agent_sessions (agent_id, status, logout_at, last_heartbeat);

-- Audit trail of every status change, by whom (an agent, a supervisor, or 'system').
CREATE TABLE agent_status_changes (
    id          INTEGER NOT NULL PRIMARY KEY,
    agent_id    TEXT    NOT NULL REFERENCES users (id),
    from_status TEXT,
    to_status   TEXT    NOT NULL,
    reason      TEXT,
    changed_by  TEXT    NOT NULL,
    changed_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX agent_status_changes_by_agent ON agent_status_changes (agent_id, changed_at);

-- Calls as Twilio reports them (status callbacks) and as routing assigned them.
CREATE TABLE call_sessions (
    call_sid         TEXT    NOT NULL PRIMARY KEY,
    parent_call_sid  TEXT,
    direction        TEXT    NOT NULL DEFAULT 'inbound',
    from_number      TEXT,
    to_number        TEXT,
    agent_id         TEXT REFERENCES users (id),
    status           TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    answered_at      INTEGER,
    ended_at         INTEGER,
    duration_seconds INTEGER,
    updated_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX call_sessions_by_agent_status ON call_sessions (agent_id, status);
CREATE INDEX call_sessions_by_status ON call_sessions (status, updated_at);

-- Connectivity problems an agent had (stale heartbeat, device lost, socket dropped...).
CREATE TABLE connectivity_issues (
    id        INTEGER NOT NULL PRIMARY KEY,
    agent_id  TEXT    NOT NULL REFERENCES users (id),
    kind      TEXT    NOT NULL,
    opened_at INTEGER NOT NULL,
    closed_at INTEGER,
    detail    TEXT
) STRICT;
CREATE INDEX connectivity_issues_open ON connectivity_issues (agent_id, kind) WHERE closed_at IS NULL;
CREATE INDEX connectivity_issues_by_time ON connectivity_issues (opened_at);

-- Every routing decision: which discovery path ran, every candidate with its score and
-- reasons (JSON array), who was chosen and how long it took.
CREATE TABLE routing_decisions (
    id              INTEGER NOT NULL PRIMARY KEY,
    call_sid        TEXT    NOT NULL,
    path            TEXT    NOT NULL,
    chosen_agent_id TEXT,
    candidates      TEXT    NOT NULL DEFAULT '[]',
    duration_us     INTEGER NOT NULL,
    decided_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX routing_decisions_by_time ON routing_decisions (decided_at);
CREATE INDEX routing_decisions_by_call ON routing_decisions (call_sid);

-- Twilio queues callers wait in when no agent is ready (<Enqueue>name</Enqueue>).
CREATE TABLE queues (
    id               INTEGER NOT NULL PRIMARY KEY,
    name             TEXT    NOT NULL UNIQUE,
    twilio_queue_sid TEXT,
    max_size         INTEGER NOT NULL DEFAULT 100 CHECK (max_size >= 1),
    max_wait_seconds INTEGER NOT NULL DEFAULT 600 CHECK (max_wait_seconds >= 1),
    created_at       INTEGER NOT NULL
) STRICT;

-- One row per caller per stay in a queue. state: waiting, dequeued, abandoned, timed-out,
-- rejected (queue full); result: Twilio's QueueResult when it reports one.
CREATE TABLE queue_members (
    id          INTEGER NOT NULL PRIMARY KEY,
    queue_id    INTEGER NOT NULL REFERENCES queues (id),
    call_sid    TEXT    NOT NULL,
    position    INTEGER NOT NULL CHECK (position >= 1),
    enqueued_at INTEGER NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'waiting',
    result      TEXT,
    agent_id    TEXT REFERENCES users (id),
    left_at     INTEGER,
    wait_ms     INTEGER
) STRICT;
CREATE INDEX queue_members_waiting ON queue_members (queue_id, state, enqueued_at);
CREATE INDEX queue_members_by_call ON queue_members (call_sid);
