#pragma once

#include <functional>

class QJsonObject;
class QObject;

namespace heartline {

class AuthService;
class Router;
class UserStore;
struct Principal;
struct User;

/// What a login answer carries besides the session, found out asynchronously (an agent's SIP
/// account). Calls `done` exactly once, on `context`'s thread, with the fields to add (perhaps none).
using LoginAnswerExtras
    = std::function<void(const Principal &who, QObject *context, std::function<void(const QJsonObject &)> done)>;

/// POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me. With `extras` the login answer
/// waits for them (their own time limit bounds the wait).
/// The services must outlive the router's server.
void addAuthRoutes(Router &router, AuthService &auth, LoginAnswerExtras extras = {});

/// A user as the API shows one: never password data; `signInLockedUntil` while failed sign-ins lock it.
[[nodiscard]] QJsonObject userJson(const User &user, const AuthService &auth);

/// GET /api/users (supervisors and admins): every user, without password data.
void addUserRoutes(Router &router, const AuthService &auth, const UserStore &users);

} // namespace heartline
