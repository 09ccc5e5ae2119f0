#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace heartline {

/// The sign-in screen: server address, agent ID, password. Shows why a sign-in failed in words.
class LoginPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginPage)

public:
    explicit LoginPage(QWidget *parent = nullptr);

    void setServerUrl(const QString &url);
    void setAgentId(const QString &agentId);
    /// While the request is on its way the fields and the button are disabled.
    void setBusy(bool busy);
    /// Empty clears it.
    void showMessage(const QString &message);
    /// Clears the password and puts the cursor where typing is needed.
    void reset();
    /// Signs in with the address and agent ID shown and this password, as pressing Sign in does.
    void signInWith(const QString &password);

Q_SIGNALS:
    void signInRequested(const QString &serverUrl, const QString &agentId, const QString &password);

private:
    void submit();

    QLineEdit *m_server = nullptr;
    QLineEdit *m_agent = nullptr;
    QLineEdit *m_password = nullptr;
    QPushButton *m_signIn = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace heartline
