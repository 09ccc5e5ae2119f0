#pragma once

#include <map>
#include <memory>

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include "CallEngine.h"

class QWebSocket;

namespace heartline {

class Clock;

/// The voice-client side of the stand-in, in the way the Twilio Voice SDK registers a device: a
/// WebSocket at /voice where clients register an identity and are offered the <Dial><Client>
/// legs addressed to it. Messages are JSON objects with a "type" (docs/twilio-sim.md):
///
///   client → sim: register {token} or {identity}, accept {callSid}, reject {callSid}, hangup {callSid}
///   sim → client: registered {identity}, incoming {callSid, parentCallSid, from, to, params},
///                 connected {callSid}, canceled {callSid}, disconnected {callSid}, error {message}
///
/// With an API key secret configured a client must present an Access Token, verified with
/// heartline_core's verifyAccessToken; without one the stand-in trusts a bare identity (tests, demos).
class VoiceSignaling final : public QObject, public ClientGateway
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VoiceSignaling)

public:
    VoiceSignaling(const SimOptions &options, const Clock &clock, CallEngine &engine, QObject *parent = nullptr);
    ~VoiceSignaling() override;

    /// Takes over an upgraded connection.
    void addConnection(std::unique_ptr<QWebSocket> socket);

    /// Registered connections, of one identity or (empty) of all.
    [[nodiscard]] int registeredCount(const QString &identity = {}) const;
    [[nodiscard]] QStringList identities() const;

    // ClientGateway
    int offer(const ClientOffer &offer) override;
    void cancelOffer(const QString &callSid) override;
    void bridgeEnded(const QString &callSid) override;

private:
    struct Connection
    {
        std::unique_ptr<QWebSocket> socket;
        QString identity; ///< empty until registered
    };
    struct Offer
    {
        QList<quint64> connections; ///< still ringing there
        quint64 acceptedBy = 0;
    };

    void onMessage(quint64 id, const QString &text);
    void onClosed(quint64 id);
    void handleRegister(quint64 id, const QJsonObject &message);
    void handleAnswer(quint64 id, const QString &type, const QString &callSid);
    void send(quint64 id, const QJsonObject &message);
    void sendError(quint64 id, const QString &message);

    const SimOptions &m_options;
    const Clock &m_clock;
    CallEngine &m_engine;
    std::map<quint64, Connection> m_connections;
    QHash<QString, Offer> m_offers;
    quint64 m_nextId = 1;
};

} // namespace heartline
