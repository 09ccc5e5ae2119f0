#include "sip/WavAudio.h"

#include <cmath>
#include <numbers>

#include <QFile>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

Problem wavProblem(const QString &path, const QString &what)
{
    return Problem {u"bad_wav"_s, path, u"%1: %2"_s.arg(path, what)};
}

quint16 le16(const char *data)
{
    return qFromLittleEndian<quint16>(data);
}

quint32 le32(const char *data)
{
    return qFromLittleEndian<quint32>(data);
}

} // namespace

Result<WavAudio> WavAudio::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return wavProblem(path, file.errorString());
    const QByteArray bytes = file.readAll();
    if (bytes.size() < 12 || !bytes.startsWith("RIFF") || bytes.mid(8, 4) != "WAVE")
        return wavProblem(path, u"not a RIFF/WAVE file"_s);

    WavAudio audio;
    bool haveFormat = false;
    qsizetype offset = 12;
    while (offset + 8 <= bytes.size()) {
        const QByteArray id = bytes.mid(offset, 4);
        const quint32 declared = le32(bytes.constData() + offset + 4);
        const qsizetype body = offset + 8;
        if (id == "fmt ") {
            if (declared < 16 || body + 16 > bytes.size())
                return wavProblem(path, u"short fmt chunk"_s);
            const char *fmt = bytes.constData() + body;
            if (le16(fmt) != 1 || le16(fmt + 14) != 16)
                return wavProblem(path, u"not 16-bit PCM"_s);
            audio.channels = le16(fmt + 2);
            audio.sampleRate = int(le32(fmt + 4));
            haveFormat = true;
        } else if (id == "data") {
            if (!haveFormat)
                return wavProblem(path, u"data before the fmt chunk"_s);
            qsizetype size = declared;
            if (size == 0 || body + size > bytes.size())
                size = bytes.size() - body;
            audio.samples.resize(size / 2);
            for (qsizetype i = 0; i < audio.samples.size(); ++i)
                audio.samples[i] = qFromLittleEndian<qint16>(bytes.constData() + body + 2 * i);
            return audio;
        }
        offset = body + declared + (declared & 1);
    }
    return wavProblem(path, u"no data chunk"_s);
}

WavAudio WavAudio::tone(double frequencyHz, int durationMs, int sampleRate, double amplitude)
{
    WavAudio audio;
    audio.sampleRate = sampleRate;
    audio.channels = 1;
    const qsizetype count = qsizetype(sampleRate) * durationMs / 1000;
    audio.samples.resize(count);
    for (qsizetype i = 0; i < count; ++i) {
        const double value = amplitude * std::sin(2.0 * std::numbers::pi * frequencyHz * double(i) / sampleRate);
        audio.samples[i] = qint16(std::lround(value * 32767.0));
    }
    return audio;
}

bool WavAudio::write(const QString &path, QString *error) const
{
    const quint32 dataSize = quint32(samples.size() * 2);
    QByteArray bytes;
    bytes.reserve(44 + qsizetype(dataSize));
    const auto put16 = [&bytes](quint16 value) {
        char raw[2];
        qToLittleEndian(value, raw);
        bytes.append(raw, 2);
    };
    const auto put32 = [&bytes](quint32 value) {
        char raw[4];
        qToLittleEndian(value, raw);
        bytes.append(raw, 4);
    };
    bytes.append("RIFF");
    put32(36 + dataSize);
    bytes.append("WAVEfmt ");
    put32(16);
    put16(1); // PCM
    put16(quint16(channels));
    put32(quint32(sampleRate));
    put32(quint32(sampleRate * channels * 2));
    put16(quint16(channels * 2));
    put16(16);
    bytes.append("data");
    put32(dataSize);
    for (const qint16 sample : samples)
        put16(quint16(sample));

    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()) {
        if (error)
            *error = u"%1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

double WavAudio::durationSeconds() const
{
    if (sampleRate <= 0 || channels <= 0)
        return 0;
    return double(samples.size()) / channels / sampleRate;
}

double WavAudio::rms() const
{
    if (samples.isEmpty())
        return 0;
    double sum = 0;
    for (const qint16 sample : samples)
        sum += double(sample) * double(sample);
    return std::sqrt(sum / double(samples.size()));
}

} // namespace heartline
