#pragma once

#include <QDialog>
#include <QUrl>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace heartline {

/// What the agent (or their IT team) may change: the server and voice server addresses and a few
/// preferences. Addresses are checked before the dialog closes.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    struct Values
    {
        QUrl serverUrl;
        QUrl voiceUrl; ///< empty: no voice server
        bool ringSound = true;
        bool closeToTray = true;
        bool autoAway = true;
    };

    explicit SettingsDialog(const Values &values, const QString &location, QWidget *parent = nullptr);

    [[nodiscard]] Values values() const;

    void accept() override;

private:
    QLineEdit *m_server = nullptr;
    QLineEdit *m_voice = nullptr;
    QCheckBox *m_ring = nullptr;
    QCheckBox *m_tray = nullptr;
    QCheckBox *m_autoAway = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace heartline
