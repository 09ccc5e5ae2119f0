#include "ui/SettingsDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "client/ServerTrust.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// A device list for one role: "System default" first, then the devices that can do the job; a
/// remembered device that is not plugged in now stays listed, so the choice is not lost.
QComboBox *deviceBox(const QString &objectName, const QList<SipAudioDevice> &devices, bool capture,
                     const QString &chosen, QWidget *parent)
{
    auto *box = new QComboBox(parent);
    box->setObjectName(objectName);
    box->addItem(SettingsDialog::tr("System default"), QString());
    for (const SipAudioDevice &device : devices) {
        if (capture ? device.canCapture : device.canPlay)
            box->addItem(device.name, device.id);
    }
    if (!chosen.isEmpty() && box->findData(chosen) < 0)
        box->addItem(SettingsDialog::tr("%1 (not plugged in)").arg(chosen), chosen);
    box->setCurrentIndex(qMax(0, box->findData(chosen)));
    box->setEnabled(!devices.isEmpty());
    return box;
}

} // namespace

SettingsDialog::SettingsDialog(const Values &values, const QString &location, QWidget *parent) : QDialog(parent)
{
    setObjectName(u"settingsDialog"_s);
    setWindowTitle(tr("Heartline settings"));
    m_server = new QLineEdit(values.serverUrl.toString(), this);
    m_server->setObjectName(u"settingsServerUrl"_s);
    m_server->setPlaceholderText(u"http://heartline:8080"_s);
    m_caFile = new QLineEdit(values.caFile, this);
    m_caFile->setObjectName(u"settingsCaFile"_s);
    m_caFile->setPlaceholderText(tr("None: the system's certificate authorities"));
    m_caFile->setToolTip(tr("For an https:// server whose certificate a company authority signed, or that signed "
                            "itself: the PEM file your IT team gives you."));
    auto *browse = new QPushButton(tr("Choose…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("CA file"), m_caFile->text(),
                                                          tr("Certificates (*.pem *.crt *.cer);;All files (*)"));
        if (!file.isEmpty())
            m_caFile->setText(file);
    });
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_caFile, 1);
    caRow->addWidget(browse);
    m_voice = new QLineEdit(values.voiceUrl.toString(), this);
    m_voice->setObjectName(u"settingsVoiceUrl"_s);
    m_voice->setPlaceholderText(u"ws://voice-server:8090/voice"_s);
    m_ring = new QCheckBox(tr("Play a ring tone for incoming calls"), this);
    m_ring->setChecked(values.ringSound);
    m_tray = new QCheckBox(tr("Keep running in the tray when the window is closed"), this);
    m_tray->setChecked(values.closeToTray);
    m_autoAway = new QCheckBox(tr("Set me Away while the screen is locked"), this);
    m_autoAway->setChecked(values.autoAway);
    m_autoAnswer = new QSpinBox(this);
    m_autoAnswer->setObjectName(u"settingsAutoAnswer"_s);
    m_autoAnswer->setRange(0, 30);
    m_autoAnswer->setSuffix(tr(" s"));
    m_autoAnswer->setSpecialValueText(tr("Off"));
    m_autoAnswer->setValue(values.autoAnswerSeconds);
    m_microphone = deviceBox(u"settingsMicrophone"_s, values.availableDevices, true, values.audioDevices.capture, this);
    m_speaker = deviceBox(u"settingsSpeaker"_s, values.availableDevices, false, values.audioDevices.playback, this);
    m_ringer = deviceBox(u"settingsRinger"_s, values.availableDevices, false, values.audioDevices.ringer, this);
    m_error = new QLabel(this);
    m_error->setObjectName(u"signInError"_s);
    m_error->setWordWrap(true);
    m_error->setVisible(false);

    auto *form = new QFormLayout;
    form->addRow(tr("Server"), m_server);
    form->addRow(tr("CA file"), caRow);
    form->addRow(tr("Voice server"), m_voice);
    form->addRow(tr("Microphone"), m_microphone);
    form->addRow(tr("Speaker"), m_speaker);
    form->addRow(tr("Ring on"), m_ringer);
    form->addRow(tr("Answer calls by itself after"), m_autoAnswer);
    QString hint = tr("Settings are kept in %1. Your password is never stored.").arg(location);
    if (values.availableDevices.isEmpty())
        hint += u' ' + tr("Sound devices can be chosen while signed in to a server that rings this app's softphone.");
    auto *where = new QLabel(hint, this);
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
    v.caFile = m_caFile->text().trimmed();
    v.voiceUrl = QUrl(m_voice->text().trimmed());
    v.ringSound = m_ring->isChecked();
    v.closeToTray = m_tray->isChecked();
    v.autoAway = m_autoAway->isChecked();
    v.autoAnswerSeconds = m_autoAnswer->value();
    v.audioDevices = {m_microphone->currentData().toString(), m_speaker->currentData().toString(),
                      m_ringer->currentData().toString()};
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
    if (const auto trust = ServerTrust::fromCaFile(v.caFile); !trust) {
        m_error->setText(trust.error().message);
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
