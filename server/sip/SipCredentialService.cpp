#include "sip/SipCredentialService.h"

#include <algorithm>

#include <QLoggingCategory>
#include <QMetaObject>

#include "metrics/Metrics.h"
#include "sip/SipPassword.h"
#include "twilio/SipUri.h"
#include "twilio/TwilioRestClient.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcSipCredentials, "heartline.sip.credentials")

namespace heartline {

namespace {

/// What an app told "unavailable" should wait before asking again.
constexpr int RetryAfterSeconds = 10;

const QString RotationsMetric = u"heartline_sip_credential_changes_total"_s;
const QString RotationsHelp = u"Agents' SIP passwords: issued (handed to the app), failed (Twilio refused or could not "
                              "be reached), timeout (the login answered first), revoked (at logout)."_s;

QString seconds(int ms)
{
    return ms % 1000 == 0 ? u"%1 s"_s.arg(ms / 1000) : u"%1 ms"_s.arg(ms);
}

} // namespace

struct SipCredentialService::Rotation
{
    QString agentId;
    QPointer<QObject> context;
    Issued done;
    bool handsOut = true; ///< false for a revocation: the password goes to nobody
    bool answered = false;
    QString password; ///< drawn when the change starts, dropped when it ends
};

SipCredentialService::SipCredentialService(TwilioRestClient &twilio, Options options, MetricsRegistry &metrics,
                                           QObject *parent)
    : QObject(parent), m_twilio(twilio), m_options(std::move(options)), m_metrics(metrics),
      m_listReady(
          metrics.gauge(u"heartline_sip_credential_list_ready"_s,
                        u"1 when the Twilio Credential List of the agents' SIP credentials is known, else 0."_s))
{
    for (const QString &result : {u"issued"_s, u"failed"_s, u"timeout"_s, u"revoked"_s})
        m_metrics.counter(RotationsMetric, RotationsHelp, {u"result"_s}, {result});
    m_listReady.set(0);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] { resolveList(); });
}

SipCredentialService::~SipCredentialService() = default;

SipCredentials SipCredentialService::accountTemplate() const
{
    SipCredentials account;
    account.domain = m_options.settings.domain;
    account.registrar = m_options.settings.registrar;
    account.transport = m_options.settings.transport;
    account.secureMedia = m_options.settings.secureMedia;
    return account;
}

SipCredentials SipCredentialService::unavailable(const QString &reason, int retryAfterSeconds) const
{
    SipCredentials account = accountTemplate();
    account.status = SipCredentials::Status::Unavailable;
    account.reason = reason;
    if (retryAfterSeconds > 0)
        account.retryAfterSeconds = retryAfterSeconds;
    return account;
}

// --- the Credential List ---

void SipCredentialService::start()
{
    resolveList();
}

void SipCredentialService::resolveList()
{
    if (m_resolving)
        return;
    m_resolving = true;
    m_retryTimer.stop();
    const QString name = m_options.settings.credentialListName;
    m_twilio.listCredentialLists(this, [this, name](const TwilioResult<QList<TwilioCredentialList>> &lists) {
        if (!lists)
            return listFailed(u"cannot list the Credential Lists"_s, lists.error());
        QList<TwilioCredentialList> named;
        for (const TwilioCredentialList &list : lists.value()) {
            if (list.friendlyName == name)
                named.append(list);
        }
        if (!named.isEmpty()) {
            // FriendlyNames are not unique at Twilio: the oldest list is the one earlier runs used.
            std::sort(named.begin(), named.end(), [](const auto &a, const auto &b) {
                return a.dateCreated != b.dateCreated ? a.dateCreated < b.dateCreated : a.sid < b.sid;
            });
            if (named.size() > 1) {
                qCWarning(lcSipCredentials).noquote() << named.size() << "Credential Lists are named" << name
                                                      << "- using the oldest," << named.first().sid;
            }
            m_listSid = named.first().sid;
            qCInfo(lcSipCredentials).noquote() << "agents' SIP credentials are in Credential List" << m_listSid << name;
            return readCredentials();
        }
        m_twilio.createCredentialList(name, this, [this, name](const TwilioResult<TwilioCredentialList> &created) {
            if (!created)
                return listFailed(u"cannot create the Credential List"_s, created.error());
            m_listSid = created->sid;
            // Twilio accepts a REGISTER only against lists mapped to the domain's registration.
            qCWarning(lcSipCredentials).noquote()
                << "created Credential List" << m_listSid << name
                << "for the agents' SIP credentials: map it to the registration of SIP Domain"
                << m_options.settings.domain
                << "(Twilio Console: Voice > SIP Domains > Registration), or agents cannot register";
            readCredentials();
        });
    });
}

