#include "ui/ReadinessBarDelegate.h"

#include <QApplication>
#include <QPainter>

#include "models/AgentTableModel.h"

namespace heartline {

ReadinessBarDelegate::ReadinessBarDelegate(int readyThreshold, QObject *parent)
    : QStyledItemDelegate(parent), m_threshold(readyThreshold)
{ }

QColor ReadinessBarDelegate::colorFor(int score) const
{
    if (score >= m_threshold)
        return {0x2e, 0x9e, 0x4f};
    if (score >= m_threshold / 2)
        return {0xe0, 0x9a, 0x1f};
    return {0xd0, 0x34, 0x2c};
}

void ReadinessBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QStyle *style = option.widget ? option.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);

    if (!index.data(AgentTableModel::LoggedInRole).toBool()) {
        painter->save();
        painter->setPen(option.palette.color(QPalette::Disabled, QPalette::Text));
        painter->drawText(option.rect.adjusted(6, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("–"));
        painter->restore();
        return;
    }
    const int score = std::clamp(index.data(AgentTableModel::ScoreRole).toInt(), 0, 100);
    const bool ready = index.data(AgentTableModel::ReadyRole).toBool();
    const bool stale = index.data(AgentTableModel::StaleRole).toBool();

    const QRectF track = QRectF(option.rect).adjusted(4, 5, -4, -5);
    QColor color = stale ? QColor(0xb4, 0xb4, 0xb4) : colorFor(score);
    if (!ready && !stale)
        color.setAlphaF(0.45f);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(option.palette.color(QPalette::Midlight));
    painter->drawRoundedRect(track, 3, 3);
    QRectF bar = track;
    bar.setWidth(track.width() * score / 100.0);
    painter->setBrush(color);
    painter->drawRoundedRect(bar, 3, 3);
    painter->setPen(ready && !stale ? QColor(Qt::white) : option.palette.color(QPalette::Text));
    if (ready && !stale && bar.width() < 28)
        painter->setPen(option.palette.color(QPalette::Text));
    QFont font = option.font;
    font.setBold(ready);
    painter->setFont(font);
    painter->drawText(track.adjusted(6, 0, -4, 0), Qt::AlignLeft | Qt::AlignVCenter, QString::number(score));
    painter->restore();
}

QSize ReadinessBarDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(std::max(size.width(), 110));
    return size;
}

} // namespace heartline
