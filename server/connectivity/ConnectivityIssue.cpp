#include "connectivity/ConnectivityIssue.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

struct KindName
{
    ConnectivityIssueKind kind;
    QStringView name;
};

constexpr KindName kindNames[] = {
    {ConnectivityIssueKind::HeadsetUnplugged, u"headset_unplugged"},
    {ConnectivityIssueKind::DeviceDisconnected, u"device_disconnected"},
    {ConnectivityIssueKind::VoiceUnregistered, u"voice_unregistered"},
    {ConnectivityIssueKind::StaleHeartbeat, u"stale_heartbeat"},
    {ConnectivityIssueKind::HighRtt, u"high_rtt"},
    {ConnectivityIssueKind::Disconnected, u"disconnected"},
};

} // namespace

QString toString(ConnectivityIssueKind kind)
{
    for (const KindName &entry : kindNames) {
        if (entry.kind == kind)
            return entry.name.toString();
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<ConnectivityIssueKind> connectivityIssueKindFromString(QStringView text)
{
    for (const KindName &entry : kindNames) {
        if (entry.name == text)
            return entry.kind;
    }
    return std::nullopt;
}

ConnectivityIssueView toView(const ConnectivityIssue &issue)
{
    return ConnectivityIssueView {issue.id,         issue.agentId,    toString(issue.kind),
                                  issue.openedAtMs, issue.closedAtMs, issue.detail};
}

} // namespace heartline
