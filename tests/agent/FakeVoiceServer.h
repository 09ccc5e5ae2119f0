#pragma once

// A tiny voice server for tests that speaks the Twilio stand-in's voice-client signaling
// (heartline-twilio-sim, WebSocket /voice): it registers identities, offers calls, and records
// every message a client sends, so a test can check that Accept or Hang up reached the voice side.

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

namespace heartline::test {

using namespace Qt::StringLiterals;

class FakeVoiceServer final : public QObject
{
    Q_OBJECT

public:
    FakeVoiceServer() : m_server(QStringLiteral("fake-voice"), QWebSocketServer::NonSecureMode)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                m_clients.append(socket);
                connect(socket, &QWebSocket::textMessageReceived, this,
                        [this, socket](const QString &text) { onMessage(socket, text); });
                connect(socket, &QWebSocket::disconnected, this, [this, socket] {
                    m_clients.removeAll(socket);
                    m_registered.removeAll(socket);
                    socket->deleteLater();
                });
            }
        });
    }

    ~FakeVoiceServer() override
    {
        // The sockets go first, while the lists their handlers touch still exist.
        m_server.disconnect(this);
        const QList<QWebSocket *> clients = m_clients;
        for (QWebSocket *socket : clients) {
            socket->disconnect(this);
            delete socket;
        }
        m_server.close();
    }

    bool listen(quint16 port = 0) { return m_server.listen(QHostAddress::LocalHost, port); }
    void close()
    {
        m_server.close();
        dropClients();
    }
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    [[nodiscard]] QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/voice").arg(port())); }

    /// Refuse registrations with this error message (empty: accept them).
    void setRefusal(const QString &message) { m_refusal = message; }
    [[nodiscard]] int registeredCount() const { return int(m_registered.size()); }
    [[nodiscard]] QString lastIdentity() const { return m_lastIdentity; }
    [[nodiscard]] QList<QJsonObject> received() const { return m_received; }

    /// Sends to every registered client.
    void send(const QJsonObject &message)
    {
        for (QWebSocket *socket : std::as_const(m_registered))
            socket->sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    }
    void offer(const QString &callSid, const QString &parentCallSid, const QString &from, const QString &to)
    {
        send({{u"type"_s, u"incoming"_s},
              {u"callSid"_s, callSid},
              {u"parentCallSid"_s, parentCallSid},
              {u"from"_s, from},
              {u"to"_s, to},
              {u"params"_s, QJsonObject {}}});
    }
    void event(const QString &type, const QString &callSid) { send({{u"type"_s, type}, {u"callSid"_s, callSid}}); }
    void dropClients()
    {
        const QList<QWebSocket *> clients = m_clients;
        for (QWebSocket *socket : clients)
            socket->abort();
    }

    /// The next message of that type a client sent (waiting for it); empty when none came.
    QJsonObject nextOfType(const QString &type, int timeoutMs = 10'000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (true) {
            for (qsizetype i = m_taken; i < m_received.size(); ++i) {
                if (m_received[i].value(u"type"_s).toString() == type) {
                    m_taken = i + 1;
                    return m_received[i];
                }
            }
            if (deadline.hasExpired())
                return {};
            QTest::qWait(10);
        }
    }

private:
    void onMessage(QWebSocket *socket, const QString &text)
    {
        const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
        m_received.append(message);
        if (message.value(u"type"_s).toString() != u"register"_s)
            return;
        auto reply = [socket](const QJsonObject &answer) {
            socket->sendTextMessage(QString::fromUtf8(QJsonDocument(answer).toJson(QJsonDocument::Compact)));
        };
        if (!m_refusal.isEmpty()) {
            reply({{u"type"_s, u"error"_s}, {u"message"_s, m_refusal}});
            return;
        }
        m_lastIdentity = message.value(u"identity"_s).toString();
        if (!m_registered.contains(socket))
            m_registered.append(socket);
        reply({{u"type"_s, u"registered"_s}, {u"identity"_s, m_lastIdentity}});
    }

    QWebSocketServer m_server;
    QList<QWebSocket *> m_clients;
    QList<QWebSocket *> m_registered;
    QList<QJsonObject> m_received;
    qsizetype m_taken = 0;
    QString m_refusal;
    QString m_lastIdentity;
};

} // namespace heartline::test
