#include "realtime/AgentAppView.h"

#include "agents/AgentRecord.h"

namespace heartline {

AgentAppView AgentAppView::of(const AgentRecord &record)
{
    AgentAppView view;
    view.status = record.snapshot.status;
    view.awayReason = record.snapshot.awayReason;
    view.activity = record.activity;
    view.score = record.readiness.score;
    view.ready = record.readiness.ready;
    for (const ReadinessGate &gate : record.readiness.failedGates)
        view.failedGates.append(gate.gate);
    view.reasons = record.readiness.reasons();
    return view;
}

} // namespace heartline