void SipCredentialService::readCredentials()
{
    m_twilio.listSipCredentials(m_listSid, this, [this](const TwilioResult<QList<TwilioSipCredential>> &credentials) {
        if (!credentials)
            return listFailed(u"cannot read the credentials of Credential List %1"_s.arg(m_listSid),
                              credentials.error());
        m_credentialSids.clear();
        for (const TwilioSipCredential &credential : credentials.value())
            m_credentialSids.insert(credential.username, credential.sid);
        m_resolving = false;
        m_state = State::Ready;
        m_listProblem.clear();
        m_nextRetryMs = 0;
        m_listReady.set(1);
        qCInfo(lcSipCredentials).noquote()
            << "SIP credentials ready:" << m_credentialSids.size() << "agent(s) have one in" << m_listSid;
        Q_EMIT listReady(m_listSid);
        auto waiting = std::move(m_waitingForList);
        m_waitingForList.clear();
        for (const auto &rotation : waiting)
            enqueue(rotation);
    });
}

void SipCredentialService::listFailed(const QString &what, const TwilioError &error)
{
    m_resolving = false;
    m_state = State::Failed;
    m_listReady.set(0);
    m_listProblem = what + u": "_s + error.toString();
    m_nextRetryMs = m_nextRetryMs == 0 ? m_options.firstRetryMs : std::min(m_nextRetryMs * 2, m_options.maxRetryMs);
    qCWarning(lcSipCredentials).noquote() << m_listProblem << "- agents get no SIP password until it works; trying"
                                          << "again in" << seconds(m_nextRetryMs);
    m_retryTimer.start(m_nextRetryMs);
    // Logins waiting for the list hear now rather than at their time limit.
    auto waiting = std::move(m_waitingForList);
    m_waitingForList.clear();
    for (const auto &rotation : waiting) {
        answer(rotation,
               unavailable(u"Heartline cannot reach its SIP Credential List at Twilio (%1)"_s.arg(error.toString()),
                           std::max(RetryAfterSeconds, m_nextRetryMs / 1000)),
               u"failed"_s);
    }
}

// --- one agent's password ---

void SipCredentialService::issue(const QString &agentId, QObject *context, Issued done)
{
    auto rotation = std::make_shared<Rotation>();
    rotation->agentId = agentId;
    rotation->context = context;
    rotation->done = std::move(done);
    if (const auto problem = sipuri::usernameProblem(agentId)) {
        qCWarning(lcSipCredentials).noquote() << *problem << "- no SIP password for this agent";
        return answer(rotation, unavailable(*problem, 0), u"failed"_s);
    }
    const int limitMs = m_options.settings.credentialTimeoutMs;
    QTimer::singleShot(limitMs, this, [this, weak = std::weak_ptr<Rotation>(rotation), limitMs] {
        if (const auto late = weak.lock()) {
            if (!late->answered) {
                qCWarning(lcSipCredentials).noquote() << "Twilio did not take the new SIP password of" << late->agentId
                                                      << "within" << seconds(limitMs) << "- the login answers without";
            }
            answer(late,
                   unavailable(u"Twilio did not confirm the new SIP password within %1"_s.arg(seconds(limitMs)),
                               RetryAfterSeconds),
                   u"timeout"_s);
        }
    });
    enqueue(rotation);
}

void SipCredentialService::revoke(const QString &agentId)
{
    if (m_state != State::Ready || !m_credentialSids.contains(agentId))
        return; // nothing Heartline knows of to revoke
    auto rotation = std::make_shared<Rotation>();
    rotation->agentId = agentId;
    rotation->handsOut = false;
    rotation->answered = true;
    enqueue(rotation);
}

void SipCredentialService::enqueue(const std::shared_ptr<Rotation> &rotation)
{
    if (m_state != State::Ready) {
        m_waitingForList.push_back(rotation);
        if (m_state == State::Failed)
            resolveList(); // a login is a good reason to try again now rather than at the next retry
        return;
    }
    AgentQueue &queue = m_queues[rotation->agentId];
    queue.pending.push_back(rotation);
    if (!queue.running)
        runNext(rotation->agentId);
}

void SipCredentialService::runNext(const QString &agentId)
{
    AgentQueue &queue = m_queues[agentId];
    while (!queue.pending.empty()) {
        std::shared_ptr<Rotation> rotation = queue.pending.front();
        queue.pending.pop_front();
        // A login that already gave up sends no password to Twilio: nobody would ever use it.
        if (rotation->answered && rotation->handsOut)
            continue;
        queue.running = true;
        rotation->password = generateSipPassword();
        const QString credentialSid = m_credentialSids.value(agentId);
        if (credentialSid.isEmpty())
            createCredential(rotation, false);
        else
            updateCredential(rotation, credentialSid);
        return;
    }
    queue.running = false;
    m_queues.remove(agentId);
}

void SipCredentialService::createCredential(const std::shared_ptr<Rotation> &rotation, bool afterLookup)
{
    m_twilio.createSipCredential(m_listSid, rotation->agentId, rotation->password, this,
                                 [this, rotation, afterLookup](const TwilioResult<TwilioSipCredential> &created) {
                                     if (!created)
                                         return createRefused(rotation, created.error(), afterLookup);
                                     m_credentialSids.insert(rotation->agentId, created->sid);
                                     qCInfo(lcSipCredentials).noquote()
                                         << "created the SIP credential of" << rotation->agentId << created->sid;
                                     succeeded(rotation);
                                 });
}

