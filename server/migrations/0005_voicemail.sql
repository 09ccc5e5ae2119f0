-- Heartline schema, version 5: messages callers left after waiting too long (queues with voicemail).
CREATE TABLE voicemails (
    id               INTEGER NOT NULL PRIMARY KEY,
    queue            TEXT    NOT NULL,
    call_sid         TEXT    NOT NULL,
    from_number      TEXT    NOT NULL DEFAULT '',
    recording_sid    TEXT    NOT NULL,
    recording_url    TEXT    NOT NULL,
    duration_seconds INTEGER NOT NULL DEFAULT 0,
    recorded_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX voicemails_by_time ON voicemails (recorded_at);
