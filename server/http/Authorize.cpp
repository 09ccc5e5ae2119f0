#include "http/Authorize.h"

#include <QHttpServerRequest>

#include "JsonResponses.h"

using namespace Qt::StringLiterals;

namespace heartline {

std::optional<QByteArray> bearerToken(const QHttpServerRequest &request)
{
    const QByteArray header = request.value("Authorization").trimmed();
    constexpr QByteArrayView scheme = "bearer ";
    if (header.size() <= scheme.size()
        || QByteArrayView(header).first(scheme.size()).compare(scheme, Qt::CaseInsensitive) != 0)
        return std::nullopt;
    const QByteArray token = header.mid(scheme.size()).trimmed();
    if (token.isEmpty())
        return std::nullopt;
    return token;
}

Authorization authorize(const AuthService &auth, const QHttpServerRequest &request, Roles allowed)
{
    const auto token = bearerToken(request);
    const auto principal = token ? auth.authenticate(*token) : std::nullopt;
    if (!principal) {
        QHttpServerResponse refusal = errorResponse(ApiError::Unauthenticated,
                                                    token ? u"the session token is invalid or has expired"_s
                                                          : u"an Authorization: Bearer <token> header is required"_s);
        refusal.setHeader("WWW-Authenticate", "Bearer");
        return refusal;
    }
    if (!allowed.testFlag(principal->role)) {
        return errorResponse(ApiError::Forbidden,
                             u"the role %1 may not use this route"_s.arg(toString(principal->role)));
    }
    return *principal;
}

} // namespace heartline
