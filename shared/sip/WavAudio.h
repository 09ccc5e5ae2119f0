#pragma once

#include <QList>
#include <QString>

#include "core/Result.h"

namespace heartline {

/// 16-bit PCM audio as liblinphone plays and records it with Core::setUseFiles(): read and
/// written as WAV files, and measured (is a recording silent?).
struct WavAudio
{
    int sampleRate = 0;
    int channels = 0;
    QList<qint16> samples; ///< interleaved when channels > 1

    /// A WAV file of 16-bit PCM. liblinphone writes a recording's header when the call ends (it
    /// is all zeros until then), so read recordings after callEnded(). A data size of 0 or one
    /// past the end of the file (a file cut short) is read up to the end of the file.
    [[nodiscard]] static Result<WavAudio> read(const QString &path);
    /// A sine tone, mono.
    [[nodiscard]] static WavAudio tone(double frequencyHz, int durationMs, int sampleRate = 8000,
                                       double amplitude = 0.5);

    /// false with `*error` set when the file cannot be written.
    bool write(const QString &path, QString *error = nullptr) const;

    [[nodiscard]] double durationSeconds() const;
    /// Root mean square of all samples, in sample units (0–32768): silence and line noise stay
    /// well under 100, speech at a normal level is in the thousands.
    [[nodiscard]] double rms() const;
};

} // namespace heartline
