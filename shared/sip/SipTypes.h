#pragma once

#include <optional>

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

namespace heartline {

/// How SIP signaling travels between a client and its registrar/proxy.
enum class SipTransport {
    Udp,
    Tcp,
    Tls,
};
/// "udp", "tcp", "tls": the `transport=` URI parameter.
[[nodiscard]] QString sipTransportName(SipTransport transport);

/// SIP header name → value, for custom headers on an INVITE (Twilio passes `X-` headers this way).
using SipHeaders = QMap<QString, QString>;

/// Everything a SipCore needs before it starts. Every path is absolute or relative to the working
/// folder; the core reads and writes nothing outside `folder` and the given audio files.
struct SipCoreConfig
{
    /// This core's own folder: its liblinphone configuration and databases. Two cores never share
    /// one. Created when missing.
    QString folder;
    /// Sent as the User-Agent header.
    QString userAgent = QStringLiteral("Heartline");

    /// Local SIP ports: nullopt keeps a transport off, 0 takes any free port. A transport used by
    /// an account must be on (liblinphone sends TLS only from a TLS listening point).
    std::optional<quint16> udpPort = 0;
    std::optional<quint16> tcpPort = 0;
    std::optional<quint16> tlsPort;

    /// PEM file of the certificate authorities a TLS registrar is checked against; empty: the
    /// system's. liblinphone checks the host name against DNS names only (never an IP address).
    QString tlsCaFile;
    bool tlsVerifyServer = true;

    /// SRTP (SDES, AES_CM_128_HMAC_SHA1_80/_32) offered on every call; mandatory refuses calls
    /// whose other side does not encrypt.
    bool srtp = false;
    bool srtpMandatory = false;

    /// Audio from and to files instead of sound devices (tests, the stand-in's callers): the
    /// 16-bit WAV `playFile` is sent, what is received is written to the WAV `recordFile`.
    bool useAudioFiles = false;
    QString playFile;
    QString recordFile;

    /// Played on the ringer device while a call rings here (WAV). Empty: liblinphone's own ring,
    /// from the Debian package linphone-common, which is often not installed (then nothing rings).
    QString ringFile;

    /// INVITE headers reported with incoming calls (liblinphone reads headers by name only).
    QStringList incomingHeaderNames;

    /// Sound devices are looked for again this often while no call is up (0: only when
    /// requestAudioDevices() is called); a change emits SipCore::audioDevicesChanged.
    int deviceScanIntervalMs = 0;
};

/// An account at a registrar (a Twilio SIP domain's edge, or the stand-in's Kamailio).
struct SipAccount
{
    QString username;
    QString password;
    /// The SIP domain of the identity sip:username@domain and the digest realm.
    QString domain;
    /// Where REGISTER and every request go, e.g. "sip:localhost:5061"; the transport parameter
    /// is set from `transport`.
    QString proxy;
    SipTransport transport = SipTransport::Tls;
    /// Registration lifetime asked for; liblinphone refreshes it before it runs out.
    int expirySeconds = 600;
    /// false: the proxy is only used as the outbound proxy for calls (the stand-in's caller side).
    bool registerEnabled = true;
    QString displayName;
};

enum class SipRegistrationState {
    None,       ///< no account, or one that does not register
    Progress,   ///< REGISTER sent, no final answer yet
    Registered, ///< incoming calls reach this core
    Cleared,    ///< unregistered (expires=0 acknowledged)
    Failed,     ///< refused or unreachable: SipRegistration::statusCode and reason say why
};

struct SipRegistration
{
    SipRegistrationState state = SipRegistrationState::None;
    /// The registrar's SIP status (e.g. 403, 408 when it did not answer); 0 when none applies.
    int statusCode = 0;
    /// The registrar's reason phrase, or liblinphone's words when there was no answer.
    QString reason;

    friend bool operator==(const SipRegistration &, const SipRegistration &) = default;
};

enum class SipCallState {
    Incoming, ///< an INVITE arrived (SipCore::incomingCall carries the details)
    Calling,  ///< our INVITE is on its way
    Ringing,  ///< the other side rings (180/183)
    Connected,
    Ended, ///< final: SipCore::callEnded carries the details
};

/// A call offered to this core.
struct SipCallInfo
{
    QString callId;    ///< the handle SipCore's call methods take
    QString sipCallId; ///< the SIP Call-ID header: the same on both sides of a proxy
    QString remoteUri; ///< who calls, e.g. sip:+15550100@example.sip.twilio.com
    QString localUri;  ///< whom the INVITE is for
    QString remoteDisplayName;
    SipHeaders headers; ///< those named in SipCoreConfig::incomingHeaderNames that were present

    friend bool operator==(const SipCallInfo &, const SipCallInfo &) = default;
};

/// How a call ended.
struct SipCallEnd
{
    enum class By {
        Local,  ///< this core hung up, declined or canceled
        Remote, ///< the other side did (BYE, CANCEL, or an error response to our INVITE)
        Error,  ///< neither: no answer in time, a transport or media failure
    };
    By by = By::Error;
    /// The final response to the INVITE: 200 for a call that was answered, 486 busy/declined,
    /// 404/480 no such user or not registered, 408 no answer in time; 0 when no final response
    /// applies (a CANCEL from either side: `reason` then says what happened).
    int statusCode = 0;
    QString reason;
    bool wasConnected = false;
    int durationSeconds = 0;

    friend bool operator==(const SipCallEnd &, const SipCallEnd &) = default;
};

/// Audio quality of a running call, from RTP/RTCP (values < 0: not known yet; round trip and
/// the remote side's figures need a few RTCP reports).
struct SipCallStats
{
    float jitterMs = -1;           ///< interarrival jitter of what we receive
    float receiveLossPercent = -1; ///< packets lost on their way to us
    float sendLossPercent = -1;    ///< packets of ours the other side reports lost
    float roundTripMs = -1;
    float quality = -1; ///< liblinphone's 0–5 rating averaged over the call (a MOS-like figure)
    float downloadKbps = -1;
    float uploadKbps = -1;
    QString codec; ///< e.g. "opus/48000"
    bool srtp = false;

    friend bool operator==(const SipCallStats &, const SipCallStats &) = default;
};

struct SipAudioDevice
{
    QString id; ///< what SipAudioDeviceSelection takes
    QString name;
    QString driver;
    bool canCapture = false;
    bool canPlay = false;

    friend bool operator==(const SipAudioDevice &, const SipAudioDevice &) = default;
};

/// Which devices a call uses; an empty id keeps liblinphone's default.
struct SipAudioDeviceSelection
{
    QString capture;
    QString playback;
    /// Where incoming calls ring: the speakers while the call itself goes to a headset.
    QString ringer;

    friend bool operator==(const SipAudioDeviceSelection &, const SipAudioDeviceSelection &) = default;
};

} // namespace heartline

Q_DECLARE_METATYPE(heartline::SipRegistration)
Q_DECLARE_METATYPE(heartline::SipCallInfo)
Q_DECLARE_METATYPE(heartline::SipCallEnd)
Q_DECLARE_METATYPE(heartline::SipCallStats)
Q_DECLARE_METATYPE(heartline::SipAudioDevice)
Q_DECLARE_METATYPE(heartline::SipAudioDeviceSelection)
