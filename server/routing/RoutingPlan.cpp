#include "routing/RoutingPlan.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include "agents/AgentRecord.h"
#include "config/Config.h"
#include "protocol/JsonReader.h"
#include "protocol/JsonText.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

Problem planProblem(const QString &field, const QString &message)
{
    return Problem {u"invalid_routing_file"_s, field, message};
}

/// Reads the optional integer `key` of `object` into `out`, within [low, high].
std::optional<Problem> readInt(const QJsonObject &object, const QString &key, const QString &path, int low, int high,
                               int &out)
{
    if (!object.contains(key))
        return std::nullopt;
    const QJsonValue value = object.value(key);
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number != double(qint64(number)) || number < low || number > high)
        return planProblem(path + key,
                           u"%1%2 must be a whole number from %3 to %4"_s.arg(path, key).arg(low).arg(high));
    out = int(number);
    return std::nullopt;
}

std::optional<Problem> readStrings(const QJsonObject &object, const QString &key, const QString &path, QStringList &out)
{
    if (!object.contains(key))
        return std::nullopt;
    if (!object.value(key).isArray())
        return planProblem(path + key, u"%1%2 must be a list of strings"_s.arg(path, key));
    for (const QJsonValue &item : object.value(key).toArray()) {
        if (!item.isString() || item.toString().trimmed().isEmpty())
            return planProblem(path + key, u"%1%2 must hold non-empty strings"_s.arg(path, key));
        out.append(item.toString().trimmed());
    }
    return std::nullopt;
}

} // namespace

bool QueuePlan::servedBy(const AgentProfile &agent) const
{
    for (const QString &skill : skills) {
        if (!agent.skills.contains(skill))
            return false;
    }
    return true;
}

RoutingPlan::RoutingPlan(RoutingStrategy defaultStrategy)
{
    QueuePlan queue;
    queue.name = u"default"_s;
    queue.strategy = defaultStrategy;
    m_queues.append(queue);
}

Result<RoutingPlan> RoutingPlan::load(const Config &config)
{
    const QString strategyText = config.stringValue(ConfigKey::RoutingStrategy);
    const auto strategy = routingStrategyFromString(strategyText);
    if (!strategy) {
        return planProblem(u"ROUTING_STRATEGY"_s,
                           u"ROUTING_STRATEGY=%1 is not accepted: expected one of %2"_s.arg(
                               strategyText, acceptedRoutingStrategies()));
    }
    const QString path = config.stringValue(ConfigKey::RoutingFile);
    if (path.isEmpty())
        return RoutingPlan(*strategy);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return planProblem(u"ROUTING_FILE"_s, u"ROUTING_FILE %1 cannot be read: %2"_s.arg(path, file.errorString()));
    auto plan = fromJson(file.readAll(), *strategy);
    if (!plan) {
        Problem problem = plan.error();
        problem.message = u"ROUTING_FILE %1: %2"_s.arg(path, problem.message);
        return problem;
    }
    return plan;
}

