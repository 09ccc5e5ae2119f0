#include "http/Router.h"

#include <QLoggingCategory>

#include "JsonResponses.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcHttp, "heartline.http")

namespace heartline {

namespace {

using Method = QHttpServerRequest::Method;

struct MethodName
{
    Method method;
    const char *name;
};

constexpr MethodName methodNames[] = {
    {Method::Get, "GET"},     {Method::Put, "PUT"},         {Method::Delete, "DELETE"},
    {Method::Post, "POST"},   {Method::Head, "HEAD"},       {Method::Options, "OPTIONS"},
    {Method::Patch, "PATCH"}, {Method::Connect, "CONNECT"}, {Method::Trace, "TRACE"},
};

} // namespace

void Router::remember(const QString &pathPattern, QHttpServerRequest::Methods methods)
{
    // Same reading of the pattern as QHttpServerRouterRule: a regular expression, anchored, with
    // each <arg> standing for one path segment.
    QString expression = pathPattern;
    expression.replace(u"<arg>"_s, u"[^/]+"_s);
    m_known.append(KnownPath {pathPattern, QRegularExpression(u'^' + expression + u'$'), methods});
}

QList<Router::RegisteredRoute> Router::registered() const
{
    QList<RegisteredRoute> routes;
    for (const KnownPath &known : m_known) {
        for (const MethodName &name : methodNames) {
            if (known.methods.testFlag(name.method))
                routes.append(RegisteredRoute {known.pathPattern, QByteArray(name.name)});
        }
    }
    return routes;
}

void Router::reportRejected(const QString &pathPattern)
{
    // Only a programming error gets here (an invalid pattern or handler); tests catch the 404.
    qCCritical(lcHttp) << "QHttpServer rejected the route" << pathPattern;
}

QHttpServerResponse Router::unmatched(const QHttpServerRequest &request) const
{
    const QString path = request.url().path();
    QHttpServerRequest::Methods allowed;
    for (const KnownPath &known : m_known) {
        if (known.pattern.match(path).hasMatch())
            allowed |= known.methods;
    }
    // A known path with an accepted method only gets here when a typed <arg> did not convert
    // (e.g. letters for an int): that resource does not exist.
    if (!allowed || allowed.testFlag(request.method()))
        return errorResponse(ApiError::NotFound, u"no such resource: %1"_s.arg(path));

    const QByteArray allow = allowHeader(allowed);
    QHttpServerResponse response
        = errorResponse(ApiError::MethodNotAllowed, u"%1 accepts %2"_s.arg(path, QString::fromLatin1(allow)));
    response.setHeader("Allow", allow);
    return response;
}

QByteArray Router::allowHeader(QHttpServerRequest::Methods methods)
{
    QByteArrayList names;
    for (const MethodName &entry : methodNames) {
        if (methods.testFlag(entry.method))
            names.append(entry.name);
    }
    return names.join(", ");
}

} // namespace heartline
