#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStringList>
#include <QVariant>

namespace heartline::test {

/// Reads tables of a database file through its own connection, to compare before and after.
class TableReader final
{
    Q_DISABLE_COPY_MOVE(TableReader)

public:
    explicit TableReader(const QString &path) : m_name(QStringLiteral("table-reader-%1").arg(quintptr(this)))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        db.open();
    }
    ~TableReader()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }

    /// Every row of the table as text, in rowid order: equal dumps mean equal content.
    [[nodiscard]] QStringList dump(const QString &table) const
    {
        QStringList rows;
        QSqlQuery query(QSqlDatabase::database(m_name));
        if (!query.exec(QStringLiteral("SELECT * FROM %1 ORDER BY rowid").arg(table)))
            return {QStringLiteral("error: ") + table};
        while (query.next()) {
            QStringList values;
            for (int i = 0; i < query.record().count(); ++i) {
                const QVariant value = query.value(i);
                values.append(value.isNull() ? QStringLiteral("NULL")
                                  : value.userType() == QMetaType::QByteArray
                                  ? QString::fromLatin1(value.toByteArray().toHex())
                                  : value.toString());
            }
            rows.append(values.join(u'|'));
        }
        return rows;
    }

    /// Every row the query returns, each as its values.
    [[nodiscard]] QList<QVariantList> rows(const QString &sql) const
    {
        QList<QVariantList> out;
        QSqlQuery query(QSqlDatabase::database(m_name));
        if (!query.exec(sql))
            return out;
        while (query.next()) {
            QVariantList values;
            for (int i = 0; i < query.record().count(); ++i)
                values.append(query.value(i));
            out.append(values);
        }
        return out;
    }

    [[nodiscard]] QVariant scalar(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name));
        if (!query.exec(sql) || !query.next())
            return {};
        return query.value(0);
    }

private:
    QString m_name;
};

} // namespace heartline::test
