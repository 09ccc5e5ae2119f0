#include "ui/LoginPage.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace heartline {

LoginPage::LoginPage(QWidget *parent) : QWidget(parent)
{
    setObjectName(u"loginPage"_s);
    auto *title = new QLabel(tr("Sign in to Heartline"), this);
    title->setObjectName(u"pageTitle"_s);
    auto *intro = new QLabel(tr("Sign in to take calls. Your status and your headset are watched for you while you "
                                "work."),
                             this);
    intro->setWordWrap(true);
    intro->setObjectName(u"hint"_s);

    m_server = new QLineEdit(this);
    m_server->setObjectName(u"serverUrl"_s);
    m_server->setPlaceholderText(u"http://heartline:8080"_s);
    m_agent = new QLineEdit(this);
    m_agent->setObjectName(u"agentId"_s);
    m_agent->setPlaceholderText(tr("e.g. alice"));
    m_password = new QLineEdit(this);
    m_password->setObjectName(u"password"_s);
    m_password->setEchoMode(QLineEdit::Password);

    auto *form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    form->setVerticalSpacing(10);
    form->addRow(tr("Server"), m_server);
    form->addRow(tr("Agent ID"), m_agent);
    form->addRow(tr("Password"), m_password);

    m_message = new QLabel(this);
    m_message->setObjectName(u"signInError"_s);
    m_message->setWordWrap(true);
    m_message->setVisible(false);

    m_signIn = new QPushButton(tr("Sign in"), this);
    m_signIn->setObjectName(u"signInButton"_s);
    m_signIn->setDefault(true);
    m_signIn->setAutoDefault(true);

    auto *card = new QWidget(this);
    card->setObjectName(u"card"_s);
    card->setMaximumWidth(460);
    auto *cardLayout = new QVBoxLayout(card);
    cardLayout->setContentsMargins(28, 24, 28, 24);
    cardLayout->setSpacing(14);
    cardLayout->addWidget(title);
    cardLayout->addWidget(intro);
    cardLayout->addLayout(form);
    cardLayout->addWidget(m_message);
    cardLayout->addWidget(m_signIn, 0, Qt::AlignRight);

    // Centred between stretches rather than with an alignment flag: an aligned item gets its size hint's
    // height, too short once a wrapped message shows and the fields above it were squeezed.
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(card, 10); // as wide as its maximum allows
    row->addStretch(1);
    auto *outer = new QVBoxLayout(this);
    outer->addStretch(1);
    outer->addLayout(row);
    outer->addStretch(2);

    connect(m_signIn, &QPushButton::clicked, this, &LoginPage::submit);
    connect(m_password, &QLineEdit::returnPressed, this, &LoginPage::submit);
    connect(m_agent, &QLineEdit::returnPressed, this, &LoginPage::submit);
}

void LoginPage::setServerUrl(const QString &url)
{
    m_server->setText(url);
}

void LoginPage::setAgentId(const QString &agentId)
{
    m_agent->setText(agentId);
}

void LoginPage::setBusy(bool busy)
{
    m_server->setEnabled(!busy);
    m_agent->setEnabled(!busy);
    m_password->setEnabled(!busy);
    m_signIn->setEnabled(!busy);
    m_signIn->setText(busy ? tr("Signing in…") : tr("Sign in"));
}

void LoginPage::showMessage(const QString &message)
{
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

void LoginPage::reset()
{
    m_password->clear();
    setBusy(false);
    if (m_server->text().isEmpty())
        m_server->setFocus();
    else if (m_agent->text().isEmpty())
        m_agent->setFocus();
    else
        m_password->setFocus();
}

void LoginPage::signInWith(const QString &password)
{
    m_password->setText(password);
    submit();
}

void LoginPage::submit()
{
    const QString server = m_server->text().trimmed();
    const QString agent = m_agent->text().trimmed();
    const QUrl url(server, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s)) {
        showMessage(tr("Enter the server address with http:// or https://, for example http://heartline:8080."));
        m_server->setFocus();
        return;
    }
    if (agent.isEmpty()) {
        showMessage(tr("Enter your agent ID."));
        m_agent->setFocus();
        return;
    }
    if (m_password->text().isEmpty()) {
        showMessage(tr("Enter your password."));
        m_password->setFocus();
        return;
    }
    showMessage({});
    setBusy(true);
    Q_EMIT signInRequested(server, agent, m_password->text());
}

} // namespace heartline
