#include "ui/AdminPanel.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "models/SupervisorSession.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// Audit log rows shown; older ones stay in GET /api/admin/audit.
constexpr int ChangesShown = 200;
/// As the server accepts them (UserStore::MinPasswordLength).
constexpr int MinPasswordLength = 8;

QTableWidgetItem *cell(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    return item;
}

QTableWidget *makeTable(const QStringList &headers, QWidget *parent)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setAlternatingRowColors(true);
    return table;
}

/// Two password fields that must agree and be long enough before OK is enabled.
class PasswordFields final
{
public:
    PasswordFields(QFormLayout *form, QWidget *parent) : m_first(new QLineEdit(parent)), m_second(new QLineEdit(parent))
    {
        for (QLineEdit *field : {m_first, m_second})
            field->setEchoMode(QLineEdit::Password);
        form->addRow(QObject::tr("Password:"), m_first);
        form->addRow(QObject::tr("Again:"), m_second);
    }
    [[nodiscard]] bool acceptable() const
    {
        return m_first->text().size() >= MinPasswordLength && m_first->text() == m_second->text();
    }
    [[nodiscard]] QString password() const { return m_first->text(); }
    void onChange(const std::function<void()> &changed) const
    {
        for (QLineEdit *field : {m_first, m_second})
            QObject::connect(field, &QLineEdit::textChanged, field, changed);
    }

private:
    QLineEdit *m_first;
    QLineEdit *m_second;
};

QDialogButtonBox *addButtons(QDialog *dialog, QVBoxLayout *layout)
{
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    layout->addWidget(buttons);
    return buttons;
}

} // namespace

AdminPanel::AdminPanel(SupervisorSession &session, QWidget *parent) : QWidget(parent), m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    auto *actions = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add user…"), this);
    m_disable = new QPushButton(tr("Disable"), this);
    m_enable = new QPushButton(tr("Enable"), this);
    m_password = new QPushButton(tr("Set password…"), this);
    m_profile = new QPushButton(tr("Edit profile…"), this);
    auto *reload = new QPushButton(tr("Reload routing"), this);
    reload->setToolTip(tr("Read the server's routing file again (queue settings; new queues need a restart)"));
    for (QPushButton *button : {add, m_disable, m_enable, m_password, m_profile, reload})
        actions->addWidget(button);
    actions->addStretch(1);
    layout->addLayout(actions);

    m_status = new QLabel(this);
    m_status->setObjectName(u"adminStatus"_s);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_usersTable = makeTable({tr("User"), tr("Name"), tr("Role"), tr("State"), tr("Skills"), tr("Priority"),
                              tr("Calls at once"), tr("Wrap-up (s)"), tr("Unanswered allowed")},
                             splitter);
    m_usersTable->setObjectName(u"adminUsers"_s);
    splitter->addWidget(m_usersTable);
    auto *changesBox = new QWidget(splitter);
    auto *changesLayout = new QVBoxLayout(changesBox);
    changesLayout->setContentsMargins(0, 0, 0, 0);
    changesLayout->addWidget(new QLabel(tr("Recent changes"), changesBox));
    m_changesTable = makeTable({tr("When"), tr("Change")}, changesBox);
    m_changesTable->setObjectName(u"adminChanges"_s);
    changesLayout->addWidget(m_changesTable);
    splitter->addWidget(changesBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    connect(add, &QPushButton::clicked, this, &AdminPanel::askAddUser);
    connect(m_disable, &QPushButton::clicked, this, [this] { setDisabled(selectedUser(), true); });
    connect(m_enable, &QPushButton::clicked, this, [this] { setDisabled(selectedUser(), false); });
    connect(m_password, &QPushButton::clicked, this, &AdminPanel::askPassword);
    connect(m_profile, &QPushButton::clicked, this, &AdminPanel::askProfile);
    connect(reload, &QPushButton::clicked, this, &AdminPanel::reloadRouting);
    connect(m_usersTable, &QTableWidget::itemSelectionChanged, this, &AdminPanel::updateButtons);
    connect(&m_session, &SupervisorSession::adminChanged, this, [this](const SupervisorAdminChange &change) {
        // Our own change is already reported by its answer; others' are news.
        if (change.actor != m_session.credentials().userId)
            report(true, tr("Changed: %1").arg(describe(change)));
        refresh();
    });
    updateButtons();
}

QString AdminPanel::describe(const SupervisorAdminChange &change)
{
    if (change.action == u"user.add")
        return tr("%1 added %2 (%3)").arg(change.actor, change.target, change.detail.value(u"role").toString());
    if (change.action == u"user.disable")
        return tr("%1 disabled %2").arg(change.actor, change.target);
    if (change.action == u"user.enable")
        return tr("%1 enabled %2").arg(change.actor, change.target);
    if (change.action == u"user.password")
        return tr("%1 set a new password for %2").arg(change.actor, change.target);
    if (change.action == u"agent.profile") {
        return tr("%1 changed the profile of %2 (%3)")
            .arg(change.actor, change.target, change.detail.keys().join(u", "_s));
    }
    if (change.action == u"routing.reload")
        return tr("%1 reloaded the routing plan").arg(change.actor);
    return tr("%1: %2 %3").arg(change.actor, change.action, change.target);
}

