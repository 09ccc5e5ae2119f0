#include "ui/WrappingDelegate.h"

#include <QHeaderView>
#include <QTreeView>

namespace heartline {

WrappingDelegate::WrappingDelegate(QTreeView &view) : QStyledItemDelegate(&view), m_view(view)
{
    m_view.setWordWrap(true);
    m_view.setUniformRowHeights(false);
    // Row heights are measured once; a narrower column needs taller rows.
    connect(m_view.header(), &QHeaderView::sectionResized, &m_view, [this] { m_view.doItemsLayout(); });
}

QSize WrappingDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem sized = option;
    // The style wraps only within a valid rectangle; its height does not matter here.
    sized.rect = QRect(0, 0, m_view.header()->sectionSize(index.column()), 1);
    sized.features |= QStyleOptionViewItem::WrapText;
    return QStyledItemDelegate::sizeHint(sized, index);
}

} // namespace heartline
