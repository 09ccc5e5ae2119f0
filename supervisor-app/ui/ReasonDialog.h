#pragma once

#include <QDialog>

class QComboBox;
class QDialogButtonBox;

namespace heartline {

/// Asks for the reason of an action (set away, log out): an editable list of usual reasons, 1-64
/// characters as the server accepts. Non-blocking: open() it and read reason() on accepted().
class ReasonDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReasonDialog)

public:
    ReasonDialog(const QString &title, const QString &prompt, const QStringList &suggestions,
                 QWidget *parent = nullptr);

    [[nodiscard]] QString reason() const;
    void setReason(const QString &reason);

    /// Usual away reasons, translated.
    [[nodiscard]] static QStringList awayReasons();
    /// Usual logout reasons, translated.
    [[nodiscard]] static QStringList logoutReasons();

private:
    void updateOk();

    QComboBox *m_reason = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace heartline
