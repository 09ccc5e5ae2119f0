#pragma once

#include <optional>

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/Result.h"
#include "core/RoutingStrategy.h"

namespace heartline {

class Config;
struct AgentProfile;

/// One queue: the numbers that ring it, the skills an agent needs to serve it, how agents are
/// chosen, and how callers wait when nobody is ready.
struct QueuePlan
{
    QString name;
    QStringList numbers; ///< E.164 numbers dialed by callers ("To"); empty for the default queue
    QStringList skills;  ///< an agent serves the queue when it has all of them
    RoutingStrategy strategy = RoutingStrategy::LongestIdle;
    int maxSize = 100;        ///< callers waiting at most; more are told the queue is full
    int maxWaitSeconds = 600; ///< then the caller is told so and the call ends (or goes to voicemail)
    int announceSeconds = 30; ///< position and expected wait are said this often
    QString holdMusic = QStringLiteral("hold-music.wav"); ///< a file the server serves, or an absolute URL
    bool voicemail = false; ///< after the maximum wait: record a message instead of hanging up

    [[nodiscard]] bool servedBy(const AgentProfile &agent) const;
};

/// The queues and which number rings which queue, from the ROUTING_FILE (JSON; see docs/routing.md)
/// or a single default queue for every number and agent.
class RoutingPlan final
{
public:
    /// One queue "default" with no required skills and the given strategy.
    explicit RoutingPlan(RoutingStrategy defaultStrategy = RoutingStrategy::LongestIdle);

    /// From ROUTING_FILE, or the default plan when it is empty; ROUTING_STRATEGY is the default strategy.
    [[nodiscard]] static Result<RoutingPlan> load(const Config &config);
    [[nodiscard]] static Result<RoutingPlan> fromJson(QByteArrayView json, RoutingStrategy defaultStrategy);

    [[nodiscard]] const QList<QueuePlan> &queues() const { return m_queues; }
    [[nodiscard]] const QueuePlan *queue(const QString &name) const;
    /// The queue a dialed number rings: the one listing it, else the default queue.
    [[nodiscard]] const QueuePlan &queueForNumber(const QString &number) const;
    /// Index of the queue in queues(), for per-queue tables.
    [[nodiscard]] qsizetype indexOf(const QueuePlan &queue) const;
    [[nodiscard]] QStringList queueNames() const;

    /// Takes `next`'s settings (numbers, skills, strategy, limits, hold music, default queue) while the
    /// server runs. Queues keep their per-queue tables and waiting callers, so `next` must have the
    /// same queues in the same order: otherwise problem "routing_not_reloaded" naming the difference,
    /// and nothing changes. Each queue is assigned in place (what holds a QueuePlan pointer stays
    /// valid while this plan's storage is not shared).
    [[nodiscard]] std::optional<Problem> replaceSettings(const RoutingPlan &next);

private:
    QList<QueuePlan> m_queues;
    qsizetype m_defaultQueue = 0;
};

} // namespace heartline
