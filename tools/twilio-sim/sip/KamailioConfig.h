#pragma once

#include <optional>

#include <QHostAddress>
#include <QString>

#include "core/Result.h"

namespace heartline {

/// What the stand-in's Kamailio serves: one SIP domain on one loopback address.
struct KamailioOptions
{
    /// The SIP domain Kamailio is the registrar and proxy for, e.g. "example.sip.twilio.com".
    /// Requests for it are handled here; the name never has to resolve.
    QString sipDomain;
    QHostAddress address = QHostAddress::LocalHost;
    /// UDP and TCP on this port; 0: a free one is found.
    quint16 port = 0;
    /// TLS is on when both are given (PEM files); it listens on tlsPort (0: a free one).
    QString tlsCertificateFile;
    QString tlsPrivateKeyFile;
    quint16 tlsPort = 0;
    /// The name clients reach the TLS port by, the one in the certificate: liblinphone checks
    /// DNS names only, never an IP address.
    QString tlsHostName = QStringLiteral("localhost");
    /// The kamailio executable; a bare name is looked for on PATH and in the sbin folders.
    QString program = QStringLiteral("kamailio");
    /// How long it may take to answer its first OPTIONS.
    int startTimeoutMs = 20'000;

    [[nodiscard]] bool tlsEnabled() const { return !tlsCertificateFile.isEmpty() || !tlsPrivateKeyFile.isEmpty(); }
};

/// Renders the repository's Kamailio configuration template (kamailio.cfg.in, a Qt resource) for
/// one run: every @NAME@ replaced, nothing left unreplaced.
class KamailioConfig final
{
public:
    /// Options Kamailio cannot run with: no domain, a domain or address that would break the
    /// configuration's syntax, a TLS certificate without its key (or the reverse), an unreadable
    /// TLS file.
    [[nodiscard]] static std::optional<Problem> validate(const KamailioOptions &options);

    /// The configuration text for `options` with its ports decided (non-zero) and the SQLite
    /// credentials file at `credentialsPath`.
    [[nodiscard]] static Result<QByteArray> render(const KamailioOptions &options, quint16 port, quint16 tlsPort,
                                                   const QString &credentialsPath);
};

} // namespace heartline
