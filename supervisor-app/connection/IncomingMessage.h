#pragma once

#include <variant>

#include <QByteArrayView>

#include "core/Result.h"
#include "models/QueueStatus.h"
#include "protocol/SupervisorProtocol.h"

namespace heartline {

/// What arrives on /ws/supervisor, as the dashboard uses it: a message of the protocol, with the
/// `queues` message turned into the queue panel's QueuesUpdate.
using IncomingMessage = std::variant<SupervisorServerMessage, QueuesUpdate>;

/// Reads one text frame from the server with parseSupervisorServerMessage (messages from the server
/// may be large: a snapshot page of 100 agents is about 110 KB, an agentsChanged can be larger).
[[nodiscard]] Result<IncomingMessage> readIncomingMessage(QByteArrayView raw);

} // namespace heartline
