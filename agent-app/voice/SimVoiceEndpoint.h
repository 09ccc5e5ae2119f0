#pragma once

#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include "client/ReconnectBackoff.h"
#include "voice/VoiceEndpoint.h"

namespace heartline {

class Clock;

/// The voice endpoint over heartline-twilio-sim's voice-client signaling (WebSocket /voice,
/// docs/twilio-sim.md). It registers by identity, the way the stand-in accepts clients when it has
/// no API key secret; a deployment with one needs an Access Token from the server (docs/agent-app.md).
/// Lost connections are re-registered with the same backoff as the server connection.
class SimVoiceEndpoint final : public VoiceEndpoint
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimVoiceEndpoint)

public:
    struct Options
    {
        ReconnectBackoff::Options backoff;
        int pollIntervalMs = 250; ///< how often reconnect deadlines are checked; 0: only by poll()
    };

    SimVoiceEndpoint(QUrl url, const Clock &clock, ReconnectBackoff::JitterSource jitter, Options options,
                     QObject *parent = nullptr);
    ~SimVoiceEndpoint() override;

    void start(const QString &identity) override;
    void stop() override;
    void accept(const QString &callSid) override;
    void decline(const QString &callSid) override;
    void hangup(const QString &callSid) override;
    /// The stand-in's signaling plays a Voice SDK client: the server dials it with <Client>.
    [[nodiscard]] std::optional<VoiceLine> voiceLine() const override { return VoiceLine::Client; }

    /// Reconnects when the backoff delay has passed (called by a timer; tests call it).
    void poll();
    [[nodiscard]] QUrl url() const { return m_url; }
    [[nodiscard]] qint64 reconnectAtMs() const { return m_reconnectAtMs; }

private:
    void connectNow();
    void onMessage(const QString &text);
    void onClosed();
    void send(const QByteArray &message);

    QUrl m_url;
    const Clock &m_clock;
    ReconnectBackoff m_backoff;
    QWebSocket m_socket;
    QTimer m_pollTimer;
    QString m_wantedIdentity; ///< empty when stopped
    qint64 m_reconnectAtMs = 0;
    bool m_waiting = false; ///< a reconnect is scheduled
};

} // namespace heartline
