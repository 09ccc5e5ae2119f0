#pragma once

#include <functional>

#include "SimHttpServer.h"

namespace heartline {

class CallEngine;
class SimScheduler;
class VoiceSignaling;
struct SimCall;

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
    /// `recordingOf` names the file a SIP leg's far end was recorded to (empty: none).
    ControlApi(CallEngine &engine, VoiceSignaling &signaling, SimScheduler &scheduler,
               std::function<void(qint64)> setRestDelay, std::function<int()> webhooksInFlight,
               std::function<QString(const QString &legSid)> recordingOf);

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
    std::function<QString(const QString &)> m_recordingOf;
};

} // namespace heartline
