#pragma once

#include <QObject>
#include <QString>

#include "sip/SipCore.h"
#include "sip/SipInvite.h"

namespace heartline {

/// One caller-side telephone line of the stand-in: a SipCore of its own (no registration, every
/// request through the SIP domain's proxy) that carries one call at a time, sends the caller's
/// audio file and records what the far end sends into recordFile().
///
/// A line per call, rather than one core for all: liblinphone records every call of a core into
/// the same file, and a line's transport and SRTP setting are fixed when its core starts.
class SipCallerLine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SipCallerLine)

public:
    /// How this line's calls travel: a `<Sip>` URI's transport and secure parameters.
    struct Profile
    {
        SipTransport transport = SipTransport::Udp;
        bool secureMedia = false;
        friend bool operator==(const Profile &, const Profile &) = default;
    };

    struct Setup
    {
        QString folder;   ///< the line's own folder (its core and its recording)
        QString domain;   ///< the SIP domain: the caller's From is sip:CALLER@domain
        QString proxyUri; ///< sip:HOST:PORT of the domain's proxy for `profile.transport`
        QString playFile; ///< the caller's audio
        Profile profile;
    };

    explicit SipCallerLine(Setup setup, QObject *parent = nullptr);
    ~SipCallerLine() override;

    /// Starts the core: ready() or failed() follows.
    void start();
    [[nodiscard]] bool isReady() const { return m_ready; }
    [[nodiscard]] bool isBusy() const { return !m_legSid.isEmpty(); }
    [[nodiscard]] const Profile &profile() const { return m_setup.profile; }
    /// The leg this line carries now; empty when idle.
    [[nodiscard]] QString legSid() const { return m_legSid; }
    /// What the far end sent during the last call; complete once ended() was emitted.
    [[nodiscard]] QString recordFile() const;

    /// Sends the INVITE for leg `legSid` from `caller` (a number, the From's user part). The line is
    /// busy until ended(). Only on a ready, idle line.
    void place(const QString &legSid, const QString &caller, const SipInvite &invite);
    /// CANCEL while ringing, BYE once answered.
    void hangUp();

Q_SIGNALS:
    void ready();
    void failed(const QString &reason);
    void calling(const QString &legSid, const QString &sipCallId);
    void ringing(const QString &legSid);
    void answered(const QString &legSid);
    /// The line is idle again when this is emitted.
    void ended(const QString &legSid, const heartline::SipCallEnd &end, const QString &sipCallId);

private:
    void onCallState(const QString &handle, SipCallState state);
    void onCallEnded(const QString &handle, const SipCallEnd &end);

    Setup m_setup;
    SipCore m_core;
    bool m_ready = false;
    QString m_legSid;
    QString m_handle;
    QString m_sipCallId;
};

} // namespace heartline
