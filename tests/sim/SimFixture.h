#pragma once

// The Twilio stand-in in-process for tests: a ManualClock scheduler, the sim on a free loopback
// port, and a small webhook server playing the part of heartline-server that records every
// request the sim sends and checks its X-Twilio-Signature with heartline_core's code.

#include <functional>
#include <memory>
#include <optional>

#include <QAbstractHttpServer>
#include <QHash>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QList>
#include <QTcpSocket>
#include <QTest>

#include "CallEngine.h"
#include "SimScheduler.h"
#include "TwilioSim.h"
#include "core/Clock.h"
#include "twilio/FormParams.h"
#include "twilio/TwilioSignature.h"

namespace heartline::test {

using namespace Qt::StringLiterals;

inline const QString SimAccountSid = u"AC"_s + QString(32, u'a');
inline const QString SimAuthToken = u"0f1e2d3c4b5a69788796a5b4c3d2e1f0"_s;
constexpr int SettleLimitMs = 10'000; // a limit for a hung test, never a measured duration

/// One webhook as the test's server received it.
struct Hook
{
    QByteArray method;
    QString path;
    QString url; ///< as the sim requested it, query included
    QByteArray contentType;
    QByteArray body;
    FormParams params; ///< the form body (POST) or the query (GET)
    bool signatureValid = false;
    QString signatureVerdict;

    [[nodiscard]] QString param(const QString &name) const { return params.value(name); }
};

struct HookAnswer
{
    int status = 200;
    QByteArray body;
    bool hold = false; ///< never answer (a webhook that times out)
    QByteArray contentType = "text/xml";
};

/// The application the sim calls: answers each path with the TwiML set for it (404 otherwise), or
/// with whatever `answer` decides, and validates every signature.
class WebhookServer final : public QAbstractHttpServer
{
public:
    QHash<QString, QByteArray> twiml;                              ///< path → document
    std::function<std::optional<HookAnswer>(const Hook &)> answer; ///< consulted first when set
    QList<Hook> received;

    bool start()
    {
        m_port = listen(QHostAddress::LocalHost, 0);
        return m_port != 0;
    }
    [[nodiscard]] QString url(const QString &path) const { return u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path); }

    [[nodiscard]] QList<Hook> at(const QString &path) const
    {
        QList<Hook> out;
        for (const Hook &hook : received) {
            if (hook.path == path)
                out.append(hook);
        }
        return out;
    }
    [[nodiscard]] int count(const QString &path) const { return static_cast<int>(at(path).size()); }
    [[nodiscard]] bool allSignaturesValid() const
    {
        for (const Hook &hook : received) {
            if (!hook.signatureValid)
                return false;
        }
        return true;
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        Hook hook;
        hook.method = request.method() == QHttpServerRequest::Method::Get ? "GET" : "POST";
        hook.path = request.url().path();
        const QString query = request.url().query(QUrl::FullyEncoded);
        hook.url = url(request.url().path(QUrl::FullyEncoded)) + (query.isEmpty() ? QString() : u'?' + query);
        hook.contentType = request.value("content-type");
        hook.body = request.body();
        const Result<FormParams> params = FormParams::parse(hook.method == "GET" ? query.toLatin1() : hook.body);
        if (params)
            hook.params = params.value();
        const SignatureOutcome outcome
            = TwilioSignature(SimAuthToken.toUtf8())
                  .validateRequest(hook.url, hook.contentType, hook.body, request.value("x-twilio-signature"));
        hook.signatureValid = outcome.ok();
        hook.signatureVerdict = outcome.code();
        received.append(hook);

        HookAnswer reply;
        std::optional<HookAnswer> decided = answer ? answer(hook) : std::nullopt;
        if (decided) {
            reply = *decided;
        } else if (twiml.contains(hook.path)) {
            reply.body = twiml.value(hook.path);
        } else {
            reply.status = 404;
            reply.body = "not found";
        }
        if (reply.hold)
            return true; // the sim's webhook time limit decides
        QHttpServerResponder responder = makeResponder(request, socket);
        responder.write(reply.body, reply.contentType, static_cast<QHttpServerResponder::StatusCode>(reply.status));
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override { }

private:
    quint16 m_port = 0;
};

/// `<?xml…?><Response>…</Response>` around verbs.
inline QByteArray response(const QByteArray &verbs)
{
    return R"(<?xml version="1.0" encoding="UTF-8"?><Response>)" + verbs + "</Response>";
}

class SimFixture
{
public:
    ManualClock clock;
    SimScheduler scheduler {clock};
    WebhookServer hooks;
    std::unique_ptr<TwilioSim> sim;

    /// Starts the webhook server and the sim, with `/voice` as the voice URL and, when asked,
    /// `/status` as the status callback. `adjust` may change any other option.
    bool start(bool statusCallbacks = false, const std::function<void(SimOptions &)> &adjust = {})
    {
        if (!hooks.start())
            return false;
        SimOptions options;
        options.accountSid = SimAccountSid;
        options.authToken = SimAuthToken;
        options.voiceUrl = hooks.url(u"/voice"_s);
        if (statusCallbacks)
            options.statusCallbackUrl = hooks.url(u"/status"_s);
        if (adjust)
            adjust(options);
        sim = std::make_unique<TwilioSim>(options, scheduler);
        QString error;
        return sim->listen(QHostAddress::LocalHost, 0, &error);
    }

    CallEngine &engine() { return sim->engine(); }
    const SimCall &call(const QString &sid) { return *engine().findCall(sid); }

    /// Waits (real time, bounded) until every webhook the sim sent has been answered or given up.
    bool settle() const
    {
        return QTest::qWaitFor([this] { return sim->webhooksInFlight() == 0; }, SettleLimitMs);
    }

    /// Lets webhooks settle, moves simulated time, lets the consequences settle.
    bool advance(qint64 ms)
    {
        if (!settle())
            return false;
        scheduler.advance(ms);
        return settle();
    }

    /// Places a call and lets its first webhooks settle.
    QString placeCall(const QString &from = u"+15017122661"_s, const QString &to = u"+15558675310"_s)
    {
        const QString sid = engine().placeInboundCall(from, to);
        settle();
        return sid;
    }

    /// The details of the call's events of one kind, in order.
    QStringList events(const QString &sid, const QString &kind = {})
    {
        QStringList out;
        for (const CallEvent &event : call(sid).events) {
            if (kind.isEmpty() || event.kind == kind)
                out.append(event.detail);
        }
        return out;
    }
    bool hasEvent(const QString &sid, const QString &fragment)
    {
        for (const QString &detail : events(sid)) {
            if (detail.contains(fragment))
                return true;
        }
        return false;
    }
    /// The simulated time of the first event containing `fragment`, or -1.
    qint64 eventTime(const QString &sid, const QString &fragment)
    {
        for (const CallEvent &event : call(sid).events) {
            if (event.detail.contains(fragment))
                return event.atMs;
        }
        return -1;
    }
};

} // namespace heartline::test
