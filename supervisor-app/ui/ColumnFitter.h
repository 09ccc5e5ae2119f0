#pragma once

#include <QList>
#include <QObject>

class QTableView;

namespace heartline {

/// Shares a table's width out among its columns so that one column, the one read most, keeps room
/// for its text (the agent table's "Why not ready").
///
/// While everything fits, each column has its preferred width and the fill column the rest. When
/// the table is too narrow, optional columns are hidden, least important first (their figures are
/// also in the detail panel); then the shrinkable columns narrow towards their minimum, eliding their
/// text; only then does the table scroll sideways. Widening the table brings the hidden columns back.
/// A column the user drags to a new width keeps that width as its preferred one.
class ColumnFitter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ColumnFitter)

public:
    /// Fits `table` whenever its viewport changes width, `fillColumn` taking what is left.
    ColumnFitter(QTableView &table, int fillColumn);

    /// The room the fill column keeps before the table scrolls sideways.
    void setFillMinimumWidth(int width) { m_fillMinimum = width; }
    /// `minimum` below `preferred` lets the column shrink; a `hideRank` above 0 lets it hide, rank 1 first.
    void setColumn(int column, int preferred, int minimum, int hideRank = 0);
    /// The width a column needs for its header label, with room for the sort arrow.
    [[nodiscard]] int headerWidth(int column) const;
    /// The width a cell needs for `text` in the table's font.
    [[nodiscard]] int cellWidth(const QString &text) const;
    /// Fits the columns to the viewport's width now.
    void fit();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Column
    {
        int column = 0;
        int preferred = 0;
        int minimum = 0;
        int hideRank = 0;
    };

    void apply(const QList<Column> &shown, const QList<int> &widths, int fillWidth);
    void userResized(int column, int newSize);

    QTableView &m_table;
    int m_fillColumn = 0;
    int m_fillMinimum = 0;
    QList<Column> m_columns;
    bool m_applying = false;
};

} // namespace heartline
