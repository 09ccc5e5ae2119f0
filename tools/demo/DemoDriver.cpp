#include "DemoDriver.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTextStream>

#include "AgentFleet.h"
#include "AgentTally.h"
#include "CallerStream.h"
#include "SimScheduler.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr int ServiceWaitAttempts = 120; ///< 60 s at one attempt every 500 ms
constexpr qint64 FaultHorizonMs = 24 * 3600'000;
constexpr int SummaryWidth = 100;
constexpr int SummaryIndent = 9; ///< the width of "agents   ": continuation lines line up under the text

QUrl withPath(QUrl url, const QString &path)
{
    const qsizetype query = path.indexOf(u'?');
    url.setPath(query < 0 ? path : path.left(query));
    if (query >= 0)
        url.setQuery(path.mid(query + 1));
    return url;
}

QString elapsedText(qint64 ms)
{
    const qint64 s = ms / 1000;
    return s >= 3600 ? u"%1h%2m%3s"_s.arg(s / 3600).arg(s / 60 % 60, 2, 10, QChar(u'0')).arg(s % 60, 2, 10, QChar(u'0'))
                     : u"%1m%2s"_s.arg(s / 60).arg(s % 60, 2, 10, QChar(u'0'));
}

/// Calls placed on a running stand-in through its /control/ API.
class ControlCallPlacer final : public CallPlacer
{
public:
    ControlCallPlacer(QNetworkAccessManager &network, QUrl simUrl) : m_network(network), m_simUrl(std::move(simUrl)) { }

    void place(const QString &from, const QString &to, std::function<void(const QString &)> placed) override
    {
        QNetworkRequest request(withPath(m_simUrl, u"/control/calls"_s));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        QNetworkReply *reply = m_network.post(
            request, QJsonDocument(QJsonObject {{u"from"_s, from}, {u"to"_s, to}}).toJson(QJsonDocument::Compact));
        QObject::connect(reply, &QNetworkReply::finished, reply, [reply, placed = std::move(placed)] {
            reply->deleteLater();
            const QJsonArray sids = QJsonDocument::fromJson(reply->readAll()).object().value(u"callSids"_s).toArray();
            placed(sids.isEmpty() ? QString() : sids.first().toString());
        });
    }

