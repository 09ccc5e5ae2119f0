#pragma once

#include <functional>

#include "SimHttpServer.h"

namespace heartline {

class CallEngine;
class SimScheduler;
class VoiceSignaling;

/// Test and demo controls under /control/, without authentication (a loopback tool):
///
///   POST /control/calls {"from","to","count"}   place calls → 201 {"callSids":[…]}
///   GET  /control/calls[?all=true]              live calls (all with all=true)
///   GET  /control/calls/{sid}                   one call, Twilio's JSON plus its event log
///   POST /control/calls/{sid}/hangup            the caller hangs up (queued: an abandon)
///   GET  /control/calls/{sid}/events            the call's event log
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

    [[nodiscard]] SimHttpResponse handle(const SimHttpRequest &request) const;

private:
    [[nodiscard]] SimHttpResponse placeCalls(const SimHttpRequest &request) const;
    [[nodiscard]] SimHttpResponse listCalls(const SimHttpRequest &request) const;
    [[nodiscard]] SimHttpResponse callResource(const SimHttpRequest &request, const QStringList &parts) const;
    [[nodiscard]] SimHttpResponse listQueues() const;

    CallEngine &m_engine;
    VoiceSignaling &m_signaling;
    SimScheduler &m_scheduler;
    std::function<void(qint64)> m_setRestDelay;
    std::function<int()> m_webhooksInFlight;
};

} // namespace heartline
