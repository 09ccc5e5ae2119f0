#include "models/AgentTableModel.h"

#include <algorithm>

#include <QColor>
#include <QFont>

#include "SupervisorLogging.h"
#include "core/Clock.h"
#include "models/Formatting.h"
#include "models/ReadinessText.h"
#include "ui/DeviceIcons.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

constexpr int DefaultFlushDelayMs = 100;
const QColor AvailableColor(0x1b, 0x7f, 0x3b);
const QColor AwayColor(0xb0, 0x60, 0x00);
const QColor OfflineColor(0x80, 0x80, 0x80);
const QColor OnCallColor(0x1f, 0x5f, 0xbf);
const QColor StaleColor(0x9a, 0x9a, 0x9a);

/// The round trip shown: the app's own measurement, else the server's WebSocket ping.
std::optional<double> shownRtt(const AgentView &agent)
{
    return agent.devices.networkRttMs ? agent.devices.networkRttMs : agent.wsRttMs;
}

QString devicesTooltip(const AgentView &agent)
{
    const auto presence = [](std::optional<bool> present, const std::optional<QString> &name) {
        if (!present)
            return Formatting::tr("not reported");
        if (!*present)
            return Formatting::tr("missing");
        return name && !name->isEmpty() ? *name : Formatting::tr("present");
    };
    QStringList lines {
        Formatting::tr("Microphone: %1").arg(presence(agent.devices.audioInput, agent.devices.audioInputName)),
        Formatting::tr("Speaker: %1").arg(presence(agent.devices.audioOutput, agent.devices.audioOutputName)),
        Formatting::tr("Voice endpoint: %1")
            .arg(!agent.devices.voiceRegistered       ? Formatting::tr("not reported")
                     : *agent.devices.voiceRegistered ? Formatting::tr("registered")
                                                      : Formatting::tr("not registered")),
        Formatting::tr("Device connected: %1")
            .arg(agent.deviceConnected ? Formatting::tr("yes") : Formatting::tr("no")),
    };
    return lines.join(u'\n');
}

QString networkTooltip(const AgentView &agent)
{
    QStringList lines;
    lines.append(Formatting::tr("App round trip: %1")
                     .arg(agent.devices.networkRttMs ? Formatting::milliseconds(*agent.devices.networkRttMs)
                                                     : Formatting::none()));
    lines.append(Formatting::tr("WebSocket ping: %1")
                     .arg(agent.wsRttMs ? Formatting::milliseconds(*agent.wsRttMs) : Formatting::none()));
    if (agent.devices.packetLossPercent)
        lines.append(Formatting::tr("Packet loss: %1 %").arg(*agent.devices.packetLossPercent, 0, 'f', 1));
    if (agent.devices.networkType)
        lines.append(Formatting::tr("Network: %1").arg(*agent.devices.networkType));
    if (const auto &quality = agent.devices.callQuality) {
        // The call in progress as the agent's softphone hears it.
        QStringList figures;
        if (quality->mos)
            figures.append(Formatting::tr("MOS %1").arg(*quality->mos, 0, 'f', 1));
        if (quality->jitterMs)
            figures.append(Formatting::tr("jitter %1").arg(Formatting::milliseconds(*quality->jitterMs)));
        if (quality->lossPercent)
            figures.append(Formatting::tr("loss %1 %").arg(*quality->lossPercent, 0, 'f', 1));
        if (quality->roundTripMs)
            figures.append(Formatting::tr("round trip %1").arg(Formatting::milliseconds(*quality->roundTripMs)));
        lines.append(
            Formatting::tr("Call audio: %1").arg(figures.isEmpty() ? Formatting::none() : figures.join(u", "_s)));
    }
    lines.append(Formatting::tr("Connection: %1").arg(Formatting::connection(agent.connection)));
    return lines.join(u'\n');
}

} // namespace

