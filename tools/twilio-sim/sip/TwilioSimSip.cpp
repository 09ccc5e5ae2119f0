// TwilioSim's SIP side lives in heartline_twilio_sim_sip (with liblinphone), not in
// heartline_twilio_sim: see TwilioSim::startSipDomain.

#include "ControlApi.h"
#include "TwilioSim.h"
#include "sip/SimSipSide.h"

namespace heartline {

void TwilioSim::startSipDomain(const SipDomainOptions &options)
{
    m_control->setRecordingSource(nullptr);
    m_sipSideView = nullptr;
    m_sipSide.reset();
    auto side = std::make_unique<SimSipSide>(*m_engine, *m_sipCredentials);
    SimSipSide *view = side.get();
    connect(view, &SimSipSide::started, this, [this, view] { Q_EMIT sipDomainStarted(view->address()); });
    connect(view, &SimSipSide::failed, this, &TwilioSim::sipDomainFailed);
    m_control->setRecordingSource(view);
    m_sipSideView = view;
    m_sipSide = std::move(side);
    view->start(options);
}

} // namespace heartline
