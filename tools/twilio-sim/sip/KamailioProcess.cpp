#include "KamailioProcess.h"

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUdpSocket>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr qsizetype MaxOutput = 64 * 1024;
constexpr int MaxPortAttempts = 3;

// A port free for both TCP and UDP on `address` right now. Another program may take it before
// Kamailio binds it: KamailioProcess tries again with another port when that happens.
quint16 findFreePort(const QHostAddress &address, bool needUdp, quint16 avoid = 0)
{
    for (int attempt = 0; attempt < 50; ++attempt) {
        QTcpServer tcp;
        if (!tcp.listen(address, 0))
            return 0;
        const quint16 port = tcp.serverPort();
        if (port == avoid)
            continue;
        if (!needUdp)
            return port;
        QUdpSocket udp;
        if (udp.bind(address, port))
            return port;
    }
    return 0;
}

} // namespace

KamailioProcess::KamailioProcess(QObject *parent) : QObject(parent), m_startTimeout(new QTimer(this))
{
    m_startTimeout->setSingleShot(true);
    connect(m_startTimeout, &QTimer::timeout, this, [this] {
        fail(u"kamailio did not answer SIP OPTIONS on %1:%2 within %3 s"_s.arg(m_options.address.toString())
                 .arg(m_port)
                 .arg(m_options.startTimeoutMs / 1000.0));
    });
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, [this] {
        m_output += m_process.readAllStandardOutput();
        if (m_output.size() > MaxOutput)
            m_output = m_output.right(MaxOutput);
    });
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && m_state == State::Starting)
            fail(u"cannot run %1: %2"_s.arg(m_program, m_process.errorString()));
    });
    connect(&m_process, &QProcess::finished, this, &KamailioProcess::onProcessFinished);
    connect(&m_ping, &SipOptionsPing::answered, this, &KamailioProcess::onOptionsAnswered);
    m_process.setChildProcessModifier([] {
        // A process group of its own: Kamailio's worker processes outlive a main process that was
        // killed, and are ended through the group.
        ::setpgid(0, 0);
        // Stopped with us if this process dies without stopping it (the kernel sends the signal
        // when the thread that started it ends: KamailioProcess lives on a thread that lasts).
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    });
}

KamailioProcess::~KamailioProcess()
{
    stop();
}

QString KamailioProcess::findProgram(const QString &program)
{
    if (program.contains(u'/'))
        return QFileInfo(program).isExecutable() ? program : QString();
    QString found = QStandardPaths::findExecutable(program);
    // Debian installs kamailio in /usr/sbin, which is not on every user's PATH.
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(program, {u"/usr/sbin"_s, u"/usr/local/sbin"_s, u"/sbin"_s});
    return found;
}

QString KamailioProcess::proxyUri(bool tls) const
{
    if (tls)
        return u"sip:%1:%2"_s.arg(m_options.tlsHostName).arg(m_tlsPort);
    const QString host = m_options.address.protocol() == QAbstractSocket::IPv6Protocol
        ? u'[' + m_options.address.toString() + u']'
        : m_options.address.toString();
    return u"sip:%1:%2"_s.arg(host).arg(m_port);
}

void KamailioProcess::start(const KamailioOptions &options)
{
    if (m_state == State::Starting || m_state == State::Running) {
        Q_EMIT failed(u"the SIP domain %1 is already running"_s.arg(m_options.sipDomain));
        return;
    }
    stop();
    m_options = options;
    m_error.clear();
    m_output.clear();
    m_state = State::Starting;
    if (const auto invalid = KamailioConfig::validate(options)) {
        fail(invalid->message);
        return;
    }
    m_program = findProgram(options.program);
    if (m_program.isEmpty()) {
        fail(u"%1 not found: install Kamailio (Debian packages kamailio, kamailio-sqlite-modules%2)"_s.arg(
            options.program, options.tlsEnabled() ? u", kamailio-tls-modules"_s : QString()));
        return;
    }
    m_folder = std::make_unique<QTemporaryDir>(QDir::temp().filePath(u"heartline-sip-domain-XXXXXX"_s));
    if (!m_folder->isValid()) {
        fail(u"cannot create a temporary folder for Kamailio: %1"_s.arg(m_folder->errorString()));
        return;
    }
    QString error;
    if (!m_credentials.open(m_folder->filePath(u"credentials.sqlite"_s), options.sipDomain, &error)) {
        fail(error);
        return;
    }
    m_attempt = 0;
    launch();
}

