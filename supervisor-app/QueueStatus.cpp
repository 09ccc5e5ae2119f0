#include "QueueStatus.h"

#include "protocol/JsonReader.h"
#include "protocol/ProtocolTypes.h"

namespace heartline {

namespace {
constexpr qint64 MaxCount = std::numeric_limits<int>::max();
constexpr qint64 MaxWaitSeconds = 7 * 24 * 3600;
} // namespace

void readFields(JsonReader &reader, WaitingCaller &caller)
{
    caller.callSid = reader.string(u"callSid", IdText);
    caller.from = reader.string(u"from", NameText);
    caller.waitSeconds = reader.integer(u"waitSeconds", 0, MaxWaitSeconds);
    caller.position = int(reader.integer(u"position", 1, MaxCount));
}

void readFields(JsonReader &reader, QueueStatus &queue)
{
    queue.name = reader.string(u"name", IdText);
    queue.waiting = reader.objectList<WaitingCaller>(u"waiting");
    queue.longestWaitSeconds = reader.integer(u"longestWaitSeconds", 0, MaxWaitSeconds);
    queue.averageWaitSeconds = reader.number(u"averageWaitSeconds", 0, double(MaxWaitSeconds));
    queue.abandonedToday = int(reader.integer(u"abandonedToday", 0, MaxCount));
    queue.serviceLevelPercent = reader.optionalNumber(u"serviceLevelPercent", 0, 100);
    queue.agentsReady = int(reader.integer(u"agentsReady", 0, MaxCount));
}

Result<QueuesUpdate> readQueuesUpdate(const QJsonObject &message)
{
    JsonReader reader(message);
    QueuesUpdate update;
    update.queues = reader.objectList<QueueStatus>(u"queues");
    update.serverTimeMs = reader.integer(u"serverTimeMs", 0, MaxSafeInteger);
    if (!reader.ok())
        return reader.problem();
    return update;
}

} // namespace heartline
