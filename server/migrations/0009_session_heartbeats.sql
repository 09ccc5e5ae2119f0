-- Heartline schema, version 9: heartbeat timestamps in a narrow table of their own.
--
-- The latest heartbeat of each open session is written behind, about once a second, by a thread with
-- its own connection (HeartbeatWriter). Written into agent_sessions, each row also rewrote the seed's
-- two indexes that contain last_heartbeat (about 6.5 us a row, 65 ms a second for 10,000 sessions);
-- here a row is its key and two numbers. agent_sessions.last_heartbeat and device_connected (the seed's
-- columns) are brought up to date when the session ends, and readers of an open session take the
-- newer of the two.
CREATE TABLE session_heartbeats (
    session_id       INTEGER NOT NULL PRIMARY KEY,
    last_heartbeat   INTEGER NOT NULL,
    device_connected INTEGER NOT NULL CHECK (device_connected IN (0, 1))
) STRICT;