void SipCredentialService::createRefused(const std::shared_ptr<Rotation> &rotation, const TwilioError &error,
                                         bool afterLookup)
{
    const bool clientError = error.kind == TwilioError::Kind::Api && error.httpStatus >= 400 && error.httpStatus < 500
        && error.httpStatus != 401 && error.httpStatus != 403;
    if (error.httpStatus == 404) {
        listGone(); // creating in a list answers 404 only when the list is not there
    } else if (clientError && !afterLookup) {
        // Twilio refuses a username the list already holds (created elsewhere, or by a run whose
        // answer was lost): find it and change its password instead.
        return lookUpAndUpdate(rotation, error);
    }
    failed(rotation, u"Twilio refused the SIP credential: "_s + error.toString());
}

void SipCredentialService::lookUpAndUpdate(const std::shared_ptr<Rotation> &rotation, const TwilioError &createError)
{
    m_twilio.listSipCredentials(
        m_listSid, this, [this, rotation, createError](const TwilioResult<QList<TwilioSipCredential>> &credentials) {
            if (credentials) {
                for (const TwilioSipCredential &credential : credentials.value()) {
                    if (credential.username == rotation->agentId) {
                        m_credentialSids.insert(credential.username, credential.sid);
                        return updateCredential(rotation, credential.sid);
                    }
                }
            } else if (credentials.error().httpStatus == 404) {
                listGone();
            }
            failed(rotation, u"Twilio refused the SIP credential: "_s + createError.toString());
        });
}

void SipCredentialService::listGone()
{
    // Deleted in the Console, most likely: find it again by its name, or make a new one.
    qCWarning(lcSipCredentials).noquote() << "Credential List" << m_listSid << "is gone at Twilio: looking for"
                                          << m_options.settings.credentialListName << "again";
    m_state = State::Failed;
    m_listReady.set(0);
    m_listSid.clear();
    m_credentialSids.clear();
    resolveList();
}

void SipCredentialService::updateCredential(const std::shared_ptr<Rotation> &rotation, const QString &credentialSid)
{
    m_twilio.updateSipCredentialPassword(
        m_listSid, credentialSid, rotation->password, this,
        [this, rotation, credentialSid](const TwilioResult<TwilioSipCredential> &updated) {
            if (updated)
                return succeeded(rotation);
            if (updated.error().httpStatus == 404) {
                // Deleted at Twilio since Heartline read the list: create it anew.
                m_credentialSids.remove(rotation->agentId);
                return createCredential(rotation, true);
            }
            failed(rotation, u"Twilio refused the new SIP password: "_s + updated.error().toString());
        });
}

void SipCredentialService::succeeded(const std::shared_ptr<Rotation> &rotation)
{
    Q_EMIT passwordChanged(rotation->agentId);
    if (!rotation->handsOut) {
        qCInfo(lcSipCredentials).noquote() << "SIP password of" << rotation->agentId << "revoked";
        m_metrics.counter(RotationsMetric, RotationsHelp, {u"result"_s}, {u"revoked"_s}).increment();
    } else if (rotation->answered) {
        qCInfo(lcSipCredentials).noquote() << "Twilio took the SIP password of" << rotation->agentId
                                           << "after the login answered without it: the app asks again";
    } else {
        qCInfo(lcSipCredentials).noquote() << "new SIP password for" << rotation->agentId;
        SipCredentials account = accountTemplate();
        account.status = SipCredentials::Status::Ready;
        account.username = rotation->agentId;
        account.password = rotation->password;
        answer(rotation, std::move(account), u"issued"_s);
    }
    finish(rotation);
}

void SipCredentialService::failed(const std::shared_ptr<Rotation> &rotation, const QString &reason)
{
    qCWarning(lcSipCredentials).noquote() << "SIP password of" << rotation->agentId << "not changed:" << reason;
    if (!rotation->handsOut)
        m_metrics.counter(RotationsMetric, RotationsHelp, {u"result"_s}, {u"failed"_s}).increment();
    answer(rotation, unavailable(reason, RetryAfterSeconds), u"failed"_s);
    finish(rotation);
}

void SipCredentialService::finish(const std::shared_ptr<Rotation> &rotation)
{
    rotation->password.clear();
    runNext(rotation->agentId);
}

void SipCredentialService::answer(const std::shared_ptr<Rotation> &rotation, SipCredentials account,
                                  const QString &result)
{
    if (rotation->answered)
        return;
    rotation->answered = true;
    m_metrics.counter(RotationsMetric, RotationsHelp, {u"result"_s}, {result}).increment();
    if (!rotation->context || !rotation->done)
        return;
    // Queued even when the answer is known at once, so `done` never runs inside issue().
    QMetaObject::invokeMethod(
        rotation->context, [done = std::move(rotation->done), account = std::move(account)] { done(account); },
        Qt::QueuedConnection);
}

} // namespace heartline
