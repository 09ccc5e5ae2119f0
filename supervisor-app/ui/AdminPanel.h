#pragma once

#include <QWidget>

#include "connection/AdminApi.h"

class QLabel;
class QPushButton;
class QTableWidget;

namespace heartline {

class SupervisorSession;

/// The Administration tab, shown to admins: every user with their state and (agents) routing
/// profile, the actions on them (add, disable, enable, new password, edit profile), a routing plan
/// reload, and the latest changes from the audit log. It refreshes itself when any admin's change
/// is pushed, so two admins see each other's work at once.
class AdminPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdminPanel)

public:
    explicit AdminPanel(SupervisorSession &session, QWidget *parent = nullptr);

    /// Reads users and the audit log again.
    void refresh();

    // What the buttons' dialogs do, also for tests. Each reports its outcome in statusText().
    void addUser(const QString &id, const QString &displayName, const QString &role, const QString &password);
    void setDisabled(const QString &id, bool disabled);
    void setPassword(const QString &id, const QString &password);
    void saveProfile(const QString &agentId, const AdminProfile &profile);
    void reloadRouting();

    /// Selects the user's row; false when it is not listed.
    bool selectUser(const QString &id);
    [[nodiscard]] QString selectedUser() const;
    [[nodiscard]] const QList<AdminUser> &users() const { return m_users; }
    [[nodiscard]] QTableWidget *usersTable() const { return m_usersTable; }
    [[nodiscard]] QTableWidget *changesTable() const { return m_changesTable; }
    [[nodiscard]] QString statusText() const;

    /// "ada disabled a2", "cli changed the profile of a5 (skills, wrapUpSeconds)".
    [[nodiscard]] static QString describe(const SupervisorAdminChange &change);

Q_SIGNALS:
    void usersRefreshed();
    void changesRefreshed();
    /// An action finished: done or refused (the status line says which).
    void actionFinished(bool ok);

private:
    void showUsers(const QList<AdminUser> &users);
    void showChanges(const QList<SupervisorAdminChange> &changes);
    void report(bool ok, const QString &text);
    /// The reply handler of an action: reports `done` or the server's refusal, then refreshes.
    [[nodiscard]] AdminApi::Done outcome(const QString &done);
    void updateButtons();
    void askAddUser();
    void askPassword();
    void askProfile();

    SupervisorSession &m_session;
    QList<AdminUser> m_users;
    QTableWidget *m_usersTable = nullptr;
    QTableWidget *m_changesTable = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_disable = nullptr;
    QPushButton *m_enable = nullptr;
    QPushButton *m_password = nullptr;
    QPushButton *m_profile = nullptr;
};

} // namespace heartline
