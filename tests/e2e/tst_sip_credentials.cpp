// The agents' SIP credentials, kept by heartline-server at the Twilio stand-in over real REST: the
// Credential List found or created at start and reused after a restart; a new password at every
// login, handed to the app and held by Twilio, but nowhere in the database, the log or /metrics; a
// login that still answers, in bounded time, when Twilio is slow or refuses; two logins of one agent;
// logout revoking the password; agent ids that cannot be SIP usernames.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

#include "EndToEndFixture.h"
#include "SipCredentialStore.h"
#include "protocol/SipCredentials.h"
#include "sip/SipCredentialService.h"
#include "sip/SipPassword.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

constexpr int WaitLimitMs = 10'000; // a limit for a hung test, never a measured duration
const QString ListName = u"Heartline agents"_s;

using Settings = QHash<QString, QString>;

Settings sipSettings(Settings extra = {})
{
    Settings settings {{u"SIP_DOMAIN"_s, u"heartline.test"_s}, {u"SIP_EDGE_HOST"_s, u"127.0.0.1:5061"_s}};
    settings.insert(extra);
    return settings;
}

/// Every message the process logs while a test runs, every category and level included.
class LogCapture final
{
public:
    LogCapture()
    {
        s_lines.clear();
        m_previous = qInstallMessageHandler(&LogCapture::handle);
    }
    ~LogCapture() { qInstallMessageHandler(m_previous); }
    [[nodiscard]] static QString all() { return s_lines.join(u'\n'); }

private:
    static void handle(QtMsgType, const QMessageLogContext &context, const QString &message)
    {
        s_lines.append(QString::fromLatin1(context.category ? context.category : "") + u": "_s + message);
    }
    static inline QStringList s_lines;
    QtMessageHandler m_previous = nullptr;
};

} // namespace

class TestSipCredentials final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<EndToEndFixture> m_fixture;

    bool start(const Settings &settings = sipSettings())
    {
        m_fixture = std::make_unique<EndToEndFixture>();
        if (!m_fixture->start(settings))
            return false;
        return listReady();
    }

    bool listReady()
    {
        SipCredentialService *service = m_fixture->server().sipCredentials();
        return service && QTest::qWaitFor([service] { return service->ready(); }, WaitLimitMs);
    }

    SipCredentialStore &store() { return m_fixture->sim().sipCredentials(); }

    void addAgent(const QString &id)
    {
        QVERIFY(m_fixture->server().users()->add(id, id.toUpper(), Role::Agent, id + u"-password"_s));
    }

    HttpReply login(const QString &id)
    {
        return HttpTestClient(m_fixture->process().baseUrl())
            .postJson(u"/api/auth/login"_s,
                      QJsonObject {{u"userId"_s, id}, {u"password"_s, QString(id + u"-password"_s)}});
    }

    /// The login answer's sip object, read as the agent app reads it.
    static SipCredentials accountOf(const HttpReply &reply)
    {
        const auto account = parseSipCredentials(reply.json().value(u"sip"_s).toObject());
        if (!account)
            qWarning() << "sip object does not parse:" << account.error().message << reply.body;
        return account ? account.value() : SipCredentials {};
    }

    /// What the stand-in's registrar would check the agent's digest against.
    QString passwordAtTwilio(const QString &username)
    {
        for (const SimSipCredential &credential : store().allCredentials()) {
            if (credential.username == username)
                return credential.password;
        }
        return {};
    }

    QByteArray databaseBytes()
    {
        QByteArray bytes;
        const QString path = m_fixture->process().databasePath();
        for (const QString &file : {path, QString(path + u"-wal"_s)}) {
            QFile f(file);
            if (f.open(QIODevice::ReadOnly))
                bytes += f.readAll();
        }
        return bytes;
    }

