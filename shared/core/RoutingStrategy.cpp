#include "core/RoutingStrategy.h"

#include <array>

#include "core/WordTable.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr std::array strategyNames {
    std::pair {RoutingStrategy::LongestIdle, u"longest-idle"},
    std::pair {RoutingStrategy::RoundRobin, u"round-robin"},
    std::pair {RoutingStrategy::FewestCalls, u"fewest-calls"},
    std::pair {RoutingStrategy::LeastTalkTime, u"least-talk-time"},
    std::pair {RoutingStrategy::TopDown, u"top-down"},
    std::pair {RoutingStrategy::Random, u"random"},
    std::pair {RoutingStrategy::BestReadiness, u"best-readiness"},
};

} // namespace

QString toString(RoutingStrategy strategy)
{
    return wordOf(strategyNames, strategy);
}

std::optional<RoutingStrategy> routingStrategyFromString(QStringView text)
{
    return valueOfWord(strategyNames, text);
}

QString acceptedRoutingStrategies()
{
    return wordsOf(strategyNames, u", "_s);
}

QStringList routingStrategyWords()
{
    QStringList words;
    for (const auto &[strategy, word] : strategyNames)
        words.append(QString::fromUtf16(word));
    return words;
}

} // namespace heartline