    void hangUp(const QString &sid) override
    {
        QNetworkRequest request(withPath(m_simUrl, u"/control/calls/%1/hangup"_s.arg(sid)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        QNetworkReply *reply = m_network.post(request, QByteArray("{}"));
        QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    }

private:
    QNetworkAccessManager &m_network;
    QUrl m_simUrl;
};

} // namespace

DemoDriver::DemoDriver(DemoOptions options, QTextStream &out, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_out(out)
{
    m_network.setProxy(QNetworkProxy::NoProxy);
    m_summaryTimer.setInterval(std::max(1, m_options.summarySeconds) * 1000);
    connect(&m_summaryTimer, &QTimer::timeout, this, &DemoDriver::requestSummary);
}

DemoDriver::~DemoDriver()
{
    // Callers and agents go before the scheduler their timers live in.
    m_stream.reset();
    m_fleet.reset();
    m_placer.reset();
    m_scheduler.reset();
}

void DemoDriver::start()
{
    m_out << "heartline-demo: waiting for " << m_options.serverUrl.toString() << " and " << m_options.simUrl.toString()
          << Qt::endl;
    waitForServices(0);
}

void DemoDriver::waitForServices(int attempt)
{
    // The server's /healthz, then the stand-in's /control/status: both must answer 200.
    QNetworkReply *health = m_network.get(QNetworkRequest(withPath(m_options.serverUrl, u"/healthz"_s)));
    connect(health, &QNetworkReply::finished, this, [this, attempt, health] {
        health->deleteLater();
        const bool serverUp = health->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
        QNetworkReply *status = m_network.get(QNetworkRequest(withPath(m_options.simUrl, u"/control/status"_s)));
        connect(status, &QNetworkReply::finished, this, [this, attempt, status, serverUp] {
            status->deleteLater();
            const bool simUp = status->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
            if (serverUp && simUp) {
                signIn();
                return;
            }
            if (attempt + 1 >= ServiceWaitAttempts) {
                Q_EMIT failed(!serverUp
                                  ? u"heartline-server does not answer at %1"_s.arg(m_options.serverUrl.toString())
                                  : u"heartline-twilio-sim does not answer at %1"_s.arg(m_options.simUrl.toString()));
                return;
            }
            QTimer::singleShot(500, this, [this, attempt] { waitForServices(attempt + 1); });
        });
    });
}

void DemoDriver::signIn()
{
    QNetworkRequest request(withPath(m_options.serverUrl, u"/api/auth/login"_s));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    const QByteArray body = QJsonDocument(QJsonObject {{u"userId"_s, m_options.supervisorId},
                                                       {u"password"_s, m_options.supervisorPassword}})
                                .toJson(QJsonDocument::Compact);
    QNetworkReply *reply = m_network.post(request, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
        m_token = answer.value(u"token"_s).toString().toUtf8();
        if (m_token.isEmpty()) {
            Q_EMIT failed(u"the demo supervisor %1 cannot sign in: %2"_s.arg(
                m_options.supervisorId,
                answer.value(u"error"_s).toObject().value(u"message"_s).toString(reply->errorString())));
            return;
        }
        startFleet();
    });
}

ScenarioConfig DemoDriver::scenario(const DemoOptions &options)
{
    ScenarioConfig config = ScenarioConfig::demo(options.agents);
    config.seed = options.seed;
    config.callsPerMinute = options.callsPerMinute;
    config.burstEveryMs = options.burstEveryMs;
    config.burstCalls = options.burstCalls >= 0 ? options.burstCalls : std::max(1, options.agents);
    // Everyone has signed in by then (loginSpreadMs): a fault on an agent still signing in shows nothing.
    config.faultsFromMs = 8'000;
    config.busyFaultsMove = true; // what the demo says about its faults holds only if none waits for a call
    return config;
}

QList<Fault> DemoDriver::plannedFaults(const DemoOptions &options)
{
    return planRollingFaults(scenario(options), FaultHorizonMs, options.faultGapMs, FirstFaultByMs);
}

void DemoDriver::startFleet()
{
    const ScenarioConfig config = scenario(m_options);
    m_scheduler = std::make_unique<SimScheduler>(static_cast<const Clock &>(m_clock));
    m_fleet = std::make_unique<AgentFleet>(config, AgentFleet::Endpoints {m_options.serverUrl, m_options.simUrl},
                                           plannedFaults(m_options), *m_scheduler, this);
    m_placer = std::make_unique<ControlCallPlacer>(m_network, m_options.simUrl);
    m_stream = std::make_unique<CallerStream>(config, *m_scheduler, *m_placer);
    const qint64 now = m_clock.nowMs();
    m_fleet->start();
    m_stream->start(now + config.callsStartMs, now + FaultHorizonMs);
    m_running.start();
    m_out << "heartline-demo: " << m_options.agents << " agents signing in, about " << m_options.callsPerMinute
          << " calls a minute";
    if (config.burstEveryMs > 0)
        m_out << " and " << config.burstCalls << " at once every " << config.burstEveryMs / 1000 << " s";
    if (m_options.faultGapMs > 0) {
        const qint64 firstBy = std::min(FirstFaultByMs, config.faultsFromMs + m_options.faultGapMs);
        m_out << "; the first fault within " << firstBy / 1000 << " s, then one every " << m_options.faultGapMs / 1000
              << " s or so";
    } else {
        m_out << "; no faults";
    }
    m_out << ". Summary every " << m_options.summarySeconds << " s; Ctrl+C stops." << Qt::endl;
    m_summaryTimer.start();
    if (m_options.durationSeconds > 0) {
        QTimer::singleShot(m_options.durationSeconds * 1000, this, [this] {
            stop();
            Q_EMIT finished();
        });
    }
}

void DemoDriver::stop()
{
    m_summaryTimer.stop();
    const int placed = m_stream ? m_stream->placedCount() : 0;
    m_out << "heartline-demo: stopped after " << elapsedText(m_running.isValid() ? m_running.elapsed() : 0)
          << ": calls placed " << placed << ", bridged " << m_bridgedCalls.size() << Qt::endl;
    m_stream.reset();
    m_fleet.reset();
}

void DemoDriver::agentEvent(int, Event event, const QString &callSid)
{
    if (event == Event::Answered && !callSid.isEmpty()) {
        m_bridgedCalls.insert(callSid);
        if (m_stream)
            m_stream->connected(callSid);
    } else if (event == Event::Offered) {
        ++m_offered;
    }
}

void DemoDriver::get(const QString &path, std::function<void(const QJsonObject &)> done)
{
    QNetworkRequest request(withPath(m_options.serverUrl, path));
    request.setRawHeader("Authorization", "Bearer " + m_token);
    QNetworkReply *reply = m_network.get(request);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        done(QJsonDocument::fromJson(reply->readAll()).object());
    });
}

