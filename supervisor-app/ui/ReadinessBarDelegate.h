#pragma once

#include <QStyledItemDelegate>

namespace heartline {

/// Paints the readiness column as a bar as long as the score, green from the ready threshold, amber
/// in the middle, red below, with the score written on it. A not-ready agent's bar is drawn pale,
/// so a high score held back by a gate (on a call, away) does not look like a ready agent.
class ReadinessBarDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReadinessBarDelegate)

public:
    explicit ReadinessBarDelegate(int readyThreshold = 70, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    /// The bar colour for a score.
    [[nodiscard]] QColor colorFor(int score) const;

private:
    int m_threshold = 70;
};

} // namespace heartline
