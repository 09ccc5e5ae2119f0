#pragma once

#include <memory>
#include <vector>

#include <QHash>
#include <QObject>
#include <QString>

#include "CallEngine.h"
#include "sip/SipCallerLine.h"

namespace heartline {

/// Twilio's side of `<Dial><Sip>`: sends each SIP leg's INVITE through the stand-in's SIP domain
/// and reports what comes back to the CallEngine (180 → ringing, 200 → answered and bridged, an
/// error response → busy or failed, BYE → the bridge ends). Legs the engine stops get a CANCEL or
/// a BYE.
///
/// Calls go out on SipCallerLines, one call per line; an idle line of the right transport and
/// SRTP setting is reused, otherwise one more is started. The caller's side plays the caller's
/// audio file, and what the far end sends is kept per leg in recordingsFolder as {CallSid}.wav.
class SipDialer final : public QObject, public SipGateway
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SipDialer)

public:
    struct Setup
    {
        QString folder;      ///< the lines' folders and the recordings
        QString domain;      ///< the SIP domain
        QString proxyUri;    ///< sip:HOST:PORT for UDP and TCP
        QString tlsProxyUri; ///< sip:NAME:PORT for TLS; empty: TLS legs go over TCP
        QString playFile;    ///< the caller's audio (16-bit WAV)
    };

    SipDialer(Setup setup, CallEngine &engine, QObject *parent = nullptr);
    ~SipDialer() override;

    void dial(const SipOffer &offer) override;
    void cancel(const QString &callSid) override;
    void bridgeEnded(const QString &callSid) override;

    /// The recording of what the far end of this SIP leg sent; empty when there is none (yet: it
    /// is complete, and only then available, once the leg has ended).
    [[nodiscard]] QString recordingFile(const QString &legSid) const;
    [[nodiscard]] QString recordingsFolder() const;
    /// While the leg is up: the file its line is recording into (its WAV header is written at the
    /// end), so that a caller can see audio arrive. Empty otherwise.
    [[nodiscard]] QString recordingInProgress(const QString &legSid) const;
    /// Lines started so far (busy or idle).
    [[nodiscard]] int lineCount() const { return static_cast<int>(m_lines.size()); }

private:
    struct PendingDial
    {
        SipOffer offer;
        SipInvite invite;
    };

    SipCallerLine &idleLine(const SipCallerLine::Profile &profile);
    void placeOn(SipCallerLine &line, const PendingDial &dial);
    void onLineReady(SipCallerLine *line);
    void onLineFailed(SipCallerLine *line, const QString &reason);
    void onLineEnded(SipCallerLine *line, const QString &legSid, const SipCallEnd &end, const QString &sipCallId);

    Setup m_setup;
    CallEngine &m_engine;
    std::vector<std::unique_ptr<SipCallerLine>> m_lines;
    QHash<SipCallerLine *, PendingDial> m_waitingForLine; ///< dials on lines still starting
    QHash<QString, SipCallerLine *> m_lineOfLeg;
    QHash<QString, QString> m_recordings; ///< leg → file
};

} // namespace heartline
