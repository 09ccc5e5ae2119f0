#include "AgentTally.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// A reason longer than this is cut: one wordy reason must not push every other agent off the line.
constexpr qsizetype ReasonWidth = 32;

QString shortened(const QString &reason)
{
    return reason.size() <= ReasonWidth ? reason : reason.left(ReasonWidth - 1) + u'…';
}

QString moreText(qsizetype more)
{
    return more > 0 ? u", +%1 more"_s.arg(more) : QString();
}

} // namespace

AgentTally AgentTally::fromServer(const QJsonArray &agents)
{
    AgentTally tally;
    tally.total = int(agents.size());
    for (const QJsonValue &value : agents) {
        const QJsonObject agent = value.toObject();
        const QString activity = agent.value(u"activity"_s).toString();
        const QJsonObject readiness = agent.value(u"readiness"_s).toObject();
        if (readiness.value(u"ready"_s).toBool()) {
            ++tally.ready;
        } else if (activity == u"on-call"_s) {
            ++tally.onCall;
        } else if (activity == u"ringing"_s) {
            ++tally.ringing;
        } else if (activity == u"wrap-up"_s || activity == u"cooldown"_s) {
            ++tally.wrapUp;
        } else {
            // Failed gates come first in the reasons, so the first one is what holds the agent back.
            const QString reason = readiness.value(u"reasons"_s).toArray().at(0).toString();
            tally.notReady.append({agent.value(u"agentId"_s).toString(), reason.isEmpty() ? u"not ready"_s : reason});
        }
    }
    return tally;
}

QString AgentTally::notReadyText(int width) const
{
    if (notReady.isEmpty())
        return {};
    QString text = u"not ready: "_s;
    for (qsizetype i = 0; i < notReady.size(); ++i) {
        const QString entry
            = (i > 0 ? u", "_s : QString()) + notReady.at(i).agentId + u' ' + shortened(notReady.at(i).reason);
        // Room for this agent and for the count of those after it; otherwise the count of the rest ends the line.
        if (i > 0 && text.size() + entry.size() + moreText(notReady.size() - i - 1).size() > width)
            return text + moreText(notReady.size() - i);
        text += entry;
    }
    return text;
}

} // namespace heartline