void AdminPanel::refresh()
{
    m_session.admin().users(this, [this](Result<QList<AdminUser>> users) {
        if (!users) {
            report(false, tr("Users could not be read: %1").arg(users.error().message));
            return;
        }
        showUsers(users.value());
    });
    m_session.admin().auditLog(ChangesShown, this, [this](Result<QList<SupervisorAdminChange>> changes) {
        if (!changes) {
            report(false, tr("The audit log could not be read: %1").arg(changes.error().message));
            return;
        }
        showChanges(changes.value());
    });
}

void AdminPanel::showUsers(const QList<AdminUser> &users)
{
    const QString selected = selectedUser();
    m_users = users;
    m_usersTable->setRowCount(int(users.size()));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int row = 0; row < users.size(); ++row) {
        const AdminUser &user = users.at(row);
        QString state = user.disabled ? tr("disabled") : tr("active");
        if (user.signInLockedUntilMs > now) {
            state = tr("sign-in locked until %1")
                        .arg(QDateTime::fromMSecsSinceEpoch(user.signInLockedUntilMs).toString(u"HH:mm:ss"_s));
        }
        const QStringList values {
            user.id,
            user.displayName,
            user.role,
            state,
            user.profile ? user.profile->skills.join(u", "_s) : QString(),
            user.profile ? QString::number(user.profile->priority) : QString(),
            user.profile ? QString::number(user.profile->maxConcurrentCalls) : QString(),
            user.profile ? QString::number(user.profile->wrapUpSeconds) : QString(),
            user.profile ? QString::number(user.profile->maxNoAnswer) : QString(),
        };
        for (int column = 0; column < values.size(); ++column)
            m_usersTable->setItem(row, column, cell(values.at(column)));
    }
    m_usersTable->resizeColumnsToContents();
    selectUser(selected);
    updateButtons();
    Q_EMIT usersRefreshed();
}

void AdminPanel::showChanges(const QList<SupervisorAdminChange> &changes)
{
    m_changesTable->setRowCount(int(changes.size()));
    for (int row = 0; row < changes.size(); ++row) {
        const SupervisorAdminChange &change = changes.at(row);
        m_changesTable->setItem(row, 0,
                                cell(QDateTime::fromMSecsSinceEpoch(change.atMs).toString(u"yyyy-MM-dd HH:mm:ss"_s)));
        auto *what = cell(describe(change));
        what->setToolTip(QString::fromUtf8(QJsonDocument(change.detail).toJson(QJsonDocument::Indented)));
        m_changesTable->setItem(row, 1, what);
    }
    m_changesTable->resizeColumnToContents(0);
    Q_EMIT changesRefreshed();
}

void AdminPanel::report(bool ok, const QString &text)
{
    m_status->setText(text);
    m_status->setStyleSheet(ok ? QString() : u"color: #a4262c;"_s);
}

QString AdminPanel::statusText() const
{
    return m_status->text();
}

AdminApi::Done AdminPanel::outcome(const QString &done)
{
    return [this, done](Result<QByteArray> answer) {
        if (answer)
            report(true, done);
        else
            report(false, tr("Refused: %1").arg(answer.error().message));
        Q_EMIT actionFinished(answer.ok());
        refresh();
    };
}

void AdminPanel::addUser(const QString &id, const QString &displayName, const QString &role, const QString &password)
{
    m_session.admin().addUser(id, displayName, role, password, this, outcome(tr("Added %1.").arg(id)));
}

void AdminPanel::setDisabled(const QString &id, bool disabled)
{
    if (id.isEmpty())
        return;
    m_session.admin().setDisabled(
        id, disabled, this,
        outcome(disabled ? tr("Disabled %1: their sessions ended.").arg(id) : tr("Enabled %1.").arg(id)));
}

void AdminPanel::setPassword(const QString &id, const QString &password)
{
    m_session.admin().setPassword(id, password, this,
                                  outcome(tr("New password set for %1: their sessions ended.").arg(id)));
}

void AdminPanel::saveProfile(const QString &agentId, const AdminProfile &profile)
{
    m_session.admin().changeProfile(agentId, profile, this, outcome(tr("Saved the profile of %1.").arg(agentId)));
}

void AdminPanel::reloadRouting()
{
    m_session.admin().reloadRouting(this, outcome(tr("The routing plan was reloaded.")));
}

bool AdminPanel::selectUser(const QString &id)
{
    for (int row = 0; row < m_users.size(); ++row) {
        if (m_users.at(row).id == id) {
            m_usersTable->selectRow(row);
            return true;
        }
    }
    return false;
}