void DemoDriver::requestSummary()
{
    if (m_snapshot)
        return; // the last one has not come back yet
    m_snapshot = std::make_shared<Snapshot>();
    m_snapshot->pending = 3;
    const std::shared_ptr<Snapshot> snapshot = m_snapshot;
    const auto arrived = [this, snapshot] {
        if (--snapshot->pending > 0)
            return;
        m_snapshot.reset();
        if (m_fleet)
            printSummary(*snapshot);
    };
    get(u"/api/agents"_s, [snapshot, arrived](const QJsonObject &o) {
        snapshot->agents = o.value(u"agents"_s).toArray();
        arrived();
    });
    get(u"/api/queues"_s, [snapshot, arrived](const QJsonObject &o) {
        snapshot->queues = o.value(u"queues"_s).toArray();
        arrived();
    });
    get(u"/api/routing/decisions?limit=4"_s, [snapshot, arrived](const QJsonObject &o) {
        snapshot->decisions = o.value(u"decisions"_s).toArray();
        arrived();
    });
}

void DemoDriver::printSummary(const Snapshot &snapshot)
{
    const AgentTally agents = AgentTally::fromServer(snapshot.agents);
    QStringList faults;
    for (int i = 0; i < m_fleet->size(); ++i) {
        if (const int fault = m_fleet->activeFault(i); fault >= 0)
            faults.append(AgentFleet::agentId(i) + u' ' + toString(m_fleet->faults().at(fault).fault.kind));
    }
    int waiting = 0;
    int served = 0;
    int abandoned = 0;
    int timedOut = 0;
    for (const QJsonValue &value : snapshot.queues) {
        const QJsonObject queue = value.toObject();
        waiting += int(queue.value(u"waiting"_s).toArray().size());
        served += queue.value(u"servedToday"_s).toInt();
        abandoned += queue.value(u"abandonedToday"_s).toInt();
        timedOut += queue.value(u"timedOutToday"_s).toInt();
    }

    m_out << u"── %1  demo %2 "_s
                 .arg(QDateTime::currentDateTime().toString(u"HH:mm:ss"_s), elapsedText(m_running.elapsed()))
                 .leftJustified(SummaryWidth, QChar(u'─'))
          << '\n';
    m_out << u"agents   %1 (server's view): %2 ready, %3 on a call, %4 ringing, %5 wrapping up, %6 not ready"_s
                 .arg(agents.total)
                 .arg(agents.ready)
                 .arg(agents.onCall)
                 .arg(agents.ringing)
                 .arg(agents.wrapUp)
                 .arg(agents.notReady.size())
          << '\n';
    // Who the server holds back and why, next to the simulation's truth below: a fault it has not noticed yet
    // shows up there and not here.
    if (const QString whoAndWhy = agents.notReadyText(SummaryWidth - SummaryIndent); !whoAndWhy.isEmpty())
        m_out << QString(SummaryIndent, u' ') << whoAndWhy << '\n';
    m_out
        << u"faulty   %1 now%2"_s.arg(faults.size()).arg(faults.isEmpty() ? QString() : u": "_s + faults.join(u", "_s))
        << '\n';
    m_out << u"calls    placed %1, bridged %2, queued now %3, abandoned %4 (queue today: served %5, timed out %6)"_s
                 .arg(m_stream->placedCount())
                 .arg(m_bridgedCalls.size())
                 .arg(waiting)
                 .arg(abandoned)
                 .arg(served)
                 .arg(timedOut)
          << '\n';
    for (const QJsonValue &value : snapshot.decisions) {
        const QJsonObject decision = value.toObject();
        const QString chosen = decision.value(u"chosenAgentId"_s).toString();
        m_out << u"routing  %1 %2 → %3 (%4, attempt %5, %6 candidate(s) examined, %7 µs)"_s
                     .arg(QDateTime::fromString(decision.value(u"decidedAt"_s).toString(), Qt::ISODateWithMs)
                              .toLocalTime()
                              .toString(u"HH:mm:ss"_s),
                          decision.value(u"callSid"_s).toString().left(10) + u'…',
                          chosen.isEmpty() ? u"nobody"_s : chosen, decision.value(u"path"_s).toString())
                     .arg(decision.value(u"attempt"_s).toInt())
                     .arg(decision.value(u"candidates"_s).toArray().size())
                     .arg(decision.value(u"durationUs"_s).toInteger())
              << '\n';
    }
    m_out.flush();
}

} // namespace heartline
