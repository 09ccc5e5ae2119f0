#pragma once

// Sample messages and JSON editing helpers shared by the tst_protocol_* suites.

#include <variant>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QTest>

#include "protocol/ProtocolTypes.h"
#include "protocol/SupervisorProtocol.h"
#include "readiness/ReadinessResult.h"

namespace heartline::testdata {

using namespace Qt::StringLiterals;

inline QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

inline QJsonObject object(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

/// A string of `length` letters, to probe length limits.
inline QString letters(qsizetype length)
{
    return QString(length, u'x');
}

/// Marks a field to be removed by edit().
inline const QJsonValue Remove = QJsonValue(QJsonValue::Undefined);

namespace detail {

using Step = std::variant<QString, qsizetype>;

/// "agents[0].devices.networkRttMs" → agents, 0, devices, networkRttMs
inline QList<Step> steps(const QString &path)
{
    QList<Step> out;
    for (const QString &part : path.split(u'.')) {
        const qsizetype bracket = part.indexOf(u'[');
        out.append(part.left(bracket));
        if (bracket >= 0)
            out.append(part.mid(bracket + 1, part.size() - bracket - 2).toLongLong());
    }
    return out;
}

inline QJsonValue edit(const QJsonValue &node, const QList<Step> &path, qsizetype at, const QJsonValue &value)
{
    const bool last = at == path.size() - 1;
    if (const QString *key = std::get_if<QString>(&path[at])) {
        QJsonObject object = node.toObject();
        if (last && value.isUndefined())
            object.remove(*key);
        else
            object.insert(*key, last ? value : edit(object.value(*key), path, at + 1, value));
        return object;
    }
    const qsizetype index = std::get<qsizetype>(path[at]);
    QJsonArray array = node.toArray();
    array.replace(index, last ? value : edit(array.at(index), path, at + 1, value));
    return array;
}

} // namespace detail

/// A copy of `object` with the field at `path` ("a.b[1].c") set to `value`, or removed with Remove.
inline QJsonObject edit(const QJsonObject &object, const QString &path, const QJsonValue &value)
{
    return detail::edit(object, detail::steps(path), 0, value).toObject();
}

inline QByteArray editJson(const QJsonObject &object, const QString &path, const QJsonValue &value)
{
    return json(edit(object, path, value));
}

inline DeviceState fullDevices()
{
    DeviceState devices;
    devices.audioInput = true;
    devices.audioOutput = false;
    devices.audioInputName = u"USB Headset Mic"_s;
    devices.audioOutputName = u""_s;
    devices.voiceRegistered = true;
    devices.networkRttMs = 42.5;
    devices.packetLossPercent = 0.25;
    devices.networkType = u"wifi"_s;
    devices.callQuality = CallQuality {12.5, 0.5, 38, 4.2};
    devices.voiceLine = VoiceLine::Sip;
    devices.presence = Presence::Idle;
    devices.idleSeconds = 212.5;
    return devices;
}

inline ReadinessResult sampleReadiness()
{
    ReadinessResult readiness;
    readiness.score = 62;
    readiness.ready = false;
    readiness.factors = {
        ReadinessFactor {u"heartbeat"_s, 30, 30, u"last heartbeat 4 s ago"_s},
        ReadinessFactor {u"device"_s, 12, 25, u"no audio output device"_s},
        ReadinessFactor {u"network"_s, 20, 25, u"packet loss 3 %"_s},
    };
    readiness.failedGates = {ReadinessGate {u"status_not_available"_s, u"status is away (lunch)"_s}};
    return readiness;
}

inline ReadinessResult readyReadiness()
{
    ReadinessResult readiness;
    readiness.score = 100;
    readiness.ready = true;
    readiness.factors = {ReadinessFactor {u"heartbeat"_s, 40, 40, u"last heartbeat 1 s ago"_s}};
    return readiness;
}

/// Every optional field set.
inline AgentView fullAgentView()
{
    AgentView view;
    view.agentId = u"a1"_s;
    view.displayName = u"Ada Lovelace"_s;
    view.status = AgentStatus::Away;
    view.awayReason = u"lunch"_s;
    view.activity = AgentActivity::OnCall;
    view.loggedIn = true;
    view.connection = ConnectionKind::WebSocket;
    view.readiness = sampleReadiness();
    view.lastHeartbeatMs = 1'767'225'600'000;
    view.devices = fullDevices();
    view.deviceConnected = true;
    view.activeCalls = 1;
    view.maxConcurrentCalls = 2;
    view.callsToday = 17;
    view.currentCallStartedMs = 1'767'225'590'000;
    view.wsRttMs = 12.5;
    view.queues = {u"support"_s, u"sales"_s};
    return view;
}

/// Every optional field absent (written as null where the wire says so).
inline AgentView bareAgentView()
{
    AgentView view;
    view.agentId = u"a2"_s;
    view.displayName = u"Grace Hopper"_s;
    view.status = AgentStatus::Offline;
    view.activity = AgentActivity::Disconnected;
    view.connection = ConnectionKind::None;
    return view;
}

/// Checks a rejected parse: exact code and field, and a message that names the field.
template <typename R> void verifyProblem(const R &result, const QString &code, const QString &field)
{
    QVERIFY2(!result.ok(), "the input was accepted");
    QCOMPARE(result.error().code, code);
    QCOMPARE(result.error().field, field);
    QVERIFY(!result.error().message.isEmpty());
    if (!field.isEmpty())
        QVERIFY2(result.error().message.startsWith(field), qPrintable(result.error().message));
}

} // namespace heartline::testdata
