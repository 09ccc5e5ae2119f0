#pragma once

namespace heartline {

class AdminService;
class AuthService;
class Router;

/// The admin routes (admins only; docs/api.md, "Administration"): users added, listed, disabled,
/// enabled and given a new password; agents' routing profiles read and changed; the routing plan
/// reloaded; the audit log read. Bodies are checked as everywhere (400 with the field at fault),
/// and nothing is written unless the whole request is acceptable.
void addAdminRoutes(Router &router, const AuthService &auth, AdminService &admin);

} // namespace heartline
