#pragma once

#include <utility>

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QList>
#include <QRegularExpression>
#include <QString>

namespace heartline {

/// Registers routes on a QHttpServer and answers every request no route matched.
///
/// How unmatched requests are told apart: QHttpServer's rules match path and method together,
/// so a known path asked with another method falls through to the server's missing handler
/// exactly like an unknown path does. The router therefore keeps its own list of every path
/// pattern it registered with the methods it accepts; for an unmatched request it answers
/// 405 method_not_allowed with an `Allow` header when the path is known, else 404 not_found, both
/// as JSON. HttpServerHost installs unmatched() as the missing handler (the Qt 6.4 API,
/// QHttpServer::setMissingHandler, changed in 6.8, so it stays in that one wrapper).
///
/// Paths use QHttpServer's pattern syntax: a regular expression with `<arg>` placeholders
/// (anchored at both ends). Register every route through here, never on QHttpServer directly,
/// or its path answers 404 for the wrong method instead of 405.
class Router final
{
    Q_DISABLE_COPY_MOVE(Router)

public:
    explicit Router(QHttpServer &http) : m_http(http) { }

    /// Adds a route. The handler takes what QHttpServer::route() accepts (captured `<arg>`
    /// values, then `const QHttpServerRequest &` and/or a responder).
    template <typename Handler>
    void route(const QString &pathPattern, QHttpServerRequest::Methods methods, Handler &&handler)
    {
        remember(pathPattern, methods);
        if (!m_http.route(pathPattern, methods, std::forward<Handler>(handler)))
            reportRejected(pathPattern);
    }

    /// The answer for a request no route matched.
    [[nodiscard]] QHttpServerResponse unmatched(const QHttpServerRequest &request) const;

    /// "GET, POST": the methods in the order of QHttpServerRequest::Method.
    [[nodiscard]] static QByteArray allowHeader(QHttpServerRequest::Methods methods);

    /// Every route registered so far: its pattern as given ("/api/agents/<arg>/status") and one
    /// method name ("POST") per accepted method, for the API description and its test.
    struct RegisteredRoute
    {
        QString pathPattern;
        QByteArray method;
    };
    [[nodiscard]] QList<RegisteredRoute> registered() const;

private:
    struct KnownPath
    {
        QString pathPattern;
        QRegularExpression pattern;
        QHttpServerRequest::Methods methods;
    };

    void remember(const QString &pathPattern, QHttpServerRequest::Methods methods);
    static void reportRejected(const QString &pathPattern);

    QHttpServer &m_http;
    QList<KnownPath> m_known;
};

} // namespace heartline