void KamailioProcess::launch()
{
    ++m_attempt;
    m_port = m_options.port ? m_options.port : findFreePort(m_options.address, true);
    m_tlsPort = 0;
    if (m_options.tlsEnabled())
        m_tlsPort = m_options.tlsPort ? m_options.tlsPort : findFreePort(m_options.address, false, m_port);
    if (m_port == 0 || (m_options.tlsEnabled() && m_tlsPort == 0)) {
        fail(u"no free port on %1 for Kamailio"_s.arg(m_options.address.toString()));
        return;
    }
    const auto config = KamailioConfig::render(m_options, m_port, m_tlsPort, m_credentials.path());
    if (!config) {
        fail(config.error().message);
        return;
    }
    const QString configPath = m_folder->filePath(u"kamailio.cfg"_s);
    QFile configFile(configPath);
    if (!configFile.open(QIODevice::WriteOnly | QIODevice::Truncate) || configFile.write(*config) != config->size()) {
        fail(u"cannot write %1: %2"_s.arg(configPath, configFile.errorString()));
        return;
    }
    configFile.close();
    const QString runFolder = m_folder->filePath(u"run"_s);
    QDir().mkpath(runFolder);

    QStringList arguments {u"-f"_s, configPath, u"-DD"_s, u"-E"_s,
                           u"-Y"_s, runFolder,  u"-P"_s,  m_folder->filePath(u"kamailio.pid"_s),
                           u"-m"_s, u"64"_s,    u"-M"_s,  u"8"_s};
    if (m_options.tlsEnabled())
        arguments << u"-A"_s << u"WITH_TLS"_s;
    m_process.setWorkingDirectory(m_folder->path());
    m_process.start(m_program, arguments);
    m_processGroup = m_process.processId();
    m_ping.start(m_options.address, m_port);
    m_startTimeout->start(m_options.startTimeoutMs);
}

void KamailioProcess::onOptionsAnswered()
{
    if (m_state != State::Starting)
        return;
    checkStreamPorts();
}

// UDP answering means the workers run; the TCP and TLS listeners were bound before them, but a
// client should never be the first to find out that they are not there.
void KamailioProcess::checkStreamPorts()
{
    QList<quint16> ports {m_port};
    if (m_tlsPort)
        ports.append(m_tlsPort);
    auto pending = std::make_shared<int>(int(ports.size()));
    for (const quint16 port : std::as_const(ports)) {
        auto *socket = new QTcpSocket(this);
        connect(socket, &QTcpSocket::connected, this, [this, socket, pending] {
            socket->disconnectFromHost();
            socket->deleteLater();
            if (--*pending == 0 && m_state == State::Starting) {
                m_startTimeout->stop();
                m_state = State::Running;
                Q_EMIT started();
            }
        });
        connect(socket, &QTcpSocket::errorOccurred, this, [this, socket, port] {
            socket->deleteLater();
            if (m_state == State::Starting)
                fail(u"kamailio answers over UDP but not over TCP on port %1: %2"_s.arg(port).arg(
                    socket->errorString()));
        });
        socket->connectToHost(m_options.address, port);
    }
}

void KamailioProcess::onProcessFinished()
{
    m_output += m_process.readAllStandardOutput();
    if (m_stopping)
        return;
    killProcessGroup();
    const QString how = m_process.exitStatus() == QProcess::CrashExit
        ? u"was killed"_s
        : u"exited with code %1"_s.arg(m_process.exitCode());
    if (m_state == State::Starting) {
        // Another program took the free port between our look and Kamailio's bind.
        const bool portTaken = m_output.contains("Address already in use");
        if (portTaken && m_options.port == 0 && m_attempt < MaxPortAttempts) {
            m_ping.stop();
            m_startTimeout->stop();
            m_output.clear();
            launch();
            return;
        }
        fail(u"kamailio %1 while starting:\n%2"_s.arg(how, outputTail()));
    } else if (m_state == State::Running) {
        fail(u"kamailio %1:\n%2"_s.arg(how, outputTail()));
    }
}

void KamailioProcess::fail(const QString &reason)
{
    m_ping.stop();
    m_startTimeout->stop();
    m_state = State::Failed;
    m_error = reason;
    m_stopping = true;
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5'000);
    }
    killProcessGroup();
    m_stopping = false;
    Q_EMIT failed(reason);
}

void KamailioProcess::killProcessGroup()
{
    // Whatever is left of the group once its main process is gone: orphaned workers.
    if (m_processGroup > 0)
        ::kill(-pid_t(m_processGroup), SIGKILL);
    m_processGroup = 0;
}

void KamailioProcess::stop()
{
    m_ping.stop();
    m_startTimeout->stop();
    m_stopping = true;
    if (m_process.state() != QProcess::NotRunning) {
        // Kamailio's main process ends its workers when it gets SIGTERM.
        m_process.terminate();
        if (!m_process.waitForFinished(5'000)) {
            m_process.kill();
            m_process.waitForFinished(5'000);
        }
    }
    killProcessGroup();
    m_stopping = false;
    m_credentials.close();
    m_folder.reset();
    m_state = State::Stopped;
}

QString KamailioProcess::outputTail() const
{
    // The lines that say why: Kamailio's errors, else the last lines it printed.
    const QStringList lines = QString::fromUtf8(m_output).split(u'\n', Qt::SkipEmptyParts);
    QStringList errors;
    for (const QString &line : lines) {
        if (line.contains(u"ERROR"_s) || line.contains(u"CRITICAL"_s) || line.contains(u"ALERT"_s))
            errors.append(line);
    }
    const QStringList &chosen = errors.isEmpty() ? lines : errors;
    return chosen.mid(qMax(0, chosen.size() - 12)).join(u'\n');
}

} // namespace heartline
