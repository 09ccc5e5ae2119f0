#include "ui/SettingsDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace heartline {

SettingsDialog::SettingsDialog(const Values &values, const QString &location, QWidget *parent) : QDialog(parent)
{
    setObjectName(u"settingsDialog"_s);
    setWindowTitle(tr("Heartline settings"));
    m_server = new QLineEdit(values.serverUrl.toString(), this);
    m_server->setObjectName(u"settingsServerUrl"_s);
    m_server->setPlaceholderText(u"http://heartline:8080"_s);
    m_voice = new QLineEdit(values.voiceUrl.toString(), this);
    m_voice->setObjectName(u"settingsVoiceUrl"_s);
    m_voice->setPlaceholderText(u"ws://voice-server:8090/voice"_s);
    m_ring = new QCheckBox(tr("Play a ring tone for incoming calls"), this);
    m_ring->setChecked(values.ringSound);
    m_tray = new QCheckBox(tr("Keep running in the tray when the window is closed"), this);
    m_tray->setChecked(values.closeToTray);
    m_autoAway = new QCheckBox(tr("Set me Away while the screen is locked"), this);
    m_autoAway->setChecked(values.autoAway);
    m_error = new QLabel(this);
    m_error->setObjectName(u"signInError"_s);
    m_error->setWordWrap(true);
    m_error->setVisible(false);

    auto *form = new QFormLayout;
    form->addRow(tr("Server"), m_server);
    form->addRow(tr("Voice server"), m_voice);
    auto *where = new QLabel(tr("Settings are kept in %1. Your password is never stored.").arg(location), this);
    where->setObjectName(u"hint"_s);
    where->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_ring);
    layout->addWidget(m_tray);
    layout->addWidget(m_autoAway);
    layout->addWidget(m_error);
    layout->addWidget(where);
    layout->addWidget(buttons);
    setMinimumWidth(480);
}

SettingsDialog::Values SettingsDialog::values() const
{
    Values v;
    v.serverUrl = QUrl(m_server->text().trimmed());
    v.voiceUrl = QUrl(m_voice->text().trimmed());
    v.ringSound = m_ring->isChecked();
    v.closeToTray = m_tray->isChecked();
    v.autoAway = m_autoAway->isChecked();
    return v;
}

void SettingsDialog::accept()
{
    const Values v = values();
    const bool serverOk = v.serverUrl.isValid() && !v.serverUrl.host().isEmpty()
        && (v.serverUrl.scheme() == u"http"_s || v.serverUrl.scheme() == u"https"_s);
    const bool voiceOk = v.voiceUrl.isEmpty()
        || (v.voiceUrl.isValid() && !v.voiceUrl.host().isEmpty()
            && (v.voiceUrl.scheme() == u"ws"_s || v.voiceUrl.scheme() == u"wss"_s));
    if (!serverOk) {
        m_error->setText(tr("The server address must start with http:// or https://."));
        m_error->setVisible(true);
        return;
    }
    if (!voiceOk) {
        m_error->setText(tr("The voice server address must start with ws:// or wss://, or be left empty."));
        m_error->setVisible(true);
        return;
    }
    QDialog::accept();
}

} // namespace heartline
