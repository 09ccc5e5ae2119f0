#include "ui/DeviceCheckPanel.h"

#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "ui/StatusIcons.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

QString stateName(CheckState state)
{
    switch (state) {
    case CheckState::Pass:
        return u"pass"_s;
    case CheckState::Warn:
        return u"warn"_s;
    case CheckState::Fail:
        return u"fail"_s;
    case CheckState::Unknown:
        break;
    }
    return u"unknown"_s;
}

QWidget *row(const CheckItem &item, QWidget *parent)
{
    auto *widget = new QWidget(parent);
    widget->setObjectName(u"check-"_s + item.id);
    widget->setProperty("checkState", stateName(item.state));
    auto *icon = new QLabel(widget);
    icon->setPixmap(StatusIcons::forCheck(item.state).pixmap(22, 22));
    icon->setFixedWidth(28);
    auto *title = new QLabel(item.title, widget);
    title->setObjectName(u"checkTitle"_s);
    auto *detail = new QLabel(item.detail, widget);
    detail->setObjectName(u"checkDetail"_s);
    detail->setWordWrap(true);
    auto *fix = new QLabel(item.fix, widget);
    fix->setObjectName(u"checkFix"_s);
    fix->setWordWrap(true);
    fix->setVisible(!item.fix.isEmpty());

    auto *grid = new QGridLayout(widget);
    grid->setContentsMargins(4, 6, 4, 6);
    grid->setHorizontalSpacing(10);
    grid->setVerticalSpacing(2);
    grid->addWidget(icon, 0, 0, 3, 1, Qt::AlignTop);
    grid->addWidget(title, 0, 1);
    grid->addWidget(detail, 1, 1);
    grid->addWidget(fix, 2, 1);
    grid->setColumnStretch(1, 1);
    return widget;
}

} // namespace

DeviceCheckPanel::DeviceCheckPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(u"deviceCheckPanel"_s);
    setAttribute(Qt::WA_StyledBackground); // the card background comes from the style sheet
    m_summary = new QLabel(this);
    m_summary->setObjectName(u"checkSummary"_s);
    m_summary->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 16, 18, 16);
    layout->setSpacing(6);
    layout->addWidget(m_summary);
    m_rows = new QVBoxLayout;
    m_rows->setSpacing(2);
    layout->addLayout(m_rows);
}

void DeviceCheckPanel::showChecks(const QList<CheckItem> &checks)
{
    while (QLayoutItem *item = m_rows->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const CheckItem &check : checks)
        m_rows->addWidget(row(check, this));
    const auto failing
        = std::count_if(checks.begin(), checks.end(), [](const CheckItem &c) { return c.state == CheckState::Fail; });
    if (DeviceChecks::allPass(checks))
        m_summary->setText(tr("All set: your headset, voice line and connection are working."));
    else if (failing > 0)
        m_summary->setText(failing == 1 ? tr("One thing needs your attention before calls can reach you.")
                                        : tr("%1 things need your attention before calls can reach you.").arg(failing));
    else
        m_summary->setText(tr("Calls can reach you, but something could be better."));
}

} // namespace heartline
