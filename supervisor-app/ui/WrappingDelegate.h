#pragma once

#include <QStyledItemDelegate>

class QTreeView;

namespace heartline {

/// Wraps a tree's text at its column's width and asks for the row height that takes. QTreeView
/// measures a row without telling the delegate how wide the column is, so plain word wrap draws a
/// second line into a one-line row and elides it; this delegate passes the width on.
class WrappingDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WrappingDelegate)

public:
    /// Also turns on the view's word wrap, and lays the rows out again when a column changes width.
    explicit WrappingDelegate(QTreeView &view);

    [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    QTreeView &m_view;
};

} // namespace heartline
