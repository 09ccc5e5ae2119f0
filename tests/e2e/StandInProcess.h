#pragma once

#include <memory>

#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <QUrl>

#include "FreePort.h"
#include "ServerProcess.h"
#include "SipDomainFixture.h"

namespace heartline::test {

/// heartline-twilio-sim as a process, with the SIP addresses it prints once its domain runs.
class StandIn
{
public:
    ~StandIn()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate(); // it stops Kamailio and removes its folder
            if (!m_process.waitForFinished(10'000))
                m_process.kill();
            m_process.waitForFinished();
        }
    }

    bool start(const QStringList &arguments)
    {
        static const QRegularExpression http(QStringLiteral("listening on (http://\\S+)"));
        static const QRegularExpression tls(QStringLiteral("SIP domain \\S+ over TLS on sip:(\\S+):(\\d+)"));
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral(HEARTLINE_TWILIO_SIM_BINARY), arguments);
        const bool up = QTest::qWaitFor(
            [&] {
                m_output += QString::fromUtf8(m_process.readAll());
                return tls.match(m_output).hasMatch() || m_process.state() == QProcess::NotRunning;
            },
            SipWaitMs);
        const QRegularExpressionMatch tlsMatch = tls.match(m_output);
        if (!up || !tlsMatch.hasMatch())
            return false;
        m_baseUrl = QUrl(http.match(m_output).captured(1));
        m_tlsHost = tlsMatch.captured(1);
        m_tlsPort = quint16(tlsMatch.captured(2).toUInt());
        return true;
    }

    [[nodiscard]] QUrl baseUrl() const { return m_baseUrl; }
    [[nodiscard]] qint64 pid() const { return m_process.processId(); }
    /// HOST:PORT of the SIP domain over TLS: the server's SIP_EDGE_HOST, the phones' proxy.
    [[nodiscard]] QString tlsEdge() const { return QStringLiteral("%1:%2").arg(m_tlsHost).arg(m_tlsPort); }
    [[nodiscard]] QString output() const { return m_output; }

private:
    QProcess m_process;
    QString m_output;
    QUrl m_baseUrl;
    QString m_tlsHost;
    quint16 m_tlsPort = 0;
};

/// What the stand-in and the server of a SIP floor are started with.
struct SipFloorOptions
{
    QString domain;
    QString accountSid;
    QString authToken;
    QString databasePath;
    QString certificateFile; ///< the SIP domain's TLS certificate and key
    QString privateKeyFile;
    QString callerAudio; ///< the WAV the stand-in's callers say
};

/// heartline-twilio-sim playing Twilio's SIP domain over TLS, and heartline-server dialing agents there
/// (SIP_DOMAIN, SIP_EDGE_HOST and TWILIO_API_BASE_URL are added to `environment`). The stand-in must
/// know the server's address before the server starts; another program may take that port in
/// between, and then both start again on another one. Returns what went wrong, or an empty string.
inline QString startSipFloor(const SipFloorOptions &options, QProcessEnvironment &environment,
                             std::unique_ptr<StandIn> &sim, std::unique_ptr<ServerProcess> &server)
{
    for (int attempt = 1;; ++attempt) {
        const QString serverUrl = QStringLiteral("http://127.0.0.1:%1").arg(freeLoopbackPort());
        server.reset();
        sim = std::make_unique<StandIn>();
        const QStringList arguments {
            QStringLiteral("--listen"),           QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--account-sid"),      options.accountSid,
            QStringLiteral("--auth-token"),       options.authToken,
            QStringLiteral("--voice-url"),        serverUrl + QStringLiteral("/twilio/voice/inbound"),
            QStringLiteral("--status-callback"),  serverUrl + QStringLiteral("/twilio/voice/status"),
            QStringLiteral("--sip-domain"),       options.domain,
            QStringLiteral("--sip-tls-cert"),     options.certificateFile,
            QStringLiteral("--sip-tls-key"),      options.privateKeyFile,
            QStringLiteral("--sip-caller-audio"), options.callerAudio};
        if (!sim->start(arguments))
            return QStringLiteral("heartline-twilio-sim did not start its SIP domain:\n") + sim->output();
        environment.insert(QStringLiteral("TWILIO_API_BASE_URL"), sim->baseUrl().toString());
        environment.insert(QStringLiteral("SIP_DOMAIN"), options.domain);
        environment.insert(QStringLiteral("SIP_EDGE_HOST"), sim->tlsEdge());
        server = std::make_unique<ServerProcess>();
        if (server->start({QStringLiteral("--listen"), serverUrl.mid(7), QStringLiteral("--db"), options.databasePath},
                          environment))
            return {};
        if (attempt >= 5 || !server->output().contains(QStringLiteral("already in use")))
            return QStringLiteral("heartline-server did not start:\n") + server->output();
    }
}

} // namespace heartline::test
