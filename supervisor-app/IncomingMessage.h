#pragma once

#include <variant>

#include <QByteArrayView>

#include "QueueStatus.h"
#include "core/Result.h"
#include "protocol/SupervisorProtocol.h"

namespace heartline {

/// What may arrive on /ws/supervisor: a message of the protocol, or a queue update (not in the
/// protocol yet, see QueueStatus.h).
using IncomingMessage = std::variant<SupervisorServerMessage, QueuesUpdate>;

/// The largest message the dashboard reads. A snapshot of 2,000 agents is 1-2 MB.
inline constexpr qsizetype MaxIncomingBytes = 64 * 1024 * 1024;

/// Reads one text frame from the server with parseSupervisorServerMessage. Two cases it refuses are
/// read here instead, with the same field readers:
/// - `snapshot`, `agentsChanged` and `agentsRemoved` over the protocol's 64 KiB limit: the server
///   sends every agent in one message, and past 70 to 130 agents that is more than 64 KiB;
/// - `queues` (QueuesUpdate), which the parser does not know yet.
[[nodiscard]] Result<IncomingMessage> readIncomingMessage(QByteArrayView raw);

} // namespace heartline
