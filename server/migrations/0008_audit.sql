-- Heartline schema, version 8: who changed what in the system's administration, and when.
-- Written in the same transaction as the change it records, so a change never lands without its
-- row. detail is a JSON object of what changed (never a password).
CREATE TABLE audit_log (
    id     INTEGER NOT NULL PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL DEFAULT '',
    detail TEXT    NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX audit_log_by_time ON audit_log (at);
