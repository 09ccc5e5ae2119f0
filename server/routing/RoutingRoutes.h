#pragma once

namespace heartline {

class AuthService;
class CallRouter;
class Router;

/// GET /api/routing/decisions (supervisor, admin): the most recent routing decisions, newest
/// first, optionally only those involving one agent (chosen or examined).
void addRoutingRoutes(Router &router, const AuthService &auth, const CallRouter &calls);

} // namespace heartline
