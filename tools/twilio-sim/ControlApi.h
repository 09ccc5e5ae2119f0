#pragma once

#include <functional>
#include <optional>

#include <QJsonObject>

#include "SimHttpServer.h"

namespace heartline {

class CallEngine;
class SimScheduler;
class VoiceSignaling;
struct SimCall;

/// What /control/calls/{sid}/recording serves: the SIP side's recordings of answered <Sip> legs.
class RecordingSource
{
public:
    virtual ~RecordingSource() = default;
    /// The file the far end of this SIP leg was recorded to; empty when there is none (yet).
    [[nodiscard]] virtual QString recordingFile(const QString &legSid) const = 0;
    /// {"sampleRate","channels","seconds","rms"} of a recording; nothing when it cannot be read.
    [[nodiscard]] virtual std::optional<QJsonObject> describe(const QString &file) const = 0;
};

/// Test and demo controls under /control/, without authentication (a loopback tool):
///
///   POST /control/calls {"from","to","count"}   place calls → 201 {"callSids":[…]}
///   GET  /control/calls[?all=true]              live calls (all with all=true)
///   GET  /control/calls/{sid}                   one call, Twilio's JSON plus its event log
///   POST /control/calls/{sid}/hangup            the caller hangs up (queued: an abandon)
///   GET  /control/calls/{sid}/events            the call's event log
///   GET  /control/calls/{sid}/recording         what the SIP endpoint sent on a <Sip> leg (the
///                                               leg's sid, or its parent's), audio/wav
///   GET  /control/calls/{sid}/recording.json    that recording's length and loudness (RMS)
///   GET  /control/queues                        queues with their members
///   GET  /control/clients                       identities registered on /voice
///   POST /control/rest-delay {"ms"}             hold every REST answer back this long (simulated time)
///   GET  /control/status                        counts, the simulated time
///
/// Errors: {"error":{"code","message","field"}} with 400, 404 or 409.
class ControlApi final
{
public:
    ControlApi(CallEngine &engine, VoiceSignaling &signaling, SimScheduler &scheduler,
               std::function<void(qint64)> setRestDelay, std::function<int()> webhooksInFlight);

    /// Recordings come from the SIP side once it runs; null: every recording is 404.
    void setRecordingSource(const RecordingSource *source) { m_recordings = source; }

    [[nodiscard]] SimHttpResponse handle(const SimHttpRequest &request) const;

private:
    [[nodiscard]] SimHttpResponse placeCalls(const SimHttpRequest &request) const;
    [[nodiscard]] SimHttpResponse listCalls(const SimHttpRequest &request) const;
    [[nodiscard]] SimHttpResponse callResource(const SimHttpRequest &request, const QStringList &parts) const;
    [[nodiscard]] SimHttpResponse listQueues() const;
    [[nodiscard]] SimHttpResponse recording(const SimCall &call, bool asJson) const;

    CallEngine &m_engine;
    VoiceSignaling &m_signaling;
    SimScheduler &m_scheduler;
    std::function<void(qint64)> m_setRestDelay;
    std::function<int()> m_webhooksInFlight;
    const RecordingSource *m_recordings = nullptr;
};

} // namespace heartline