private Q_SLOTS:
    void cleanup() { m_fixture.reset(); }

    void theListIsCreatedWhenMissingAndReusedAfterARestart()
    {
        QVERIFY(start());
        QCOMPARE(store().lists().size(), 1);
        const QString listSid = store().lists().first()->sid;
        QCOMPARE(store().lists().first()->friendlyName, ListName);
        QCOMPARE(m_fixture->server().sipCredentials()->credentialListSid(), listSid);

        addAgent(u"alice"_s);
        const SipCredentials first = accountOf(login(u"alice"_s));
        QCOMPARE(toString(first.status), u"ready"_s);
        QCOMPARE(store().credentials(listSid).size(), 1);
        const QString credentialSid = store().credentials(listSid).first()->sid;

        // Restarted: the same list, the same credential (its password changed), nothing created twice.
        QVERIFY(m_fixture->restartServer(sipSettings()));
        QVERIFY(listReady());
        QCOMPARE(store().lists().size(), 1);
        QCOMPARE(m_fixture->server().sipCredentials()->credentialListSid(), listSid);
        const SipCredentials second = accountOf(login(u"alice"_s));
        QCOMPARE(toString(second.status), u"ready"_s);
        QCOMPARE(store().credentials(listSid).size(), 1);
        QCOMPARE(store().credentials(listSid).first()->sid, credentialSid);
        QVERIFY(second.password != first.password);
        QCOMPARE(passwordAtTwilio(u"alice"_s), second.password);
    }

    void aListMadeBeforeIsFoundByItsName()
    {
        m_fixture = std::make_unique<EndToEndFixture>();
        // Lists with other names are left alone; of two with the name, the oldest is the one used.
        QVERIFY(m_fixture->start(sipSettings({{u"SIP_CREDENTIAL_LIST"_s, u"Office agents"_s}})));
        QVERIFY(listReady());
        const QString made = m_fixture->server().sipCredentials()->credentialListSid();
        m_fixture->clock().advanceSeconds(60);
        QVERIFY(store().createList(u"Office agents"_s));
        QVERIFY(store().createList(u"Something else"_s));
        QVERIFY(m_fixture->restartServer(sipSettings({{u"SIP_CREDENTIAL_LIST"_s, u"Office agents"_s}})));
        QVERIFY(listReady());
        QCOMPARE(m_fixture->server().sipCredentials()->credentialListSid(), made);
        QCOMPARE(store().lists().size(), 3);
    }

    void eachLoginRotatesThePasswordWhichIsKeptNowhere()
    {
        LogCapture log;
        QVERIFY(start());
        addAgent(u"alice"_s);
        QSignalSpy changed(&store(), &SipCredentialStore::credentialChanged);

        QStringList passwords;
        for (int i = 0; i < 3; ++i) {
            const HttpReply reply = login(u"alice"_s);
            QCOMPARE(reply.status, 200);
            QVERIFY(!reply.json().value(u"token"_s).toString().isEmpty());
            const SipCredentials account = accountOf(reply);
            QCOMPARE(toString(account.status), u"ready"_s);
            QCOMPARE(account.username, u"alice"_s);
            QCOMPARE(account.domain, u"heartline.test"_s);
            QCOMPARE(account.registrar, u"127.0.0.1:5061"_s);
            QCOMPARE(account.transport, u"tls"_s);
            QCOMPARE(account.secureMedia, true);
            QVERIFY2(meetsTwilioPasswordRules(account.password), qPrintable(account.password));
            QVERIFY(!passwords.contains(account.password));
            // Twilio holds exactly the password the app got: its registration will be accepted.
            QCOMPARE(passwordAtTwilio(u"alice"_s), account.password);
            passwords.append(account.password);
        }
        QCOMPARE(changed.size(), 3);

        // A scrape and a checkpoint of the database, then look for any of them anywhere.
        const HttpReply metrics = HttpTestClient(m_fixture->process().baseUrl()).get(u"/metrics"_s);
        QVERIFY(metrics.body.contains("heartline_sip_credential_changes_total{result=\"issued\"} 3"));
        QVERIFY(metrics.body.contains("heartline_sip_credential_list_ready 1"));
        m_fixture->agents().flushHeartbeats();
        const QByteArray database = databaseBytes();
        QVERIFY(database.size() > 0);
        for (const QString &password : std::as_const(passwords)) {
            QVERIFY2(!database.contains(password.toUtf8()), "a SIP password is in the database file");
            QVERIFY2(
                !database.contains(QByteArray(reinterpret_cast<const char *>(password.utf16()), password.size() * 2)),
                "a SIP password is in the database file (UTF-16)");
            QVERIFY2(!LogCapture::all().contains(password), "a SIP password is in the server log");
            QVERIFY2(!metrics.body.contains(password.toUtf8()), "a SIP password is in /metrics");
        }
        // The log did see the changes, so the search above looked at the right lines.
        QVERIFY(LogCapture::all().contains(u"new SIP password for alice"_s));
        QVERIFY(LogCapture::all().contains(u"/Credentials/"_s));
    }

    void aSlowTwilioStillLetsTheLoginAnswer()
    {
        QVERIFY(start(sipSettings({{u"SIP_CREDENTIAL_TIMEOUT_MS"_s, u"300"_s}})));
        addAgent(u"alice"_s);
        QVERIFY(accountOf(login(u"alice"_s)).status == SipCredentials::Status::Ready);
        const QString before = passwordAtTwilio(u"alice"_s);

        // Twilio holds its answers (in the stand-in's simulated time, which the test does not move).
        m_fixture->sim().setRestDelayMs(60'000);
        const HttpReply reply = login(u"alice"_s);
        QCOMPARE(reply.status, 200);
        const QByteArray token = reply.json().value(u"token"_s).toString().toLatin1();
        QVERIFY(!token.isEmpty());
        const SipCredentials account = accountOf(reply);
        QCOMPARE(toString(account.status), u"unavailable"_s);
        QCOMPARE(account.reason, u"Twilio did not confirm the new SIP password within 300 ms"_s);
        QCOMPARE(account.retryAfterSeconds, std::optional<int>(10));
        QCOMPARE(account.domain, u"heartline.test"_s);
        QVERIFY(!reply.json().value(u"sip"_s).toObject().contains(u"password"_s));
        QCOMPARE(m_fixture->sim().heldRestAnswers(), 1);

        // The session works all the same.
        HttpTestClient http(m_fixture->process().baseUrl());
        http.setBearerToken(token);
        QCOMPARE(http.get(u"/api/auth/me"_s).status, 200);

        // Twilio answers late: the change it made reaches nobody, and the app's next ask gets a
        // password Twilio holds.
        m_fixture->sim().setRestDelayMs(0);
        QVERIFY(m_fixture->advance(60'000));
        QVERIFY(QTest::qWaitFor([this] { return m_fixture->sim().heldRestAnswers() == 0; }, WaitLimitMs));
        const QString orphan = passwordAtTwilio(u"alice"_s);
        QVERIFY(orphan != before);
        const HttpReply again = http.post(u"/api/voice/sip-credentials"_s, {});
        QCOMPARE(again.status, 200);
        const SipCredentials retried = accountOf(again);
        QCOMPARE(toString(retried.status), u"ready"_s);
        QVERIFY(retried.password != orphan);
        QCOMPARE(passwordAtTwilio(u"alice"_s), retried.password);
        const HttpReply metrics = HttpTestClient(m_fixture->process().baseUrl()).get(u"/metrics"_s);
        QVERIFY(metrics.body.contains("heartline_sip_credential_changes_total{result=\"timeout\"} 1"));
    }

    void aListDeletedAtTwilioIsMadeAgain()
    {
        QVERIFY(start());
        addAgent(u"alice"_s);
        QVERIFY(accountOf(login(u"alice"_s)).status == SipCredentials::Status::Ready);
        // Someone deletes the list in the Console: the next login is refused by Twilio...
        QVERIFY(!store().deleteList(store().lists().first()->sid));
        const HttpReply refused = login(u"alice"_s);
        QCOMPARE(refused.status, 200);
        const SipCredentials account = accountOf(refused);
        QCOMPARE(toString(account.status), u"unavailable"_s);
        QVERIFY2(account.reason.startsWith(u"Twilio refused"_s), qPrintable(account.reason));
        QVERIFY2(account.reason.contains(u"20404"_s), qPrintable(account.reason));
        // ...and the server finds its list gone and makes a new one, so the login after works.
        QVERIFY(QTest::qWaitFor([this] { return store().lists().size() == 1; }, WaitLimitMs));
        QVERIFY(listReady());
        const SipCredentials next = accountOf(login(u"alice"_s));
        QCOMPARE(toString(next.status), u"ready"_s);
        QCOMPARE(passwordAtTwilio(u"alice"_s), next.password);
    }

    void twoLoginsOfOneAgentLeaveTwilioWithTheLastPassword()
    {
        QVERIFY(start());
        addAgent(u"alice"_s);
        QVERIFY(accountOf(login(u"alice"_s)).status == SipCredentials::Status::Ready); // the credential exists
        QSignalSpy changed(&store(), &SipCredentialStore::credentialChanged);

        // Two apps log in at the same moment (two connections, neither waiting for the other).
        QNetworkAccessManager network;
        QList<QNetworkReply *> replies;
        for (int i = 0; i < 2; ++i) {
            QNetworkRequest request(m_fixture->process().baseUrl().resolved(QUrl(u"/api/auth/login"_s)));
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
            replies.append(network.post(
                request,
                QJsonDocument(QJsonObject {{u"userId"_s, u"alice"_s}, {u"password"_s, u"alice-password"_s}}).toJson()));
        }
        QVERIFY(QTest::qWaitFor([&] { return replies[0]->isFinished() && replies[1]->isFinished(); }, WaitLimitMs));
        QStringList handedOut;
        for (QNetworkReply *reply : replies) {
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
            const auto account
                = parseSipCredentials(QJsonDocument::fromJson(reply->readAll()).object().value(u"sip"_s).toObject());
            QVERIFY(account);
            QCOMPARE(toString(account->status), u"ready"_s);
            handedOut.append(account->password);
            reply->deleteLater();
        }
        QVERIFY(handedOut[0] != handedOut[1]);
        // One change after the other, each the password of one login: Twilio ends with the later one,
        // which is the one handed out last; never a password nobody got.
        QCOMPARE(changed.size(), 2);
        QStringList changedTo {changed.at(0).at(2).toString(), changed.at(1).at(2).toString()};
        QCOMPARE(QSet<QString>(changedTo.begin(), changedTo.end()), QSet<QString>(handedOut.begin(), handedOut.end()));
        QCOMPARE(passwordAtTwilio(u"alice"_s), changedTo.last());
    }

    void logoutRevokesThePassword()
    {
        QVERIFY(start());
        addAgent(u"alice"_s);
        const HttpReply reply = login(u"alice"_s);
        const SipCredentials account = accountOf(reply);
        QCOMPARE(passwordAtTwilio(u"alice"_s), account.password);
        QVERIFY(!m_fixture->agents().ensureSession(u"alice"_s)); // what the app's hello does
        HttpTestClient http(m_fixture->process().baseUrl());
        http.setBearerToken(reply.json().value(u"token"_s).toString().toLatin1());
        QSignalSpy changed(&store(), &SipCredentialStore::credentialChanged);
        QCOMPARE(http.post(u"/api/auth/logout"_s, {}).status, 204);
        QVERIFY(QTest::qWaitFor([&] { return changed.size() == 1; }, WaitLimitMs));
        QVERIFY(!passwordAtTwilio(u"alice"_s).isEmpty());
        QVERIFY(passwordAtTwilio(u"alice"_s) != account.password);

        // A supervisor logging the agent out does the same.
        const SipCredentials again = accountOf(login(u"alice"_s));
        QCOMPARE(passwordAtTwilio(u"alice"_s), again.password);
        QVERIFY(!m_fixture->agents().ensureSession(u"alice"_s));
        QVERIFY(!m_fixture->agents().closeSession(u"alice"_s, StatusChangeSource::Supervisor, u"shift ended"_s));
        QVERIFY(QTest::qWaitFor([&] { return changed.size() == 3; }, WaitLimitMs)); // the login's, then the revocation
        QVERIFY(passwordAtTwilio(u"alice"_s) != again.password);
        const HttpReply metrics = HttpTestClient(m_fixture->process().baseUrl()).get(u"/metrics"_s);
        QVERIFY(metrics.body.contains("heartline_sip_credential_changes_total{result=\"revoked\"} 2"));
    }

    void agentIdsThatCannotBeSipUsernamesGetNoCredential_data()
    {
        QTest::addColumn<QString>("agentId");
        QTest::newRow("at sign") << u"alice@corp"_s;
        QTest::newRow("33 characters") << QString(33, u'a');
    }
    void agentIdsThatCannotBeSipUsernamesGetNoCredential()
    {
        QFETCH(QString, agentId);
        QVERIFY(start());
        addAgent(agentId);
        const HttpReply reply = login(agentId);
        QCOMPARE(reply.status, 200);
        const SipCredentials account = accountOf(reply);
        QCOMPARE(toString(account.status), u"unavailable"_s);
        QVERIFY2(account.reason.contains(u"cannot be a SIP username"_s), qPrintable(account.reason));
        QCOMPARE(account.retryAfterSeconds, std::nullopt); // asking again changes nothing
        QVERIFY(store().allCredentials().isEmpty());
    }

    void onlyAgentsGetASipAccount()
    {
        QVERIFY(start());
        QVERIFY(m_fixture->server().users()->add(u"sam"_s, u"Sam"_s, Role::Supervisor, u"sam-password"_s));
        const HttpReply reply = login(u"sam"_s);
        QCOMPARE(reply.status, 200);
        QVERIFY(!reply.json().contains(u"sip"_s));
        HttpTestClient http(m_fixture->process().baseUrl());
        http.setBearerToken(reply.json().value(u"token"_s).toString().toLatin1());
        const HttpReply forbidden = http.post(u"/api/voice/sip-credentials"_s, {});
        QCOMPARE(forbidden.status, 403);
        QCOMPARE(forbidden.errorCode(), u"forbidden"_s);
        QCOMPARE(HttpTestClient(m_fixture->process().baseUrl()).post(u"/api/voice/sip-credentials"_s, {}).status, 401);
        QVERIFY(store().allCredentials().isEmpty());
    }

    void withoutSipDomainNothingChanges()
    {
        m_fixture = std::make_unique<EndToEndFixture>();
        QVERIFY(m_fixture->start());
        QVERIFY(!m_fixture->server().sipCredentials());
        addAgent(u"alice"_s);
        const HttpReply reply = login(u"alice"_s);
        QCOMPARE(reply.status, 200);
        QVERIFY(!reply.json().contains(u"sip"_s));
        HttpTestClient http(m_fixture->process().baseUrl());
        http.setBearerToken(reply.json().value(u"token"_s).toString().toLatin1());
        const HttpReply disabled = http.post(u"/api/voice/sip-credentials"_s, {});
        QCOMPARE(disabled.status, 503);
        QCOMPARE(disabled.errorCode(), u"feature_disabled"_s);
        QVERIFY(store().lists().isEmpty());
    }
};

int main(int argc, char *argv[])
{
    // Every line the server can log is looked through for passwords, debug lines too: ctest's
    // QT_LOGGING_RULES would switch those off before the test could switch them on.
    qputenv("QT_LOGGING_RULES", "*=true");
    QCoreApplication app(argc, argv);
    TestSipCredentials test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_sip_credentials.moc"
