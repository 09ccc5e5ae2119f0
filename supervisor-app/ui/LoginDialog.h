#pragma once

#include <QDialog>

#include "models/SupervisorSession.h"

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace heartline {

class SupervisorApi;

/// Signs a supervisor in: server URL, user id and password, checked by POST /api/auth/login. Only the
/// supervisor and admin roles are let through (an agent's session is ended again at once). The
/// server URL and user id are remembered in the user's settings; the password never is.
class LoginDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginDialog)

public:
    explicit LoginDialog(SupervisorApi &api, QWidget *parent = nullptr);
    ~LoginDialog() override;

    /// Valid after the dialog was accepted.
    [[nodiscard]] const SupervisorCredentials &credentials() const { return m_credentials; }

    void setServerUrl(const QString &url);
    void setUserId(const QString &userId);
    void setPassword(const QString &password);
    /// The message shown for the last refusal; empty when none.
    [[nodiscard]] QString errorText() const;

    /// Starts the login with what the fields hold (what the Sign in button does).
    void signIn();

private:
    void showError(const QString &message);
    void setBusy(bool busy);
    /// The URL typed, with http:// added when no scheme was given; invalid when unusable.
    [[nodiscard]] QUrl typedUrl() const;

    SupervisorApi &m_api;
    QLineEdit *m_server = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    SupervisorCredentials m_credentials;
};

} // namespace heartline