std::pair<int, int> changedColumns(const AgentView &before, const AgentView &after)
{
    int first = -1;
    int last = -1;
    const auto mark = [&](bool differs, int column) {
        if (!differs)
            return;
        if (first < 0)
            first = column;
        last = column;
    };
    using M = AgentTableModel;
    mark(before.displayName != after.displayName, M::NameColumn);
    mark(before.status != after.status || before.awayReason != after.awayReason || before.loggedIn != after.loggedIn,
         M::StatusColumn);
    mark(before.activity != after.activity, M::ActivityColumn);
    mark(before.readiness.score != after.readiness.score || before.readiness.ready != after.readiness.ready
             || before.loggedIn != after.loggedIn,
         M::ReadinessColumn);
    // The reasons are derived from the gates and the factors (a score alone follows the factors),
    // and word the heartbeat age from lastHeartbeatMs.
    mark(before.readiness.ready != after.readiness.ready || before.readiness.failedGates != after.readiness.failedGates
             || before.readiness.factors != after.readiness.factors || before.lastHeartbeatMs != after.lastHeartbeatMs,
         M::ReasonsColumn);
    mark(before.lastHeartbeatMs != after.lastHeartbeatMs, M::HeartbeatAgeColumn);
    mark(before.devices.audioInput != after.devices.audioInput
             || before.devices.audioOutput != after.devices.audioOutput
             || before.devices.voiceRegistered != after.devices.voiceRegistered
             || before.devices.audioInputName != after.devices.audioInputName
             || before.devices.audioOutputName != after.devices.audioOutputName
             || before.deviceConnected != after.deviceConnected,
         M::DevicesColumn);
    mark(before.devices.networkRttMs != after.devices.networkRttMs || before.wsRttMs != after.wsRttMs
             || before.devices.packetLossPercent != after.devices.packetLossPercent
             || before.devices.networkType != after.devices.networkType || before.connection != after.connection
             || before.devices.callQuality != after.devices.callQuality,
         M::NetworkColumn);
    mark(before.callsToday != after.callsToday, M::CallsTodayColumn);
    mark(before.currentCallStartedMs != after.currentCallStartedMs, M::CallDurationColumn);
    if (first < 0 && before != after)
        return {M::NameColumn, M::NameColumn};
    return {first, last};
}

AgentTableModel::AgentTableModel(const Clock &serverClock, QObject *parent)
    : QAbstractTableModel(parent), m_clock(serverClock), m_nowMs(serverClock.nowMs())
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(DefaultFlushDelayMs);
    connect(&m_flushTimer, &QTimer::timeout, this, [this] { (void)flush(); });
    connect(&m_tickTimer, &QTimer::timeout, this, &AgentTableModel::tick);
}

AgentTableModel::~AgentTableModel() = default;

int AgentTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AgentTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const AgentView *AgentTableModel::agentAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

const AgentView *AgentTableModel::agent(const QString &agentId) const
{
    return agentAt(rowOf(agentId));
}

