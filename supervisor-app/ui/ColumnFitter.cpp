#include "ui/ColumnFitter.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include <QEvent>
#include <QHeaderView>
#include <QStyle>
#include <QTableView>

namespace heartline {

ColumnFitter::ColumnFitter(QTableView &table, int fillColumn)
    : QObject(&table), m_table(table), m_fillColumn(fillColumn)
{
    QHeaderView *header = m_table.horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    m_table.viewport()->installEventFilter(this);
    connect(header, &QHeaderView::sectionResized, this,
            [this](int column, int, int newSize) { userResized(column, newSize); });
}

void ColumnFitter::setColumn(int column, int preferred, int minimum, int hideRank)
{
    const Column entry {column, preferred, std::min(minimum, preferred), hideRank};
    const auto found = std::find_if(m_columns.begin(), m_columns.end(),
                                    [column](const Column &known) { return known.column == column; });
    if (found != m_columns.end())
        *found = entry;
    else
        m_columns.append(entry);
}

int ColumnFitter::headerWidth(int column) const
{
    const QHeaderView *header = m_table.horizontalHeader();
    const QString label = m_table.model() ? m_table.model()->headerData(column, Qt::Horizontal).toString() : QString();
    const QStyle *style = header->style();
    const int margin = style->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header);
    const int arrow = style->pixelMetric(QStyle::PM_HeaderMarkSize, nullptr, header);
    return header->fontMetrics().horizontalAdvance(label) + 4 * margin + arrow;
}

int ColumnFitter::cellWidth(const QString &text) const
{
    // The item view's text margin on each side, plus a little air between columns.
    const int margin = m_table.style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, &m_table) + 1;
    return m_table.fontMetrics().horizontalAdvance(text) + 2 * margin + 6;
}

void ColumnFitter::fit()
{
    const int available = m_table.viewport()->width();
    if (available <= 0 || m_columns.isEmpty())
        return;
    QList<Column> shown = m_columns;
    const auto sumOf = [&shown](int Column::*field) {
        return std::accumulate(shown.cbegin(), shown.cend(), 0,
                               [field](int sum, const Column &c) { return sum + c.*field; });
    };
    // Hide optional columns, least important first, until the preferred widths leave the fill its room.
    while (sumOf(&Column::preferred) + m_fillMinimum > available) {
        const auto next = std::min_element(shown.begin(), shown.end(), [](const Column &a, const Column &b) {
            const int rankA = a.hideRank > 0 ? a.hideRank : std::numeric_limits<int>::max();
            const int rankB = b.hideRank > 0 ? b.hideRank : std::numeric_limits<int>::max();
            return rankA < rankB;
        });
        if (next == shown.end() || next->hideRank <= 0)
            break;
        shown.erase(next);
    }
    const int preferredSum = sumOf(&Column::preferred);
    const int minimumSum = sumOf(&Column::minimum);
    QList<int> widths;
    widths.reserve(shown.size());
    int fill = 0;
    if (preferredSum + m_fillMinimum <= available) {
        for (const Column &c : std::as_const(shown))
            widths.append(c.preferred);
        fill = available - preferredSum;
    } else if (minimumSum + m_fillMinimum <= available) {
        // Each shrinkable column gives up the same share of what it could give.
        const double share = double(available - m_fillMinimum - minimumSum) / double(preferredSum - minimumSum);
        int used = 0;
        for (const Column &c : std::as_const(shown)) {
            widths.append(c.minimum + int((c.preferred - c.minimum) * share));
            used += widths.last();
        }
        fill = available - used;
    } else {
        for (const Column &c : std::as_const(shown))
            widths.append(c.minimum);
        fill = m_fillMinimum; // the table scrolls sideways
    }
    apply(shown, widths, fill);
}

void ColumnFitter::apply(const QList<Column> &shown, const QList<int> &widths, int fillWidth)
{
    m_applying = true;
    QHeaderView *header = m_table.horizontalHeader();
    for (const Column &c : std::as_const(m_columns)) {
        const auto at
            = std::find_if(shown.cbegin(), shown.cend(), [&c](const Column &s) { return s.column == c.column; });
        header->setSectionHidden(c.column, at == shown.cend());
        if (at != shown.cend())
            header->resizeSection(c.column, widths.at(at - shown.cbegin()));
    }
    header->setSectionHidden(m_fillColumn, false);
    header->resizeSection(m_fillColumn, fillWidth);
    m_applying = false;
}

void ColumnFitter::userResized(int column, int newSize)
{
    if (m_applying || column == m_fillColumn)
        return;
    for (Column &c : m_columns) {
        if (c.column == column) {
            c.preferred = newSize;
            c.minimum = std::min(c.minimum, newSize);
        }
    }
    // After the drag's own resize has been applied, so the fill column gives or takes the difference.
    QMetaObject::invokeMethod(this, &ColumnFitter::fit, Qt::QueuedConnection);
}

bool ColumnFitter::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table.viewport() && event->type() == QEvent::Resize && !m_applying)
        fit();
    return QObject::eventFilter(watched, event);
}

} // namespace heartline
