#pragma once

#include <memory>

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include "FreePort.h"
#include "HttpTestClient.h"
#include "ServerProcess.h"
#include "SipDomainFixture.h"
#include "SipPeer.h"
#include "TestCertificates.h"

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

/// A floor whose agents are dialed over SIP, for the tests that run the real programs: heartline-server
/// with SIP_DOMAIN set and heartline-twilio-sim playing that domain over TLS, on a fresh database with
/// agents (password "<id>-password") and the supervisor "sue" made with the admin CLI, everything in one
/// temporary folder. The checks read what a supervisor and the stand-in's /control API show.
class SipFloor
{
public:
    inline static const QString Domain = QStringLiteral("heartline.test");

    /// `callerWav`: the callers' sentence spoken at build time (empty: a tone).
    SipFloor(QString accountSid, QString authToken, QString callerWav)
        : m_accountSid(std::move(accountSid)), m_authToken(std::move(authToken)), m_callerWav(std::move(callerWav))
    { }

    /// The TLS certificates; what went wrong, or an empty string.
    QString prepare()
    {
        if (!m_dir.isValid())
            return m_dir.errorString();
        m_certificates = TestCertificates::make(m_dir.path());
        return m_certificates.error;
    }

    /// A fresh database with `agents` and sue, then the stand-in and the server (with `settings` in
    /// their environment); what went wrong, or an empty string.
    QString start(const QStringList &agents, const QList<QPair<QString, QString>> &settings)
    {
        stop();
        QFile::remove(databasePath());
        m_environment = QProcessEnvironment::systemEnvironment();
        m_environment.insert(QStringLiteral("TWILIO_ACCOUNT_SID"), m_accountSid);
        m_environment.insert(QStringLiteral("TWILIO_AUTH_TOKEN"), m_authToken);
        m_environment.insert(QStringLiteral("PASSWORD_ITERATIONS"), QStringLiteral("1000"));
        for (const auto &[key, value] : settings)
            m_environment.insert(key, value);
        for (const QString &id : agents) {
            if (!runCli({QStringLiteral("user"), QStringLiteral("add"), id, QStringLiteral("--role"),
                         QStringLiteral("agent")},
                        (id + QStringLiteral("-password\n")).toUtf8()))
                return QStringLiteral("cannot add the agent ") + id;
        }
        if (!runCli({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("sue"), QStringLiteral("--role"),
                     QStringLiteral("supervisor")},
                    "sue-password\n"))
            return QStringLiteral("cannot add the supervisor");
        // The SIP keys come with the edge host (startSipFloor): the CLI above checks the configuration too.
        const QString problem
            = startSipFloor({Domain, m_accountSid, m_authToken, databasePath(), m_certificates.certificateFile,
                             m_certificates.privateKeyFile, voiceFile(m_callerWav, m_dir.path(), 660)},
                            m_environment, m_sim, m_server);
        if (!problem.isEmpty())
            return problem;
        m_supervisorToken = login(QStringLiteral("sue")).value(QStringLiteral("token")).toString().toLatin1();
        return m_supervisorToken.isEmpty() ? QStringLiteral("the supervisor cannot log in") : QString();
    }

    void stop()
    {
        m_server.reset();
        m_sim.reset();
    }

    /// The login answer of `id` (password "<id>-password").
    QJsonObject login(const QString &id)
    {
        return HttpTestClient(m_server->baseUrl())
            .postJson(QStringLiteral("/api/auth/login"),
                      QJsonObject {{QStringLiteral("userId"), id},
                                   {QStringLiteral("password"), QString(id + QStringLiteral("-password"))}})
            .json();
    }

    /// The agent as a supervisor sees it (GET /api/agents).
    QJsonObject agent(const QString &id)
    {
        HttpTestClient http(m_server->baseUrl());
        http.setBearerToken(m_supervisorToken);
        const QJsonArray agents
            = http.get(QStringLiteral("/api/agents")).json().value(QStringLiteral("agents")).toArray();
        for (const QJsonValue &agent : agents) {
            if (agent[QStringLiteral("agentId")].toString() == id)
                return agent.toObject();
        }
        return {};
    }

    /// A caller dials the office number; its CallSid.
    QString placeCall()
    {
        return HttpTestClient(m_sim->baseUrl())
            .postJson(QStringLiteral("/control/calls"),
                      QJsonObject {{QStringLiteral("from"), QStringLiteral("+15017122661")},
                                   {QStringLiteral("to"), QStringLiteral("+15558675310")}})
            .json()
            .value(QStringLiteral("callSids"))
            .toArray()
            .first()
            .toString();
    }

    /// A call as the stand-in's /control/calls/{sid}[suffix] shows it.
    QJsonObject call(const QString &sid, const QString &suffix = {})
    {
        return HttpTestClient(m_sim->baseUrl()).get(QStringLiteral("/control/calls/") + sid + suffix).json();
    }

    bool callHasEvent(const QString &sid, const QString &fragment)
    {
        for (const QJsonValue &event : call(sid).value(QStringLiteral("events")).toArray()) {
            if (event[QStringLiteral("detail")].toString().contains(fragment))
                return true;
        }
        return false;
    }

    [[nodiscard]] QUrl serverUrl() const { return m_server->baseUrl(); }
    [[nodiscard]] StandIn &sim() { return *m_sim; }
    [[nodiscard]] const TestCertificates &certificates() const { return m_certificates; }
    [[nodiscard]] QString folder() const { return m_dir.path(); }

private:
    QString databasePath() const { return m_dir.filePath(QStringLiteral("heartline.db")); }

    bool runCli(const QStringList &arguments, const QByteArray &input)
    {
        const ProcessResult result
            = runProcess(ServerProcess::binary(), QStringList {QStringLiteral("--db"), databasePath()} + arguments,
                         input, m_environment);
        if (result.exitCode != 0)
            qWarning() << arguments << result.standardError;
        return result.exitCode == 0;
    }

    QString m_accountSid;
    QString m_authToken;
    QString m_callerWav;
    QTemporaryDir m_dir;
    TestCertificates m_certificates;
    QProcessEnvironment m_environment;
    std::unique_ptr<StandIn> m_sim;
    std::unique_ptr<ServerProcess> m_server;
    QByteArray m_supervisorToken;
};

} // namespace heartline::test
