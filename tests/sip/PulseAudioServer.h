#pragma once

#include <QHash>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace heartline::test {

/// A PulseAudio server of the test's own, with sound devices that exist only in software (null
/// sinks and sources): what an agent's desktop looks like to liblinphone, on a machine without a
/// sound card. Clients in this process reach it through PULSE_SERVER, set by start() before any
/// SipCore starts. Stopped by its process id with this object.
class PulseAudioServer final
{
public:
    ~PulseAudioServer()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5'000))
                m_process.kill();
            m_process.waitForFinished(5'000);
        }
    }

    /// Starts it with a headset (a sink "Headset" and a source "HeadsetMic"); false with error()
    /// saying why.
    bool start()
    {
        if (!m_folder.isValid()) {
            m_error = m_folder.errorString();
            return false;
        }
        const QString socket = m_folder.filePath(QStringLiteral("native"));
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HOME"), m_folder.path());
        environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_folder.path());
        m_process.setProcessEnvironment(environment);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral("pulseaudio"),
                        {QStringLiteral("--daemonize=no"), QStringLiteral("--exit-idle-time=-1"), QStringLiteral("-n"),
                         QStringLiteral("--log-target=stderr"),
                         QStringLiteral("--load=module-native-protocol-unix auth-anonymous=1 socket=") + socket,
                         QStringLiteral("--load=module-null-sink sink_name=headset "
                                        "sink_properties=device.description=Headset"),
                         QStringLiteral("--load=module-null-source source_name=headset_mic description=HeadsetMic")});
        if (!m_process.waitForStarted(10'000)) {
            m_error = QStringLiteral("pulseaudio (Debian package pulseaudio): ") + m_process.errorString();
            return false;
        }
        m_server = QStringLiteral("unix:") + socket;
        qputenv("PULSE_SERVER", m_server.toUtf8());
        const bool answered = QTest::qWaitFor(
            [this] { return m_process.state() != QProcess::Running || pactl({QStringLiteral("info")}); }, 20'000);
        if (answered && m_process.state() == QProcess::Running)
            return true;
        m_error = QStringLiteral("pulseaudio did not start: ") + QString::fromUtf8(m_process.readAll());
        return false;
    }

    /// Plugs in a speaker (a null sink) with that description; its module number, -1 on failure.
    int plugSpeaker(const QString &name)
    {
        QString output;
        if (!pactl({QStringLiteral("load-module"), QStringLiteral("module-null-sink"),
                    QStringLiteral("sink_name=") + name.toLower(),
                    QStringLiteral("sink_properties=device.description=") + name},
                   &output))
            return -1;
        bool ok = false;
        const int module = output.trimmed().toInt(&ok);
        return ok ? module : -1;
    }

    bool unplug(int module) { return pactl({QStringLiteral("unload-module"), QString::number(module)}); }

    /// The names of the sinks that audio streams play into right now (one entry per stream).
    QStringList sinksInUse()
    {
        QString sinks;
        QString inputs;
        if (!pactl({QStringLiteral("list"), QStringLiteral("short"), QStringLiteral("sinks")}, &sinks)
            || !pactl({QStringLiteral("list"), QStringLiteral("short"), QStringLiteral("sink-inputs")}, &inputs))
            return {};
        QHash<QString, QString> names; // index → name
        for (const QString &line : sinks.split(u'\n', Qt::SkipEmptyParts)) {
            const QStringList fields = line.split(u'\t');
            if (fields.size() > 1)
                names.insert(fields.at(0), fields.at(1));
        }
        QStringList used;
        for (const QString &line : inputs.split(u'\n', Qt::SkipEmptyParts)) {
            const QStringList fields = line.split(u'\t');
            if (fields.size() > 1)
                used.append(names.value(fields.at(1)));
        }
        return used;
    }

    [[nodiscard]] QString error() const { return m_error; }

private:
    bool pactl(const QStringList &arguments, QString *output = nullptr)
    {
        QProcess pactl;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("PULSE_SERVER"), m_server);
        pactl.setProcessEnvironment(environment);
        pactl.start(QStringLiteral("pactl"), arguments);
        if (!pactl.waitForFinished(10'000) || pactl.exitStatus() != QProcess::NormalExit || pactl.exitCode() != 0)
            return false;
        if (output)
            *output = QString::fromUtf8(pactl.readAllStandardOutput());
        return true;
    }

    QTemporaryDir m_folder;
    QProcess m_process;
    QString m_server;
    QString m_error;
};

} // namespace heartline::test
