#pragma once

namespace heartline::bench {

/// The WebSocket baseline: a QWebSocketServer on 127.0.0.1 that greets each connection with a
/// welcome and answers every text message with a fixed ack of the size heartline-server's acks
/// have, and nothing else. Prints "bare QWebSocketServer listening on http://127.0.0.1:PORT" (as
/// ChildServer expects) and runs until killed. A benchmark re-runs itself with a flag to start it
/// as a child process, measured the same way as the server.
int runBareWebSocketServer(int argc, char **argv);

} // namespace heartline::bench
