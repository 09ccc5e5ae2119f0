#include "ui/LoginDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include "SupervisorLogging.h"
#include "connection/SupervisorApi.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {
const QString ServerKey = u"login/serverUrl"_s;
const QString UserKey = u"login/userId"_s;
} // namespace

LoginDialog::LoginDialog(SupervisorApi &api, QWidget *parent) : QDialog(parent), m_api(api)
{
    setWindowTitle(tr("Heartline Supervisor — Sign in"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Sign in with a supervisor or admin account."), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    const QSettings settings;
    m_server = new QLineEdit(settings.value(ServerKey, u"http://127.0.0.1:8080"_s).toString(), this);
    m_server->setObjectName(u"serverUrl"_s);
    m_server->setPlaceholderText(tr("http://host:port"));
    m_user = new QLineEdit(settings.value(UserKey).toString(), this);
    m_user->setObjectName(u"userId"_s);
    m_password = new QLineEdit(this);
    m_password->setObjectName(u"password"_s);
    m_password->setEchoMode(QLineEdit::Password);
    form->addRow(tr("&Server:"), m_server);
    form->addRow(tr("&User id:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    layout->addLayout(form);

    m_error = new QLabel(this);
    m_error->setObjectName(u"loginError"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #b3261e;"_s);
    m_error->hide();
    layout->addWidget(m_error);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Sign in"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &LoginDialog::signIn);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);

    (m_user->text().isEmpty() ? m_user : m_password)->setFocus();
    setMinimumWidth(380);
}

LoginDialog::~LoginDialog() = default;

void LoginDialog::setServerUrl(const QString &url)
{
    m_server->setText(url);
}

void LoginDialog::setUserId(const QString &userId)
{
    m_user->setText(userId);
    if (!userId.isEmpty())
        m_password->setFocus(); // what is left to type
}

void LoginDialog::setPassword(const QString &password)
{
    m_password->setText(password);
}

QString LoginDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QUrl LoginDialog::typedUrl() const
{
    QString text = m_server->text().trimmed();
    if (!text.contains(u"://"_s))
        text.prepend(u"http://"_s);
    QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s))
        return {};
    url.setPath({});
    return url;
}

void LoginDialog::signIn()
{
    const QUrl url = typedUrl();
    if (!url.isValid()) {
        showError(tr("Enter the server address as https://host:port (or http://host:port)."));
        m_server->setFocus();
        return;
    }
    const QString userId = m_user->text().trimmed();
    if (userId.isEmpty() || m_password->text().isEmpty()) {
        showError(tr("Enter your user id and password."));
        (userId.isEmpty() ? m_user : m_password)->setFocus();
        return;
    }
    setBusy(true);
    m_error->hide();
    m_api.setBaseUrl(url);
    m_api.setToken({});
    m_api.login(userId, m_password->text(), this, [this, url, userId](const Result<LoginReply> &reply) {
        setBusy(false);
        if (!reply) {
            const Problem &problem = reply.error();
            qCInfo(lcSupervisorUi).noquote() << "login refused:" << problem.code;
            if (problem.code == u"invalid_credentials"_s)
                showError(tr("The user id or password is wrong."));
            else if (problem.code == u"certificate_error"_s)
                showError(problem.message);
            else if (problem.code == u"network_error"_s)
                showError(tr("Cannot reach the server at %1: %2").arg(url.toDisplayString(), problem.message));
            else
                showError(tr("The server refused the sign-in: %1 (%2)").arg(problem.message, problem.code));
            return;
        }
        if (reply->role != u"supervisor"_s && reply->role != u"admin"_s) {
            // Do not leave the agent's session open behind a dashboard it may not use.
            m_api.setToken(reply->token);
            m_api.logout();
            showError(tr("%1 is an account with the role “%2”. The dashboard needs a supervisor or admin account.")
                          .arg(userId, reply->role));
            return;
        }
        m_credentials = SupervisorCredentials {url, userId, reply->role, reply->token};
        QSettings settings;
        settings.setValue(ServerKey, url.toString());
        settings.setValue(UserKey, userId);
        m_password->clear();
        accept();
    });
}

void LoginDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

void LoginDialog::setBusy(bool busy)
{
    m_server->setEnabled(!busy);
    m_user->setEnabled(!busy);
    m_password->setEnabled(!busy);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    m_buttons->button(QDialogButtonBox::Ok)->setText(busy ? tr("Signing in…") : tr("Sign in"));
}

} // namespace heartline