QVariant AgentTableModel::data(const QModelIndex &index, int role) const
{
    const AgentView *agent = index.isValid() ? agentAt(index.row()) : nullptr;
    if (!agent)
        return {};
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(*agent, column);
    case SortRole:
        return sortKey(*agent, column);
    case AgentIdRole:
        return agent->agentId;
    case ScoreRole:
        return agent->readiness.score;
    case ReadyRole:
        return agent->readiness.ready;
    case LoggedInRole:
        return agent->loggedIn;
    case StatusRole:
        return int(agent->status);
    case ActivityRole:
        return int(agent->activity);
    case QueuesRole:
        return agent->queues;
    case StaleRole:
        return m_stale;
    case Qt::DecorationRole:
        if (column == DevicesColumn && agent->loggedIn)
            return DeviceIcons::pixmap(agent->devices);
        return {};
    case Qt::ToolTipRole:
        if (column == ReasonsColumn || column == ReadinessColumn)
            return ReadinessText::reasons(*agent, m_nowMs).join(u'\n');
        if (column == DevicesColumn)
            return devicesTooltip(*agent);
        if (column == NetworkColumn)
            return networkTooltip(*agent);
        if (column == NameColumn)
            return agent->queues.isEmpty() ? agent->agentId
                                           : tr("%1 · queues: %2").arg(agent->agentId, agent->queues.join(u", "_s));
        return {};
    case Qt::ForegroundRole:
        if (m_stale)
            return StaleColor;
        if (column == StatusColumn) {
            switch (agent->status) {
            case AgentStatus::Available:
                return AvailableColor;
            case AgentStatus::Away:
                return AwayColor;
            case AgentStatus::Offline:
                return OfflineColor;
            }
        }
        if (column == ActivityColumn
            && (agent->activity == AgentActivity::OnCall || agent->activity == AgentActivity::Ringing))
            return OnCallColor;
        if (!agent->loggedIn)
            return OfflineColor;
        return {};
    case Qt::FontRole:
        if (m_stale) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (column == HeartbeatAgeColumn || column == NetworkColumn || column == CallsTodayColumn
            || column == CallDurationColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant AgentTableModel::display(const AgentView &agent, int column) const
{
    switch (column) {
    case NameColumn:
        return agent.displayName.isEmpty() ? agent.agentId : agent.displayName;
    case StatusColumn:
        return Formatting::status(agent.status, agent.awayReason);
    case ActivityColumn:
        return Formatting::activity(agent.activity);
    case ReadinessColumn:
        return agent.loggedIn ? QVariant(agent.readiness.score) : QVariant();
    case ReasonsColumn:
        return agent.readiness.ready ? QString() : ReadinessText::reasons(agent, m_nowMs).join(u"; "_s);
    case HeartbeatAgeColumn:
        return ReadinessText::heartbeatAge(agent, m_nowMs);
    case DevicesColumn:
        return {};
    case NetworkColumn: {
        const auto rtt = shownRtt(agent);
        return rtt && agent.loggedIn ? Formatting::milliseconds(*rtt) : Formatting::none();
    }
    case CallsTodayColumn:
        return agent.callsToday;
    case CallDurationColumn:
        return agent.currentCallStartedMs ? Formatting::duration(m_nowMs - *agent.currentCallStartedMs) : QString();
    default:
        return {};
    }
}

QVariant AgentTableModel::sortKey(const AgentView &agent, int column) const
{
    switch (column) {
    case NameColumn:
        return (agent.displayName.isEmpty() ? agent.agentId : agent.displayName).toCaseFolded();
    case StatusColumn:
        return int(agent.status) * 1000 + int(agent.activity);
    case ActivityColumn:
        return int(agent.activity);
    case ReadinessColumn:
        // Ready agents first, then by score: who can take a call is what the column is read for.
        return agent.loggedIn ? (agent.readiness.ready ? 1000 : 0) + agent.readiness.score : -1;
    case ReasonsColumn:
        return agent.readiness.ready ? QString() : ReadinessText::reasons(agent, m_nowMs).join(u"; "_s).toCaseFolded();
    case HeartbeatAgeColumn:
        return agent.lastHeartbeatMs ? m_nowMs - *agent.lastHeartbeatMs : std::numeric_limits<qint64>::max();
    case DevicesColumn:
        return int(agent.devices.audioInput.value_or(false)) + int(agent.devices.audioOutput.value_or(false))
            + int(agent.devices.voiceRegistered.value_or(false)) + (agent.loggedIn ? 1 : 0);
    case NetworkColumn:
        return shownRtt(agent).value_or(-1);
    case CallsTodayColumn:
        return agent.callsToday;
    case CallDurationColumn:
        return agent.currentCallStartedMs ? m_nowMs - *agent.currentCallStartedMs : qint64(-1);
    default:
        return {};
    }
}

QVariant AgentTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn:
            return tr("Agent");
        case StatusColumn:
            return tr("Status");
        case ActivityColumn:
            return tr("Activity");
        case ReadinessColumn:
            return tr("Readiness");
        case ReasonsColumn:
            return tr("Why not ready");
        case HeartbeatAgeColumn:
            return tr("Heartbeat");
        case DevicesColumn:
            return tr("Devices");
        case NetworkColumn:
            return tr("Round trip");
        case CallsTodayColumn:
            return tr("Calls today");
        case CallDurationColumn:
            return tr("On call for");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ReadinessColumn:
            return tr("Readiness score 0-100; green when the agent can take a call now");
        case HeartbeatAgeColumn:
            return tr("Time since the agent app's last heartbeat");
        case DevicesColumn:
            return tr("Microphone, speaker and voice endpoint as the agent app reports them");
        case NetworkColumn:
            return tr("Network round trip reported by the agent app, else the server's WebSocket ping");
        default:
            return {};
        }
    }
    return {};
}

void AgentTableModel::resetAgents(const QList<AgentView> &agents)
{
    m_flushTimer.stop();
    m_pendingChanges.clear();
    m_pendingOrder.clear();
    m_pendingRemovals.clear();
    beginResetModel();
    m_nowMs = m_clock.nowMs();
    m_rows = agents;
    m_rowOf.clear();
    m_rowOf.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowOf.insert(m_rows.at(row).agentId, row);
    m_stale = false;
    endResetModel();
    qCDebug(lcSupervisorModel) << "reset with" << m_rows.size() << "agents";
    Q_EMIT flushed(FlushResult {0, int(m_rows.size()), 0, 0});
}

void AgentTableModel::queueChanges(const QList<AgentView> &agents)
{
    for (const AgentView &agent : agents) {
        m_pendingRemovals.remove(agent.agentId);
        auto found = m_pendingChanges.find(agent.agentId);
        if (found == m_pendingChanges.end()) {
            m_pendingChanges.insert(agent.agentId, agent);
            m_pendingOrder.append(agent.agentId);
        } else {
            *found = agent;
        }
    }
    scheduleFlush();
}

void AgentTableModel::queueRemovals(const QStringList &agentIds)
{
    for (const QString &agentId : agentIds) {
        if (m_pendingChanges.remove(agentId))
            m_pendingOrder.removeOne(agentId);
        m_pendingRemovals.insert(agentId);
    }
    scheduleFlush();
}

void AgentTableModel::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

