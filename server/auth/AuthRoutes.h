#pragma once

namespace heartline {

class AuthService;
class Router;
class UserStore;

/// POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me.
/// The services must outlive the router's server.
void addAuthRoutes(Router &router, AuthService &auth);

/// GET /api/users (supervisors and admins): every user, without password data.
void addUserRoutes(Router &router, const AuthService &auth, const UserStore &users);

} // namespace heartline
