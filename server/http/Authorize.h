#pragma once

#include <optional>
#include <variant>

#include <QByteArray>
#include <QHttpServerResponse>

#include "auth/AuthService.h"
#include "users/Role.h"

class QHttpServerRequest;

namespace heartline {

/// Either who is asking, or the answer refusing them.
using Authorization = std::variant<Principal, QHttpServerResponse>;

/// The check every authenticated route starts with: `Authorization: Bearer <token>` must name a
/// live session (else 401 unauthenticated, with `WWW-Authenticate: Bearer`) whose role is in
/// `allowed` (else 403 forbidden). Memory only; no database query.
///
///     auto auth = authorize(m_auth, request, SupervisorRoles);
///     if (auto *refusal = std::get_if<QHttpServerResponse>(&auth))
///         return std::move(*refusal);
///     const Principal &who = std::get<Principal>(auth);
[[nodiscard]] Authorization authorize(const AuthService &auth, const QHttpServerRequest &request, Roles allowed);

/// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), if any.
[[nodiscard]] std::optional<QByteArray> bearerToken(const QHttpServerRequest &request);

} // namespace heartline
