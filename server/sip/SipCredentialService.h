#pragma once

#include <deque>
#include <functional>
#include <memory>

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include "protocol/SipCredentials.h"
#include "sip/SipSettings.h"

namespace heartline {

class Counter;
class Gauge;
class MetricsRegistry;
class TwilioRestClient;
struct TwilioError;

/// Keeps the agents' SIP credentials at Twilio: one Credential List for Heartline (found by its
/// FriendlyName at start, created when missing), one credential per agent (username = agent id),
/// and a new random password at every login, handed to the app once and never kept.
///
/// Passwords live only in this process's memory while Twilio takes them, then in the login answer:
/// nothing is written to the database or the log. Changes of one agent's password run one after the
/// other, so the password Twilio holds is always the last one handed out.
///
/// A login never waits longer than SIP_CREDENTIAL_TIMEOUT_MS: past it, or when Twilio refuses or
/// cannot be reached, the app gets an "unavailable" account with the reason and asks again later
/// (POST /api/voice/sip-credentials). A change still under way then finishes, unanswered: its
/// password goes to nobody, and the next one replaces it.
class SipCredentialService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SipCredentialService)

public:
    struct Options
    {
        SipSettings settings;
        int firstRetryMs = 5'000; ///< after a failed look-up of the list; doubles up to maxRetryMs
        int maxRetryMs = 60'000;
    };
    using Issued = std::function<void(const SipCredentials &account)>;

    SipCredentialService(TwilioRestClient &twilio, Options options, MetricsRegistry &metrics,
                         QObject *parent = nullptr);
    ~SipCredentialService() override;

    /// Finds or creates the Credential List and reads which agents have a credential, retrying
    /// with backoff until it succeeds. Logins meanwhile wait for it (within their time limit).
    void start();
    [[nodiscard]] bool ready() const { return m_state == State::Ready; }
    [[nodiscard]] QString credentialListSid() const { return m_listSid; }

    /// Gives the agent a new password and calls `done` exactly once, on `context`'s thread (never
    /// when `context` is gone): Ready with the credentials once Twilio took them, or Unavailable
    /// with the reason.
    void issue(const QString &agentId, QObject *context, Issued done);
    /// Replaces the agent's password with one nobody gets (its session ended): a softphone left
    /// running cannot register again. Nothing is answered.
    void revoke(const QString &agentId);

    /// The account fields that do not depend on the outcome (domain, registrar, transport…).
    [[nodiscard]] SipCredentials accountTemplate() const;

Q_SIGNALS:
    /// The Credential List is known and its credentials read (tests wait for it).
    void listReady(const QString &credentialListSid);
    /// Twilio holds a new password for the agent (handed out or not).
    void passwordChanged(const QString &agentId);

private:
    enum class State { Resolving, Ready, Failed };
    struct Rotation;
    struct AgentQueue
    {
        std::deque<std::shared_ptr<Rotation>> pending;
        bool running = false;
    };

    void resolveList();
    void readCredentials();
    void listFailed(const QString &what, const TwilioError &error);
    void enqueue(const std::shared_ptr<Rotation> &rotation);
    void runNext(const QString &agentId);
    void createCredential(const std::shared_ptr<Rotation> &rotation, bool afterLookup);
    void updateCredential(const std::shared_ptr<Rotation> &rotation, const QString &credentialSid);
    void createRefused(const std::shared_ptr<Rotation> &rotation, const TwilioError &error, bool afterLookup);
    void lookUpAndUpdate(const std::shared_ptr<Rotation> &rotation, const TwilioError &createError);
    /// Twilio answered 404 for the list itself: forget it and resolve it again.
    void listGone();
    void succeeded(const std::shared_ptr<Rotation> &rotation);
    void failed(const std::shared_ptr<Rotation> &rotation, const QString &reason);
    void finish(const std::shared_ptr<Rotation> &rotation);
    void answer(const std::shared_ptr<Rotation> &rotation, SipCredentials account, const QString &result);
    [[nodiscard]] SipCredentials unavailable(const QString &reason, int retryAfterSeconds) const;

    TwilioRestClient &m_twilio;
    Options m_options;
    State m_state = State::Resolving;
    bool m_resolving = false;
    QString m_listSid;
    QString m_listProblem;                    ///< why the list is not known, while Failed
    QHash<QString, QString> m_credentialSids; ///< username → CR sid
    QHash<QString, AgentQueue> m_queues;      ///< per agent: the password changes, one at a time
    std::deque<std::shared_ptr<Rotation>> m_waitingForList;
    QTimer m_retryTimer;
    int m_nextRetryMs = 0;
    MetricsRegistry &m_metrics;
    Gauge &m_listReady;
};

} // namespace heartline
