// WavAudio, which the SIP tests trust to tell speech from silence in what a call recorded.

#include <QTemporaryDir>
#include <QTest>

#include "sip/WavAudio.h"

using namespace heartline;
using namespace Qt::StringLiterals;

class TestWavAudio final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesAndReadsBack()
    {
        QTemporaryDir folder;
        const WavAudio tone = WavAudio::tone(440, 500, 8000, 0.5);
        QCOMPARE(tone.samples.size(), 4000);
        QCOMPARE(tone.durationSeconds(), 0.5);
        const QString path = folder.filePath(u"tone.wav"_s);
        QVERIFY(tone.write(path));
        const auto read = WavAudio::read(path);
        QVERIFY2(read.ok(), read.ok() ? "" : qPrintable(read.error().message));
        QCOMPARE(read->sampleRate, 8000);
        QCOMPARE(read->channels, 1);
        QCOMPARE(read->samples, tone.samples);
    }

    void measuresLoudness()
    {
        // A sine's RMS is its amplitude over the square root of two.
        QVERIFY(qAbs(WavAudio::tone(440, 1000, 8000, 0.5).rms() - 0.5 * 32767 / std::sqrt(2.0)) < 50);
        WavAudio silence;
        silence.sampleRate = 8000;
        silence.channels = 1;
        silence.samples.fill(0, 8000);
        QCOMPARE(silence.rms(), 0.0);
        QCOMPARE(WavAudio {}.rms(), 0.0);
    }

    void readsAFileCutShort()
    {
        // The header promises 250 ms, the file holds 125: what is there is read.
        QTemporaryDir folder;
        const QString path = folder.filePath(u"short.wav"_s);
        QVERIFY(WavAudio::tone(440, 250, 8000).write(path));
        QFile file(path);
        QVERIFY(file.resize(44 + 2000));
        const auto read = WavAudio::read(path);
        QVERIFY(read.ok());
        QCOMPARE(read->samples.size(), 1000);
    }

    void refusesWhatIsNotPcm_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QByteArray() << u"not a RIFF/WAVE file"_s;
        QTest::newRow("text") << QByteArray("hello, this is not audio at all") << u"not a RIFF/WAVE file"_s;
        QByteArray floatWav = QByteArray(
            "RIFF\x24\0\0\0WAVEfmt \x10\0\0\0\x03\0\x01\0\x40\x1f\0\0\0\x7d\0\0\x04\0\x20\0data\0\0\0\0", 44);
        QTest::newRow("float samples") << floatWav << u"not 16-bit PCM"_s;
        QTest::newRow("no data") << QByteArray("RIFF\x04\0\0\0WAVE", 12) << u"no data chunk"_s;
    }

    void refusesWhatIsNotPcm()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        QTemporaryDir folder;
        const QString path = folder.filePath(u"bad.wav"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
        file.close();
        const auto read = WavAudio::read(path);
        QVERIFY(!read.ok());
        QVERIFY2(read.error().message.contains(expected), qPrintable(read.error().message));
        QVERIFY(!WavAudio::read(folder.filePath(u"missing.wav"_s)).ok());
    }
};

QTEST_APPLESS_MAIN(TestWavAudio)
#include "tst_wav_audio.moc"
