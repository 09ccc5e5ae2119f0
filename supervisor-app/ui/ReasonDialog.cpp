#include "ui/ReasonDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "protocol/ProtocolTypes.h"

using namespace Qt::StringLiterals;

namespace heartline {

ReasonDialog::ReasonDialog(const QString &title, const QString &prompt, const QStringList &suggestions, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(title);
    setObjectName(u"reasonDialog"_s);
    auto *layout = new QVBoxLayout(this);
    auto *label = new QLabel(prompt, this);
    label->setWordWrap(true);
    layout->addWidget(label);
    m_reason = new QComboBox(this);
    m_reason->setObjectName(u"reason"_s);
    m_reason->setEditable(true);
    m_reason->addItems(suggestions);
    m_reason->lineEdit()->setMaxLength(MaxReasonLength);
    layout->addWidget(m_reason);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
    connect(m_reason, &QComboBox::currentTextChanged, this, &ReasonDialog::updateOk);
    updateOk();
    setMinimumWidth(320);
}

QString ReasonDialog::reason() const
{
    return m_reason->currentText().trimmed();
}

void ReasonDialog::setReason(const QString &reason)
{
    m_reason->setCurrentText(reason);
}

void ReasonDialog::updateOk()
{
    const qsizetype length = reason().size();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(length >= 1 && length <= MaxReasonLength);
}

QStringList ReasonDialog::awayReasons()
{
    return {tr("meeting"), tr("break"), tr("lunch"), tr("training"), tr("coaching"), tr("technical issue")};
}

QStringList ReasonDialog::logoutReasons()
{
    return {tr("shift ended"), tr("left without logging out"), tr("technical issue")};
}

} // namespace heartline