QString AdminPanel::selectedUser() const
{
    const auto rows = m_usersTable->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.first().row() >= m_users.size())
        return {};
    return m_users.at(rows.first().row()).id;
}

void AdminPanel::updateButtons()
{
    const QString id = selectedUser();
    const AdminUser *user = nullptr;
    for (const AdminUser &candidate : std::as_const(m_users)) {
        if (candidate.id == id)
            user = &candidate;
    }
    // An admin cannot disable their own account (the server refuses it too).
    m_disable->setEnabled(user && !user->disabled && user->id != m_session.credentials().userId);
    m_enable->setEnabled(user && user->disabled);
    m_password->setEnabled(user != nullptr);
    m_profile->setEnabled(user && user->profile.has_value());
}

void AdminPanel::askAddUser()
{
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Add a user"));
    auto *layout = new QVBoxLayout(dialog);
    auto *form = new QFormLayout;
    auto *id = new QLineEdit(dialog);
    id->setPlaceholderText(tr("letters, digits, . _ @ -"));
    auto *name = new QLineEdit(dialog);
    auto *role = new QComboBox(dialog);
    role->addItem(tr("Agent"), u"agent"_s);
    role->addItem(tr("Supervisor"), u"supervisor"_s);
    role->addItem(tr("Admin"), u"admin"_s);
    form->addRow(tr("User id:"), id);
    form->addRow(tr("Name:"), name);
    form->addRow(tr("Role:"), role);
    auto passwords = std::make_shared<PasswordFields>(form, dialog);
    form->addRow(new QLabel(tr("At least %1 characters.").arg(MinPasswordLength), dialog));
    layout->addLayout(form);
    QDialogButtonBox *buttons = addButtons(dialog, layout);
    const auto check = [buttons, id, passwords] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!id->text().trimmed().isEmpty() && passwords->acceptable());
    };
    passwords->onChange(check);
    connect(id, &QLineEdit::textChanged, dialog, check);
    check();
    connect(dialog, &QDialog::accepted, this, [this, id, name, role, passwords] {
        addUser(id->text().trimmed(), name->text().trimmed(), role->currentData().toString(), passwords->password());
    });
    dialog->open();
}

void AdminPanel::askPassword()
{
    const QString id = selectedUser();
    if (id.isEmpty())
        return;
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("New password for %1").arg(id));
    auto *layout = new QVBoxLayout(dialog);
    auto *form = new QFormLayout;
    auto passwords = std::make_shared<PasswordFields>(form, dialog);
    form->addRow(new QLabel(tr("Their sessions end; they sign in with the new password."), dialog));
    layout->addLayout(form);
    QDialogButtonBox *buttons = addButtons(dialog, layout);
    const auto check = [buttons, passwords] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(passwords->acceptable());
    };
    passwords->onChange(check);
    check();
    connect(dialog, &QDialog::accepted, this, [this, id, passwords] { setPassword(id, passwords->password()); });
    dialog->open();
}

void AdminPanel::askProfile()
{
    const QString id = selectedUser();
    const AdminUser *user = nullptr;
    for (const AdminUser &candidate : std::as_const(m_users)) {
        if (candidate.id == id)
            user = &candidate;
    }
    if (!user || !user->profile)
        return;
    const AdminProfile current = *user->profile;
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Routing profile of %1").arg(id));
    auto *layout = new QVBoxLayout(dialog);
    auto *form = new QFormLayout;
    auto *skills = new QLineEdit(current.skills.join(u", "_s), dialog);
    skills->setToolTip(tr("The queues' skills this agent has, separated by commas"));
    auto spin = [dialog](int low, int high, int value) {
        auto *box = new QSpinBox(dialog);
        box->setRange(low, high);
        box->setValue(value);
        return box;
    };
    // The bounds the server checks (ProfileLimits).
    auto *priority = spin(-1'000'000, 1'000'000, current.priority);
    auto *calls = spin(1, 100, current.maxConcurrentCalls);
    auto *wrapUp = spin(0, 3600, current.wrapUpSeconds);
    auto *noAnswer = spin(0, 100, current.maxNoAnswer);
    form->addRow(tr("Skills:"), skills);
    form->addRow(tr("Priority (lower first):"), priority);
    form->addRow(tr("Calls at once:"), calls);
    form->addRow(tr("Wrap-up seconds:"), wrapUp);
    form->addRow(tr("Unanswered offers before away:"), noAnswer);
    layout->addLayout(form);
    addButtons(dialog, layout);
    connect(dialog, &QDialog::accepted, this, [=, this] {
        AdminProfile next;
        for (const QString &skill : skills->text().split(u',', Qt::SkipEmptyParts))
            next.skills.append(skill.trimmed());
        next.priority = priority->value();
        next.maxConcurrentCalls = calls->value();
        next.wrapUpSeconds = wrapUp->value();
        next.maxNoAnswer = noAnswer->value();
        saveProfile(id, next);
    });
    dialog->open();
}

} // namespace heartline
