#pragma once

#include <optional>

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include "connection/SupervisorApi.h"
#include "core/Result.h"
#include "protocol/SupervisorProtocol.h"

namespace heartline {

/// An agent's routing profile as the admin routes show and take it.
struct AdminProfile
{
    QStringList skills;
    int priority = 0;
    int maxConcurrentCalls = 1;
    int wrapUpSeconds = 0;
    int maxNoAnswer = 0;

    friend bool operator==(const AdminProfile &, const AdminProfile &) = default;
};

/// One row of GET /api/admin/users.
struct AdminUser
{
    QString id;
    QString displayName;
    QString role; ///< "agent", "supervisor" or "admin"
    bool disabled = false;
    qint64 signInLockedUntilMs = 0;      ///< 0 when sign-in is not locked
    std::optional<AdminProfile> profile; ///< agents only

    friend bool operator==(const AdminUser &, const AdminUser &) = default;
};

/// Readers of the admin answers (public for tests).
[[nodiscard]] Result<QList<AdminUser>> parseAdminUsers(const QByteArray &body);
/// GET /api/admin/audit: newest first, as the `adminChange` pushes carry them.
[[nodiscard]] Result<QList<SupervisorAdminChange>> parseAuditLog(const QByteArray &body);

/// The admin routes (docs/api.md, "Administration") over the dashboard's HTTP client, so they use
/// its server address, token and TLS settings. Callbacks as SupervisorApi's: once, never after
/// `context` is gone; refusals carry the server's error code and message.
class AdminApi final
{
    Q_DISABLE_COPY_MOVE(AdminApi)

public:
    template <typename T> using Callback = SupervisorApi::Callback<T>;
    using Done = Callback<QByteArray>;

    explicit AdminApi(SupervisorApi &api) : m_api(api) { }

    void users(QObject *context, Callback<QList<AdminUser>> done);
    void addUser(const QString &id, const QString &displayName, const QString &role, const QString &password,
                 QObject *context, Done done);
    void setDisabled(const QString &id, bool disabled, QObject *context, Done done);
    void setPassword(const QString &id, const QString &password, QObject *context, Done done);
    /// Sends every field of the profile (the server records only those that changed).
    void changeProfile(const QString &agentId, const AdminProfile &profile, QObject *context, Done done);
    void reloadRouting(QObject *context, Done done);
    void auditLog(int limit, QObject *context, Callback<QList<SupervisorAdminChange>> done);

private:
    SupervisorApi &m_api;
};

} // namespace heartline
