#include "users/Role.h"

using namespace Qt::StringLiterals;

namespace heartline {

QString toString(Role role)
{
    switch (role) {
    case Role::Agent:
        return u"agent"_s;
    case Role::Supervisor:
        return u"supervisor"_s;
    case Role::Admin:
        return u"admin"_s;
    }
    return {};
}

std::optional<Role> roleFromString(QStringView text)
{
    for (const Role role : {Role::Agent, Role::Supervisor, Role::Admin}) {
        if (text == toString(role))
            return role;
    }
    return std::nullopt;
}

QString acceptedRoles()
{
    return u"agent, supervisor or admin"_s;
}

} // namespace heartline