Result<RoutingPlan> RoutingPlan::fromJson(QByteArrayView json, RoutingStrategy defaultStrategy)
{
    // parseJsonObject, not QJsonDocument alone: of a key written twice QJsonDocument keeps the last
    // value, so a second "strategy" or "numbers" left in the file would silently win.
    auto parsed = parseJsonObject(json);
    if (!parsed) {
        const Problem &problem = parsed.error();
        if (problem.code == JsonProblem::DuplicateKey)
            return planProblem(problem.field,
                               u"%1 is given twice in the same object; write each key once"_s.arg(problem.field));
        return planProblem({}, problem.message); // "The text is not valid JSON: ... at byte N."
    }
    const QJsonObject root = std::move(parsed).value();
    if (!root.value(u"queues"_s).isArray() || root.value(u"queues"_s).toArray().isEmpty())
        return planProblem(u"queues"_s, u"queues must be a non-empty list"_s);

    RoutingPlan plan(defaultStrategy);
    plan.m_queues.clear();
    QSet<QString> names;
    QSet<QString> numbers;
    const QJsonArray queues = root.value(u"queues"_s).toArray();
    for (qsizetype i = 0; i < queues.size(); ++i) {
        const QString path = u"queues[%1]."_s.arg(i);
        if (!queues.at(i).isObject())
            return planProblem(path, u"queues[%1] must be an object"_s.arg(i));
        const QJsonObject object = queues.at(i).toObject();
        QueuePlan queue;
        queue.strategy = defaultStrategy;
        queue.name = object.value(u"name"_s).toString().trimmed();
        if (queue.name.isEmpty() || queue.name.size() > 64)
            return planProblem(path + u"name"_s, u"%1name must be 1 to 64 characters"_s.arg(path));
        if (names.contains(queue.name))
            return planProblem(path + u"name"_s, u"queue %1 is listed twice"_s.arg(queue.name));
        names.insert(queue.name);
        if (auto problem = readStrings(object, u"numbers"_s, path, queue.numbers))
            return *problem;
        for (const QString &number : queue.numbers) {
            if (numbers.contains(number))
                return planProblem(path + u"numbers"_s, u"number %1 rings two queues"_s.arg(number));
            numbers.insert(number);
        }
        if (auto problem = readStrings(object, u"skills"_s, path, queue.skills))
            return *problem;
        if (object.contains(u"strategy"_s)) {
            const auto strategy = routingStrategyFromString(object.value(u"strategy"_s).toString());
            if (!strategy) {
                return planProblem(path + u"strategy"_s,
                                   u"%1strategy must be one of %2"_s.arg(path, acceptedRoutingStrategies()));
            }
            queue.strategy = *strategy;
        }
        if (auto problem = readInt(object, u"maxSize"_s, path, 1, 5000, queue.maxSize))
            return *problem;
        if (auto problem = readInt(object, u"maxWaitSeconds"_s, path, 10, 86400, queue.maxWaitSeconds))
            return *problem;
        if (auto problem = readInt(object, u"announceSeconds"_s, path, 5, 3600, queue.announceSeconds))
            return *problem;
        if (object.contains(u"holdMusic"_s)) {
            queue.holdMusic = object.value(u"holdMusic"_s).toString().trimmed();
            if (queue.holdMusic.isEmpty())
                return planProblem(path + u"holdMusic"_s, u"%1holdMusic must be a file name or URL"_s.arg(path));
        }
        if (object.contains(u"voicemail"_s)) {
            if (!object.value(u"voicemail"_s).isBool())
                return planProblem(path + u"voicemail"_s, u"%1voicemail must be true or false"_s.arg(path));
            queue.voicemail = object.value(u"voicemail"_s).toBool();
        }
        plan.m_queues.append(queue);
    }
    const QString defaultName = root.value(u"defaultQueue"_s).toString(plan.m_queues.first().name);
    plan.m_defaultQueue = -1;
    for (qsizetype i = 0; i < plan.m_queues.size(); ++i) {
        if (plan.m_queues.at(i).name == defaultName)
            plan.m_defaultQueue = i;
    }
    if (plan.m_defaultQueue < 0)
        return planProblem(u"defaultQueue"_s, u"defaultQueue %1 is not one of the queues"_s.arg(defaultName));
    return plan;
}

const QueuePlan *RoutingPlan::queue(const QString &name) const
{
    for (const QueuePlan &queue : m_queues) {
        if (queue.name == name)
            return &queue;
    }
    return nullptr;
}

const QueuePlan &RoutingPlan::queueForNumber(const QString &number) const
{
    for (const QueuePlan &queue : m_queues) {
        if (queue.numbers.contains(number))
            return queue;
    }
    return m_queues.at(m_defaultQueue);
}

qsizetype RoutingPlan::indexOf(const QueuePlan &queue) const
{
    for (qsizetype i = 0; i < m_queues.size(); ++i) {
        if (&m_queues.at(i) == &queue)
            return i;
    }
    return -1;
}

QStringList RoutingPlan::queueNames() const
{
    QStringList names;
    for (const QueuePlan &queue : m_queues)
        names.append(queue.name);
    return names;
}

std::optional<Problem> RoutingPlan::replaceSettings(const RoutingPlan &next)
{
    const QStringList running = queueNames();
    const QStringList wanted = next.queueNames();
    if (running != wanted) {
        return Problem {u"routing_not_reloaded"_s, u"queues"_s,
                        u"the routing file has the queues %1 where the server runs %2: adding, removing, renaming or "
                        "reordering queues takes a restart"_s.arg(wanted.join(u", "_s), running.join(u", "_s))};
    }
    for (qsizetype i = 0; i < m_queues.size(); ++i)
        m_queues[i] = next.m_queues.at(i);
    m_defaultQueue = next.m_defaultQueue;
    return std::nullopt;
}

} // namespace heartline
