#include "BareWebSocketServer.h"

#include <cstdio>
#include <vector>

#include <QCoreApplication>
#include <QHostAddress>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;

namespace heartline::bench {

int runBareWebSocketServer(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QWebSocketServer server(u"bare"_s, QWebSocketServer::NonSecureMode);
    if (!server.listen(QHostAddress::LocalHost, 0)) {
        std::fprintf(stderr, "bare WebSocket server: cannot listen on 127.0.0.1\n");
        return 1;
    }
    // As long as heartline-server's: a welcome names the session, an ack the readiness in brief.
    const QString welcome
        = uR"({"type":"welcome","v":1,"agentId":"bare","status":"available","heartbeatIntervalSeconds":30,"serverTimeMs":1767225600000})"_s;
    const QString ack
        = uR"({"type":"ack","v":1,"status":"available","activity":"idle","score":100,"ready":true,"serverTimeMs":1767225600000})"_s;
    std::vector<QWebSocket *> sockets; // kept open, as the server keeps its agents' sockets
    QObject::connect(&server, &QWebSocketServer::newConnection, &server, [&] {
        while (QWebSocket *socket = server.nextPendingConnection()) {
            sockets.push_back(socket);
            QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                             [socket, &ack](const QString &) { socket->sendTextMessage(ack); });
            socket->sendTextMessage(welcome);
        }
    });
    std::printf("bare QWebSocketServer listening on http://127.0.0.1:%u\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}

} // namespace heartline::bench
