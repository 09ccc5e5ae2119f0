-- Heartline schema, version 3: what routing records beyond the first schema.

-- The queue a decision was made for and which offer of the call it was (1 = first agent tried).
ALTER TABLE routing_decisions ADD COLUMN queue TEXT NOT NULL DEFAULT '';
ALTER TABLE routing_decisions ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1);
CREATE INDEX routing_decisions_by_agent ON routing_decisions (chosen_agent_id, decided_at);

-- Drift between Heartline's view of calls and Twilio's, found and repaired by reconciliation
-- (action: "ended" a call Twilio no longer has in progress, "adopted" one Heartline missed).
CREATE TABLE call_repairs (
    id          INTEGER NOT NULL PRIMARY KEY,
    agent_id    TEXT    NOT NULL,
    call_sid    TEXT    NOT NULL,
    action      TEXT    NOT NULL CHECK (action IN ('ended', 'adopted')),
    repaired_at INTEGER NOT NULL
) STRICT;
CREATE INDEX call_repairs_by_time ON call_repairs (repaired_at);
