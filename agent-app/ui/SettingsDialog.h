#pragma once

#include <QDialog>
#include <QUrl>

#include "sip/SipTypes.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace heartline {

/// What the agent (or their IT team) may change: the server and voice server addresses, a CA file
/// for the server's certificate, the softphone's microphone, speaker and ringer, and a few
/// preferences. Addresses and the CA file are checked before the dialog closes.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    struct Values
    {
        QUrl serverUrl;
        /// PEM file of authorities the server's certificate is checked against beside the system's.
        QString caFile;
        QUrl voiceUrl; ///< empty: no voice server
        bool ringSound = true;
        bool closeToTray = true;
        bool autoAway = true;
        int autoAnswerSeconds = 0; ///< 0: off
        /// The softphone's microphone, speaker and ringer (empty ids: the system's default).
        SipAudioDeviceSelection audioDevices;
        /// What the softphone can use now; empty when no softphone runs (the choice is kept).
        QList<SipAudioDevice> availableDevices;
    };

    explicit SettingsDialog(const Values &values, const QString &location, QWidget *parent = nullptr);

    [[nodiscard]] Values values() const;

    void accept() override;

private:
    QLineEdit *m_server = nullptr;
    QLineEdit *m_caFile = nullptr;
    QLineEdit *m_voice = nullptr;
    QCheckBox *m_ring = nullptr;
    QCheckBox *m_tray = nullptr;
    QCheckBox *m_autoAway = nullptr;
    QSpinBox *m_autoAnswer = nullptr;
    QComboBox *m_microphone = nullptr;
    QComboBox *m_speaker = nullptr;
    QComboBox *m_ringer = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace heartline
