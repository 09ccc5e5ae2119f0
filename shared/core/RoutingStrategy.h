#pragma once

#include <optional>

#include <QString>
#include <QStringList>
#include <QStringView>

namespace heartline {

/// How the agents of a queue are ordered for a call; the first ready one in that order wins.
/// Here rather than with the routing plan because ROUTING_STRATEGY is checked with the rest of
/// the configuration, before the server starts.
enum class RoutingStrategy {
    LongestIdle,   ///< idle the longest (since the last call ended, wrap-up included, or since available)
    RoundRobin,    ///< offered a call the longest time ago
    FewestCalls,   ///< fewest answered calls today
    LeastTalkTime, ///< least talk time today
    TopDown,       ///< lowest priority number first, then by id: a fixed order
    Random,        ///< a random agent
    BestReadiness, ///< highest readiness score
};
[[nodiscard]] QString toString(RoutingStrategy strategy);
[[nodiscard]] std::optional<RoutingStrategy> routingStrategyFromString(QStringView text);
/// "longest-idle, round-robin, ..., best-readiness".
[[nodiscard]] QString acceptedRoutingStrategies();
/// Every strategy's word, in declaration order.
[[nodiscard]] QStringList routingStrategyWords();

} // namespace heartline
