#pragma once

#include <QSignalSpy>
#include <QTest>

#include "sip/KamailioProcess.h"

namespace heartline::test {

/// Generous bounds for waits on real processes and real SIP on a busy machine; nothing here
/// takes more than a fraction of it when all is well.
inline constexpr int SipWaitMs = 20'000;

inline KamailioOptions domainOptions(const QString &sipDomain = QStringLiteral("example.sip.twilio.com"))
{
    KamailioOptions options;
    options.sipDomain = sipDomain;
    options.address = QHostAddress::LocalHost;
    return options;
}

/// Starts `domain` and waits for started() or failed(): true when it runs.
inline bool startDomain(KamailioProcess &domain, const KamailioOptions &options)
{
    QSignalSpy started(&domain, &KamailioProcess::started);
    QSignalSpy failed(&domain, &KamailioProcess::failed);
    domain.start(options);
    return QTest::qWaitFor([&] { return !started.isEmpty() || !failed.isEmpty(); }, SipWaitMs) && failed.isEmpty();
}

} // namespace heartline::test
