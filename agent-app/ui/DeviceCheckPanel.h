#pragma once

#include <QList>
#include <QWidget>

#include "devices/DeviceChecks.h"

class QLabel;
class QVBoxLayout;

namespace heartline {

/// The device check: one row per check, green, amber or red, with what was found and, when
/// something is wrong, the fix in plain words ("Plug in a headset.").
class DeviceCheckPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeviceCheckPanel)

public:
    explicit DeviceCheckPanel(QWidget *parent = nullptr);

    void showChecks(const QList<CheckItem> &checks);

private:
    QLabel *m_summary = nullptr;
    QVBoxLayout *m_rows = nullptr;
};

} // namespace heartline
