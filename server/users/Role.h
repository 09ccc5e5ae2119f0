#pragma once

#include <optional>

#include <QFlags>
#include <QString>
#include <QStringView>

namespace heartline {

/// What a user may do. Agents take calls; supervisors watch agents and queues; admins also
/// manage the system (cleanup endpoint, users).
enum class Role {
    Agent = 0x1,
    Supervisor = 0x2,
    Admin = 0x4,
};
Q_DECLARE_FLAGS(Roles, Role)
Q_DECLARE_OPERATORS_FOR_FLAGS(Roles)

inline constexpr Roles AnyRole = Roles(Role::Agent) | Role::Supervisor | Role::Admin;
/// Who may watch agents and queues.
inline constexpr Roles SupervisorRoles = Roles(Role::Supervisor) | Role::Admin;

/// Wire and database names: "agent", "supervisor", "admin".
[[nodiscard]] QString toString(Role role);
[[nodiscard]] std::optional<Role> roleFromString(QStringView text);
/// "agent, supervisor or admin", for error messages.
[[nodiscard]] QString acceptedRoles();

} // namespace heartline
