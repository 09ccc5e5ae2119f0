#include "connection/IncomingMessage.h"

namespace heartline {

namespace {

QueuesUpdate toQueuesUpdate(const SupervisorQueues &message)
{
    QueuesUpdate update;
    update.serverTimeMs = message.serverTimeMs;
    for (const QueueView &view : message.queues) {
        QueueStatus queue;
        queue.name = view.name;
        for (const WaitingCallerView &caller : view.waiting)
            queue.waiting.append(WaitingCaller {caller.callSid, caller.from, caller.waitSeconds, caller.position});
        queue.longestWaitSeconds = view.longestWaitSeconds;
        queue.averageWaitSeconds = view.averageWaitSeconds;
        queue.abandonedToday = view.abandonedToday;
        // No caller answered or abandoned today: no service level to show yet.
        if (view.servedToday + view.abandonedToday > 0)
            queue.serviceLevelPercent = view.serviceLevelPercent;
        queue.agentsReady = view.agentsReady;
        update.queues.append(queue);
    }
    return update;
}

} // namespace

Result<IncomingMessage> readIncomingMessage(QByteArrayView raw)
{
    auto parsed = parseSupervisorServerMessage(raw);
    if (!parsed)
        return parsed.error();
    if (const auto *queues = std::get_if<SupervisorQueues>(&parsed.value()))
        return IncomingMessage {toQueuesUpdate(*queues)};
    return IncomingMessage {std::move(parsed).value()};
}

} // namespace heartline
