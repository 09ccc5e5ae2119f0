#pragma once

#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <QUrl>

#include "SipDomainFixture.h"

namespace heartline::test {

/// heartline-twilio-sim as a process, with the SIP addresses it prints once its domain runs.
class StandIn
{
public:
    ~StandIn()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate(); // it stops Kamailio and removes its folder
            if (!m_process.waitForFinished(10'000))
                m_process.kill();
            m_process.waitForFinished();
        }
    }

    bool start(const QStringList &arguments)
    {
        static const QRegularExpression http(QStringLiteral("listening on (http://\\S+)"));
        static const QRegularExpression tls(QStringLiteral("SIP domain \\S+ over TLS on sip:(\\S+):(\\d+)"));
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral(HEARTLINE_TWILIO_SIM_BINARY), arguments);
        const bool up = QTest::qWaitFor(
            [&] {
                m_output += QString::fromUtf8(m_process.readAll());
                return tls.match(m_output).hasMatch() || m_process.state() == QProcess::NotRunning;
            },
            SipWaitMs);
        const QRegularExpressionMatch tlsMatch = tls.match(m_output);
        if (!up || !tlsMatch.hasMatch())
            return false;
        m_baseUrl = QUrl(http.match(m_output).captured(1));
        m_tlsHost = tlsMatch.captured(1);
        m_tlsPort = quint16(tlsMatch.captured(2).toUInt());
        return true;
    }

    [[nodiscard]] QUrl baseUrl() const { return m_baseUrl; }
    /// HOST:PORT of the SIP domain over TLS: the server's SIP_EDGE_HOST, the phones' proxy.
    [[nodiscard]] QString tlsEdge() const { return QStringLiteral("%1:%2").arg(m_tlsHost).arg(m_tlsPort); }
    [[nodiscard]] QString output() const { return m_output; }

private:
    QProcess m_process;
    QString m_output;
    QUrl m_baseUrl;
    QString m_tlsHost;
    quint16 m_tlsPort = 0;
};

} // namespace heartline::test
