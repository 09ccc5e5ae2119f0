#include "routing/CallReconciler.h"

#include <QHash>
#include <QLoggingCategory>

#include "agents/AgentRegistry.h"
#include "agents/AgentService.h"
#include "core/Clock.h"
#include "metrics/Metrics.h"
#include "routing/CallStore.h"
#include "twilio/SipUri.h"
#include "twilio/TwilioRestClient.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcReconcile, "heartline.routing.reconcile")

namespace heartline {

namespace {

const QString ClientPrefix = u"client:"_s;

/// The caller's call an agent leg belongs to: Heartline tracks calls by the caller's CallSid.
QString callerCallSid(const TwilioCall &call)
{
    return call.parentCallSid.isEmpty() ? call.sid : call.parentCallSid;
}

} // namespace

QHash<QString, QStringList> CallReconciler::legsByAgent(const QList<TwilioCall> &calls) const
{
    QHash<QString, QStringList> byAgent;
    for (const TwilioCall &call : calls) {
        if (const auto agent = agentOfLeg(call.to, m_sipDomain))
            byAgent[*agent].append(callerCallSid(call));
    }
    return byAgent;
}

CallReconciler::CallReconciler(TwilioRestClient &twilio, AgentService &agents, AgentRegistry &registry,
                               CallStore &store, MetricsRegistry &metrics, const Clock &clock, int intervalSeconds,
                               QString sipDomain, QObject *parent)
    : QObject(parent), m_twilio(twilio), m_agents(agents), m_registry(registry), m_store(store), m_metrics(metrics),
      m_clock(clock), m_sipDomain(std::move(sipDomain))
{
    for (const QString &action : {u"ended"_s, u"adopted"_s})
        m_metrics.counter(u"heartline_call_repairs_total"_s, u"Calls reconciliation repaired against Twilio."_s,
                          {u"action"_s}, {action});
    if (intervalSeconds > 0) {
        m_timer.setInterval(intervalSeconds * 1000);
        connect(&m_timer, &QTimer::timeout, this, &CallReconciler::runNow);
        m_timer.start();
    }
}

std::optional<QString> CallReconciler::agentOfLeg(const QString &to, const QString &sipDomain)
{
    if (sipDomain.isEmpty()) {
        if (to.startsWith(ClientPrefix))
            return to.mid(ClientPrefix.size());
        return std::nullopt;
    }
    const auto address = sipuri::parseAddress(to);
    if (address && address->host.compare(sipDomain, Qt::CaseInsensitive) == 0)
        return address->user;
    return std::nullopt;
}

void CallReconciler::runNow()
{
    if (m_pending > 0)
        return;
    m_repairsThisPass = 0;
    m_checkedThisPass.clear();
    QStringList believedOnCall;
    m_registry.forEach([&believedOnCall](const AgentRecord &record) {
        if (!record.activeCallSids.isEmpty())
            believedOnCall.append(record.profile.agentId);
    });

    if (!m_sipDomain.isEmpty())
        return runOverEveryCall(believedOnCall);

    // One question per agent Heartline believes is talking...
    m_pending = int(believedOnCall.size()) + 1;
    for (const QString &agentId : std::as_const(believedOnCall)) {
        TwilioCallFilter filter;
        filter.to = ClientPrefix + agentId;
        filter.status = u"in-progress"_s;
        m_twilio.listCalls(filter, this, [this, agentId](const TwilioResult<QList<TwilioCall>> &result) {
            if (result) {
                QStringList inProgress;
                for (const TwilioCall &call : result.value())
                    inProgress.append(callerCallSid(call));
                reconcile(agentId, inProgress);
            } else {
                qCWarning(lcReconcile).noquote()
                    << "cannot check the calls of" << agentId << ':' << result.error().message;
            }
            requestDone();
        });
    }
    // ...and one for every client call in progress, to find calls Heartline never heard answered.
    TwilioCallFilter all;
    all.status = u"in-progress"_s;
    m_twilio.listCalls(all, this, [this](const TwilioResult<QList<TwilioCall>> &result) {
        if (result) {
            const QHash<QString, QStringList> byAgent = legsByAgent(result.value());
            for (auto it = byAgent.constBegin(); it != byAgent.constEnd(); ++it) {
                if (!m_checkedThisPass.contains(it.key()))
                    reconcile(it.key(), it.value());
            }
        } else {
            qCWarning(lcReconcile).noquote() << "cannot list calls in progress:" << result.error().message;
        }
        requestDone();
    });
}

void CallReconciler::runStartupPass()
{
    if (m_pending > 0)
        return;
    m_repairsThisPass = 0;
    m_checkedThisPass.clear();
    m_startup = {};
    m_registry.forEach([this](const AgentRecord &record) {
        if (!record.reservedCallSid.isEmpty())
            m_startup.reservedAtStart.insert(record.profile.agentId, record.reservedCallSid);
        if (!record.activeCallSids.isEmpty())
            m_startup.believedOnCall.append(record.profile.agentId);
    });
    m_pending = 2;
    for (const QString &status : {u"in-progress"_s, u"ringing"_s}) {
        TwilioCallFilter filter;
        filter.status = status;
        filter.pageSize = 1000;
        m_twilio.listCalls(filter, this, [this, status](const TwilioResult<QList<TwilioCall>> &result) {
            if (!result) {
                qCWarning(lcReconcile).noquote()
                    << "start-up: cannot list the calls" << status << "at Twilio:" << result.error().message
                    << "- what the database says stands until the next pass";
                m_startup.failed = true;
            } else if (status == u"ringing") {
                m_startup.ringing = result.value();
            } else {
                m_startup.inProgress = result.value();
            }
            if (--m_pending == 0)
                finishStartupPass();
        });
    }
}

void CallReconciler::finishStartupPass()
{
    if (!m_startup.failed && m_startup.inProgress && m_startup.ringing) {
        const QHash<QString, QStringList> inProgress = legsByAgent(*m_startup.inProgress);
        const QHash<QString, QStringList> ringing = legsByAgent(*m_startup.ringing);
        // Everyone the database or Twilio has busy.
        QSet<QString> agents(m_startup.believedOnCall.cbegin(), m_startup.believedOnCall.cend());
        for (auto it = m_startup.reservedAtStart.constBegin(); it != m_startup.reservedAtStart.constEnd(); ++it)
            agents.insert(it.key());
        for (const QHash<QString, QStringList> *legs : {&inProgress, &ringing}) {
            for (auto it = legs->constBegin(); it != legs->constEnd(); ++it)
                agents.insert(it.key());
        }
        for (const QString &agentId : std::as_const(agents))
            reconcile(agentId, inProgress.value(agentId), ringing.value(agentId),
                      m_startup.reservedAtStart.value(agentId));
        qCInfo(lcReconcile).noquote() << "start-up: checked" << agents.size() << "agents against Twilio,"
                                      << m_repairsThisPass << "repaired";
    }
    m_startup = {};
    Q_EMIT finished(m_repairsThisPass);
}

void CallReconciler::runOverEveryCall(const QStringList &believedOnCall)
{
    m_pending = 1;
    TwilioCallFilter all;
    all.status = u"in-progress"_s;
    all.pageSize = 1000; // one request for the whole floor in all but the largest centers
    m_twilio.listCalls(all, this, [this, believedOnCall](const TwilioResult<QList<TwilioCall>> &result) {
        if (!result) {
            // Nothing is repaired from a partial picture.
            qCWarning(lcReconcile).noquote() << "cannot list calls in progress:" << result.error().message;
            return requestDone();
        }
        QHash<QString, QStringList> byAgent = legsByAgent(result.value());
        for (const QString &agentId : believedOnCall)
            byAgent[agentId]; // on a call at Heartline, perhaps on none at Twilio
        for (auto it = byAgent.constBegin(); it != byAgent.constEnd(); ++it)
            reconcile(it.key(), it.value());
        requestDone();
    });
}

void CallReconciler::reconcile(const QString &agentId, const QStringList &inProgress,
                               const std::optional<QStringList> &ringing, const QString &staleReservation)
{
    m_checkedThisPass.insert(agentId);
    const qint64 now = m_clock.nowMs();
    for (const AgentService::CallRepair &repair :
         m_agents.reconcileCalls(agentId, inProgress, ringing, staleReservation)) {
        qCInfo(lcReconcile).noquote() << "repaired" << repair.callSid << "at" << agentId << ':' << repair.action;
        m_store.recordRepair(agentId, repair.callSid, repair.action, now);
        // An offer that rings nowhere any more says nothing of the caller's call, which may be
        // queued or with another agent: only the agent's part is repaired.
        if (!(repair.offer && repair.action == u"ended")) {
            const QString status = repair.action == u"ended" ? u"completed"_s
                : repair.offer                               ? u"ringing"_s
                                                             : u"in-progress"_s;
            m_store.updateCall(repair.callSid, status, agentId, now);
        }
        m_metrics
            .counter(u"heartline_call_repairs_total"_s, u"Calls reconciliation repaired against Twilio."_s,
                     {u"action"_s}, {repair.action})
            .increment();
        ++m_repairsThisPass;
        Q_EMIT repaired(agentId, repair.callSid, repair.action);
    }
}

void CallReconciler::requestDone()
{
    if (--m_pending == 0)
        Q_EMIT finished(m_repairsThisPass);
}

} // namespace heartline
