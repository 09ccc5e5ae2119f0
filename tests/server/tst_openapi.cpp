// GET /api/openapi.json describes the HTTP API the server really has: every route the server
// registers is documented with its method, and every documented route answers as a route (not
// with the router's own 404 or 405), as a client generated from the document would find it.

#include <QJsonArray>
#include <QSet>
#include <QTest>

#include "RoutingFixture.h"
#include "http/ApiDescription.h"
#include "http/Router.h"

using namespace heartline;
using namespace heartline::test;
using namespace Qt::StringLiterals;

namespace {

QString key(const QString &method, const QString &routerPattern)
{
    return method.toUpper() + u' ' + routerPattern;
}

} // namespace

class TestOpenApi final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RoutingFixture> m_fixture;

    QJsonObject document()
    {
        HttpTestClient http(m_fixture->server().baseUrl());
        const HttpReply reply = http.get(u"/api/openapi.json"_s);
        if (reply.status != 200 || !reply.contentType.startsWith("application/json"))
            return {};
        return reply.json();
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<RoutingFixture>();
        QVERIFY(m_fixture->start());
    }

    void cleanup() { m_fixture.reset(); }

    void isAnOpenApi3DocumentServedWithoutAToken()
    {
        const QJsonObject doc = document();
        QVERIFY(doc.value(u"openapi"_s).toString().startsWith(u"3."_s));
        QCOMPARE(doc.value(u"info"_s)[u"version"_s].toString(), QStringLiteral(HEARTLINE_VERSION));
        QVERIFY(doc.value(u"paths"_s).toObject().size() > 20);
        // Operations that need a token say so, webhooks and public routes do not.
        const QJsonObject paths = doc.value(u"paths"_s).toObject();
        QCOMPARE(paths[u"/api/agents"_s][u"get"_s][u"security"_s].toArray().size(), 1);
        QCOMPARE(paths[u"/healthz"_s][u"get"_s][u"security"_s].toArray().size(), 0);
        QCOMPARE(paths[u"/twilio/voice/inbound"_s][u"post"_s][u"security"_s].toArray().size(), 0);
        QCOMPARE(paths[u"/api/agents/{agentId}/status"_s][u"post"_s][u"parameters"_s][0][u"name"_s].toString(),
                 u"agentId"_s);
        QVERIFY(paths[u"/api/agents"_s][u"get"_s][u"responses"_s].toObject().contains(u"403"_s));
        QCOMPARE(paths[u"/api/agents/{agentId}/status"_s][u"post"_s][u"operationId"_s].toString(),
                 u"post_api_agents_agentId_status"_s);
        // Operation ids are unique, as OpenAPI requires.
        QSet<QString> ids;
        int operations = 0;
        for (const QJsonValue &item : paths) {
            for (const QJsonValue &operation : item.toObject()) {
                ids.insert(operation[u"operationId"_s].toString());
                ++operations;
            }
        }
        QCOMPARE(ids.size(), operations);
    }

    void everyRegisteredRouteIsDocumented()
    {
        QSet<QString> documented;
        const QJsonObject paths = document().value(u"paths"_s).toObject();
        for (auto path = paths.constBegin(); path != paths.constEnd(); ++path) {
            const QJsonObject item = path.value().toObject();
            for (auto method = item.constBegin(); method != item.constEnd(); ++method)
                documented.insert(key(method.key(), routerPattern(path.key())));
        }
        const Router *router = m_fixture->server().server().router();
        QVERIFY(router);
        QSet<QString> registered;
        for (const Router::RegisteredRoute &route : router->registered())
            registered.insert(key(QString::fromLatin1(route.method), route.pathPattern));
        QVERIFY(registered.size() > 20);
        QSet<QString> undocumented = registered - documented;
        QVERIFY2(undocumented.isEmpty(), qPrintable(u"not in the document: "_s + undocumented.values().join(u", "_s)));
        QSet<QString> missing = documented - registered;
        QVERIFY2(missing.isEmpty(), qPrintable(u"documented but not served: "_s + missing.values().join(u", "_s)));
    }

    void everyDocumentedRouteAnswersAsARoute()
    {
        HttpTestClient http(m_fixture->server().baseUrl());
        const QJsonObject paths = document().value(u"paths"_s).toObject();
        for (auto path = paths.constBegin(); path != paths.constEnd(); ++path) {
            // Parameters get values a route reads as such; no token, so most answer 401 or 403.
            QString concrete = path.key();
            concrete.replace(u"{agentId}"_s, u"nobody"_s)
                .replace(u"{userId}"_s, u"nobody"_s)
                .replace(u"{file}"_s, u"hold-music.wav"_s);
            const QJsonObject item = path.value().toObject();
            for (auto method = item.constBegin(); method != item.constEnd(); ++method) {
                const HttpReply reply = method.key() == u"get"
                    ? http.get(concrete)
                    : http.send(method.key().toUpper().toLatin1(), concrete, "{}", "application/json");
                const QString code = reply.errorCode();
                QVERIFY2(code != u"not_found" && code != u"method_not_allowed",
                         qPrintable(u"%1 %2 answered %3 %4"_s.arg(method.key(), concrete).arg(reply.status).arg(code)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestOpenApi)
#include "tst_openapi.moc"
