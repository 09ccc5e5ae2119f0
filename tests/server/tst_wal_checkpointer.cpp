// WAL checkpoints off the event loop: with the checkpointer running, the server's own connection
// never checkpoints (its commits only append to the WAL), a checkpoint copies every frame into the
// database file where another connection reads it, and the WAL then starts over instead of growing;
// a WAL grown past the limit gets a RESTART checkpoint and its file is cut back.

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "Database.h"
#include "store/WalCheckpointer.h"

using namespace heartline;
using namespace Qt::StringLiterals;

namespace {

constexpr int PageSize = 4096;
/// SQLite's automatic checkpoint starts at 1000 WAL pages; writing more shows whether it ran.
constexpr int Rows = 1500;

bool exec(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql)) {
        qWarning() << sql << query.lastError().text();
        return false;
    }
    return true;
}

/// One commit per row of half a page (each writes a few WAL frames), as routed calls and status changes commit.
bool writeRows(const QSqlDatabase &db, int count)
{
    QSqlQuery insert(db);
    insert.prepare(u"INSERT INTO payload (data) VALUES (?)"_s);
    for (int i = 0; i < count; ++i) {
        insert.addBindValue(QByteArray(PageSize / 2, char('a' + i % 26)));
        if (!insert.exec())
            return false;
    }
    return true;
}

qint64 walBytes(const QString &path)
{
    return QFileInfo(path + u"-wal"_s).size();
}

} // namespace

class TestWalCheckpointer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void commitsOnlyAppendWhileTheCheckpointerRuns()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.db"_s);
        auto database = Database::open(path);
        QVERIFY(database);
        QVERIFY(exec(database->connection(), u"CREATE TABLE payload (id INTEGER PRIMARY KEY, data BLOB)"_s));
        WalCheckpointer checkpointer({3'600'000}); // only checkpointNow() checkpoints in this test
        QVERIFY(!checkpointer.start(*database));

        QVERIFY(writeRows(database->connection(), Rows));
        // Without an automatic checkpoint the WAL holds every page written since it started.
        QVERIFY2(walBytes(path) > qint64(Rows) * PageSize, qPrintable(QString::number(walBytes(path))));
    }

    void aCheckpointCopiesEveryFrameAndTheWalStartsOver()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.db"_s);
        auto database = Database::open(path);
        QVERIFY(database);
        QVERIFY(exec(database->connection(), u"CREATE TABLE payload (id INTEGER PRIMARY KEY, data BLOB)"_s));
        WalCheckpointer checkpointer({3'600'000, 1'000'000});
        QVERIFY(!checkpointer.start(*database));
        QVERIFY(writeRows(database->connection(), Rows));

        const CheckpointOutcome outcome = checkpointer.checkpointNow();
        QVERIFY2(outcome.ok, qPrintable(outcome.error));
        QVERIFY(outcome.walFrames > Rows);
        QCOMPARE(outcome.checkpointedFrames, outcome.walFrames);
        QVERIFY(!outcome.restarted); // a PASSIVE checkpoint only, below restartAtFrames

        // The next commits reuse the WAL from its start: the file does not grow (it is even cut back to
        // the 16 MB size limit).
        const qint64 before = walBytes(path);
        QVERIFY(writeRows(database->connection(), 100));
        QVERIFY2(walBytes(path) <= before, qPrintable(QString::number(walBytes(path))));

        // What was checkpointed is in the database file, readable by another connection.
        {
            QSqlDatabase reader = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"reader"_s);
            reader.setDatabaseName(path);
            QVERIFY(reader.open());
            QSqlQuery count(reader);
            QVERIFY(count.exec(u"SELECT count(*) FROM payload"_s) && count.next());
            QCOMPARE(count.value(0).toInt(), Rows + 100);
        }
        QSqlDatabase::removeDatabase(u"reader"_s);
    }

    void aWalPastTheLimitIsRestartedAndCutBack()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.db"_s);
        auto database = Database::open(path);
        QVERIFY(database);
        QVERIFY(exec(database->connection(), u"CREATE TABLE payload (id INTEGER PRIMARY KEY, data BLOB)"_s));
        WalCheckpointer checkpointer({3'600'000, Rows / 2, 256 * 1024});
        QVERIFY(!checkpointer.start(*database));
        QVERIFY(writeRows(database->connection(), Rows));
        QVERIFY(walBytes(path) > qint64(Rows) * PageSize);

        const CheckpointOutcome outcome = checkpointer.checkpointNow();
        QVERIFY2(outcome.ok, qPrintable(outcome.error));
        QVERIFY(outcome.restarted);
        QCOMPARE(outcome.checkpointedFrames, outcome.walFrames);
        // The next commit starts the WAL over and cuts the file back to the limit.
        QVERIFY(writeRows(database->connection(), 1));
        QVERIFY2(walBytes(path) <= 256 * 1024, qPrintable(QString::number(walBytes(path))));
    }

    void stopsAndReportsWhenAskedAfterwards()
    {
        QTemporaryDir dir;
        auto database = Database::open(dir.filePath(u"h.db"_s));
        QVERIFY(database);
        WalCheckpointer checkpointer;
        QVERIFY(!checkpointer.start(*database));
        QVERIFY(checkpointer.checkpointNow().ok);
        checkpointer.stop();
        const CheckpointOutcome afterStop = checkpointer.checkpointNow();
        QVERIFY(!afterStop.ok);
        QCOMPARE(afterStop.error, u"the checkpointer is not running"_s);
    }
};

QTEST_GUILESS_MAIN(TestWalCheckpointer)
#include "tst_wal_checkpointer.moc"