AgentTableModel::FlushResult AgentTableModel::flush()
{
    m_flushTimer.stop();
    FlushResult result;
    if (m_pendingChanges.isEmpty() && m_pendingRemovals.isEmpty())
        return result;
    removePending(result);
    QList<AgentView> inserted;
    changePending(result, inserted);
    insertRows(inserted, result);
    if (result.changedRows || result.insertedRows || result.removedRows) {
        qCDebug(lcSupervisorModel) << "flush:" << result.changedRows << "changed," << result.insertedRows << "inserted,"
                                   << result.removedRows << "removed";
        Q_EMIT flushed(result);
    }
    return result;
}

void AgentTableModel::removePending(FlushResult &result)
{
    if (m_pendingRemovals.isEmpty())
        return;
    QList<int> rows;
    rows.reserve(m_pendingRemovals.size());
    for (const QString &agentId : std::as_const(m_pendingRemovals)) {
        if (const int row = rowOf(agentId); row >= 0)
            rows.append(row);
    }
    m_pendingRemovals.clear();
    if (rows.isEmpty())
        return;
    // From the bottom up, so the rows of the runs still to remove keep their numbers.
    std::sort(rows.begin(), rows.end(), std::greater<>());
    qsizetype i = 0;
    while (i < rows.size()) {
        const int last = rows.at(i);
        int first = last;
        while (i + 1 < rows.size() && rows.at(i + 1) == first - 1) {
            ++i;
            --first;
        }
        ++i;
        beginRemoveRows({}, first, last);
        for (int row = first; row <= last; ++row)
            m_rowOf.remove(m_rows.at(row).agentId);
        m_rows.remove(first, last - first + 1);
        endRemoveRows();
        result.removedRows += last - first + 1;
    }
    rebuildIndexFrom(rows.last());
}

void AgentTableModel::changePending(FlushResult &result, QList<AgentView> &inserted)
{
    struct Change
    {
        int row;
        int firstColumn;
        int lastColumn;
    };
    QList<Change> changes;
    changes.reserve(m_pendingChanges.size());
    for (const QString &agentId : std::as_const(m_pendingOrder)) {
        AgentView &incoming = m_pendingChanges[agentId];
        const int row = rowOf(agentId);
        if (row < 0) {
            inserted.append(std::move(incoming));
            continue;
        }
        AgentView &current = m_rows[row];
        const auto [first, last] = changedColumns(current, incoming);
        if (first < 0)
            continue;
        current = std::move(incoming);
        changes.append({row, first, last});
    }
    m_pendingChanges.clear();
    m_pendingOrder.clear();
    result.changedRows = int(changes.size());
    if (changes.isEmpty())
        return;
    // One dataChanged per run of neighbouring rows, spanning the columns changed in the run.
    std::sort(changes.begin(), changes.end(), [](const Change &a, const Change &b) { return a.row < b.row; });
    qsizetype i = 0;
    while (i < changes.size()) {
        Change run = changes.at(i);
        int lastRow = run.row;
        while (i + 1 < changes.size() && changes.at(i + 1).row == lastRow + 1) {
            ++i;
            lastRow = changes.at(i).row;
            run.firstColumn = std::min(run.firstColumn, changes.at(i).firstColumn);
            run.lastColumn = std::max(run.lastColumn, changes.at(i).lastColumn);
        }
        ++i;
        Q_EMIT dataChanged(index(run.row, run.firstColumn), index(lastRow, run.lastColumn));
        ++result.dataChangedSignals;
    }
}

void AgentTableModel::insertRows(QList<AgentView> &inserted, FlushResult &result)
{
    if (inserted.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(inserted.size()) - 1);
    for (AgentView &agent : inserted) {
        m_rowOf.insert(agent.agentId, int(m_rows.size()));
        m_rows.append(std::move(agent));
    }
    endInsertRows();
    result.insertedRows = int(inserted.size());
}

void AgentTableModel::rebuildIndexFrom(int row)
{
    for (int i = row; i < m_rows.size(); ++i)
        m_rowOf.insert(m_rows.at(i).agentId, i);
}

void AgentTableModel::tick()
{
    m_nowMs = m_clock.nowMs();
    if (!m_rows.isEmpty()) {
        const int last = int(m_rows.size()) - 1;
        const QList<int> roles {Qt::DisplayRole, SortRole, Qt::ToolTipRole};
        for (const int column : {ReasonsColumn, HeartbeatAgeColumn, CallDurationColumn})
            Q_EMIT dataChanged(index(0, column), index(last, column), roles);
    }
    Q_EMIT ticked();
}

void AgentTableModel::setTickIntervalMs(int intervalMs)
{
    if (intervalMs <= 0) {
        m_tickTimer.stop();
        return;
    }
    m_tickTimer.start(intervalMs);
}

void AgentTableModel::setStale(bool stale)
{
    if (stale == m_stale)
        return;
    m_stale = stale;
    if (!m_rows.isEmpty()) {
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1),
                           {Qt::ForegroundRole, Qt::FontRole, StaleRole});
    }
}

} // namespace heartline
