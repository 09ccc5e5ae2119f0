#include "ui/StatusSelector.h"

#include <QSignalBlocker>

#include "ui/StatusIcons.h"
#include "ui/StatusText.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {
constexpr int StatusRole = Qt::UserRole;
constexpr int ReasonRole = Qt::UserRole + 1;
} // namespace

StatusSelector::StatusSelector(QWidget *parent) : QComboBox(parent)
{
    setObjectName(u"statusSelector"_s);
    setMinimumWidth(200);
    ensureEntry(AgentStatus::Available, {});
    for (const QString &reason : StatusText::awayReasons())
        ensureEntry(AgentStatus::Away, reason);
    ensureEntry(AgentStatus::Offline, {});
    connect(this, &QComboBox::activated, this, [this](int index) {
        const auto status = AgentStatus(itemData(index, StatusRole).toInt());
        Q_EMIT statusRequested(status, itemData(index, ReasonRole).toString());
    });
}

int StatusSelector::indexOf(AgentStatus status, const QString &reason) const
{
    for (int i = 0; i < count(); ++i) {
        if (itemData(i, StatusRole).toInt() == int(status)
            && (status != AgentStatus::Away || itemData(i, ReasonRole).toString() == reason))
            return i;
    }
    return -1;
}

int StatusSelector::ensureEntry(AgentStatus status, const QString &reason)
{
    if (const int existing = indexOf(status, reason); existing >= 0)
        return existing;
    // Extra away reasons go after the last away entry, keeping Offline at the bottom.
    int at = count();
    if (status == AgentStatus::Away) {
        const int offline = indexOf(AgentStatus::Offline, {});
        if (offline >= 0)
            at = offline;
    }
    insertItem(at, StatusIcons::forStatus(status), StatusText::statusWithReason(status, reason));
    setItemData(at, int(status), StatusRole);
    setItemData(at, reason, ReasonRole);
    return at;
}

void StatusSelector::showStatus(AgentStatus status, const QString &reason)
{
    const QSignalBlocker blocker(this);
    setCurrentIndex(ensureEntry(status, reason));
}

void StatusSelector::choose(AgentStatus status, const QString &reason)
{
    const int index = ensureEntry(status, reason);
    setCurrentIndex(index);
    Q_EMIT activated(index);
}

} // namespace heartline
