#pragma once

#include <memory>

#include <QObject>
#include <QProcess>
#include <QTemporaryDir>

#include "sip/KamailioConfig.h"
#include "sip/KamailioSubscribers.h"
#include "sip/SipOptionsPing.h"

class QTimer;

namespace heartline {

/// Kamailio 5.6 as the stand-in's SIP domain (Twilio's "SIP Domain with SIP Registration"):
/// registrar and proxy for one domain on one address, over UDP and TCP (and TLS when given a
/// certificate), with digest credentials the stand-in changes at once through credentials().
///
/// start() writes the configuration (from the repository's template) and the credentials file
/// into a temporary folder, runs `kamailio -DD -E` on it, and reports started() only once the
/// domain answers SIP OPTIONS over UDP and accepts TCP (and TLS) connections. A missing
/// executable, a bad configuration or a port already taken is reported by failed() with what
/// Kamailio printed. With port 0, a free port is found (and another one tried when Kamailio
/// loses the race for it). Kamailio is stopped with this object, the folder removed; if this
/// process dies first, Kamailio gets SIGTERM from the kernel (PR_SET_PDEATHSIG).
class KamailioProcess final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KamailioProcess)

public:
    enum class State {
        Stopped,
        Starting,
        Running,
        Failed, ///< failed to start, or exited while running; errorString() says why
    };
    Q_ENUM(State)

    explicit KamailioProcess(QObject *parent = nullptr);
    ~KamailioProcess() override;

    /// Starts in the background: started() or failed() follows. Refused (failed() at once) while
    /// already starting or running.
    void start(const KamailioOptions &options);
    /// SIGTERM, then SIGKILL after 5 s; removes the temporary folder. Synchronous.
    void stop();

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] QString errorString() const { return m_error; }
    [[nodiscard]] const KamailioOptions &options() const { return m_options; }
    /// The UDP/TCP and TLS ports in use (decided once started).
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] quint16 tlsPort() const { return m_tlsPort; }
    [[nodiscard]] qint64 pid() const { return m_process.processId(); }
    /// The registrar/proxy address a client uses: sip:ADDRESS:PORT, or for TLS
    /// sip:TLS-HOST-NAME:TLS-PORT (the transport parameter is the client's to add).
    [[nodiscard]] QString proxyUri(bool tls = false) const;
    /// What Kamailio printed (its log goes to stderr), the last 64 KiB.
    [[nodiscard]] QString output() const { return QString::fromUtf8(m_output); }

    /// The domain's credentials, open from start() on; changes count from Kamailio's next request.
    [[nodiscard]] KamailioSubscribers &credentials() { return m_credentials; }

    /// The kamailio executable `program` names, or an empty string when there is none.
    [[nodiscard]] static QString findProgram(const QString &program);

Q_SIGNALS:
    void started();
    /// It did not start, or it exited while running (killed, crashed).
    void failed(const QString &reason);

private:
    void launch();
    void onProcessFinished();
    void onOptionsAnswered();
    void checkStreamPorts();
    void fail(const QString &reason);
    void killProcessGroup();
    [[nodiscard]] QString outputTail() const;

    KamailioOptions m_options;
    State m_state = State::Stopped;
    QString m_error;
    QString m_program;
    std::unique_ptr<QTemporaryDir> m_folder;
    KamailioSubscribers m_credentials;
    QProcess m_process;
    QByteArray m_output;
    SipOptionsPing m_ping;
    QTimer *m_startTimeout = nullptr;
    quint16 m_port = 0;
    quint16 m_tlsPort = 0;
    qint64 m_processGroup = 0; ///< Kamailio's process group (its main process id) while it may have members
    int m_attempt = 0;
    bool m_stopping = false;
};

} // namespace heartline
