#include "calls/CallSession.h"

#include "AgentLogging.h"
#include "core/Clock.h"

using namespace Qt::StringLiterals;

namespace heartline {

CallSession::CallSession(const Clock &clock, QObject *parent) : QObject(parent), m_clock(clock)
{
    m_pollTimer.setInterval(250);
    connect(&m_pollTimer, &QTimer::timeout, this, &CallSession::poll);
}

void CallSession::setEndpoint(VoiceEndpoint *endpoint)
{
    if (m_endpoint)
        m_endpoint->disconnect(this);
    m_endpoint = endpoint;
    if (!m_endpoint)
        return;
    connect(m_endpoint, &VoiceEndpoint::incoming, this, &CallSession::onIncoming);
    connect(m_endpoint, &VoiceEndpoint::canceled, this, &CallSession::onCanceled);
    connect(m_endpoint, &VoiceEndpoint::connected, this, &CallSession::onConnected);
    connect(m_endpoint, &VoiceEndpoint::disconnected, this, &CallSession::onDisconnected);
    connect(m_endpoint, &VoiceEndpoint::callQualityChanged, this, &CallSession::detailsChanged);
}

void CallSession::setPhase(CallPhase phase)
{
    if (m_phase == phase)
        return;
    m_phase = phase;
    if (phase == CallPhase::Ringing && m_autoAnswerMs > 0)
        m_pollTimer.start();
    else
        m_pollTimer.stop();
    Q_EMIT phaseChanged(phase);
}

void CallSession::addOffer(const AgentCallOffered &offer)
{
    // Keep only a handful: an offer whose voice leg never came is of no use for long.
    if (m_offers.size() > 8)
        m_offers.clear();
    m_offers.insert(offer.callSid, offer);
    if ((m_phase == CallPhase::Ringing || m_phase == CallPhase::Answering || m_phase == CallPhase::Connected))
        mergeOffer();
}

void CallSession::serverEnded(const AgentCallEnded &ended)
{
    m_offers.remove(ended.callSid);
    const bool current = ended.callSid == m_details.parentCallSid || ended.callSid == m_details.callSid;
    if (!current
        || (m_phase != CallPhase::Ringing && m_phase != CallPhase::Answering && m_phase != CallPhase::Connected))
        return;
    qCInfo(lcAgentVoice).noquote() << "the server ended" << ended.callSid << '(' << ended.outcome << ')';
    if (m_endpoint) {
        if (m_phase == CallPhase::Ringing)
            m_endpoint->decline(m_details.callSid);
        else
            m_endpoint->hangup(m_details.callSid);
    }
    if (m_phase == CallPhase::Ringing)
        end(ended.outcome == u"canceled"_s ? u"canceled"_s : u"missed"_s);
    else
        end(u"completed"_s);
}

void CallSession::mergeOffer()
{
    auto it = m_offers.find(m_details.parentCallSid);
    if (it == m_offers.end())
        it = m_offers.find(m_details.callSid);
    if (it == m_offers.end())
        return;
    m_details.queue = it->queue;
    m_details.waitSeconds = it->waitSeconds;
    if (m_details.from.isEmpty())
        m_details.from = it->from;
    m_offers.erase(it);
    Q_EMIT detailsChanged();
}

void CallSession::onIncoming(const IncomingCall &call)
{
    if (m_phase == CallPhase::Ringing || m_phase == CallPhase::Answering || m_phase == CallPhase::Connected) {
        // One call at a time (maxConcurrentCalls defaults to 1): a second offer is turned down.
        qCInfo(lcAgentVoice).noquote() << "declining" << call.callSid << ": already on a call";
        if (m_endpoint)
            m_endpoint->decline(call.callSid);
        return;
    }
    m_details = CallDetails {};
    m_details.callSid = call.callSid;
    m_details.parentCallSid = call.parentCallSid;
    m_details.from = call.from;
    m_details.to = call.to;
    m_details.ringingSinceMs = m_clock.nowMs();
    m_muted = false;
    mergeOffer();
    setPhase(CallPhase::Ringing);
    Q_EMIT detailsChanged();
}

void CallSession::accept()
{
    if (m_phase != CallPhase::Ringing || !m_endpoint)
        return;
    m_endpoint->accept(m_details.callSid);
    setPhase(CallPhase::Answering);
}

void CallSession::decline()
{
    if (m_phase != CallPhase::Ringing || !m_endpoint)
        return;
    m_endpoint->decline(m_details.callSid);
    end(u"declined"_s);
}

void CallSession::hangup()
{
    if ((m_phase != CallPhase::Connected && m_phase != CallPhase::Answering) || !m_endpoint)
        return;
    m_endpoint->hangup(m_details.callSid);
    end(u"completed"_s);
}

void CallSession::setMuted(bool muted)
{
    if (muted == m_muted || !canMute() || (m_phase != CallPhase::Connected && m_phase != CallPhase::Answering))
        return;
    m_endpoint->setMuted(m_details.callSid, muted);
    m_muted = muted;
    Q_EMIT detailsChanged();
}

std::optional<int> CallSession::autoAnswerInSeconds() const
{
    if (m_phase != CallPhase::Ringing || m_autoAnswerMs <= 0)
        return std::nullopt;
    const qint64 left = m_details.ringingSinceMs + m_autoAnswerMs - m_clock.nowMs();
    return int(qMax<qint64>(0, (left + 999) / 1000));
}

void CallSession::poll()
{
    if (m_phase != CallPhase::Ringing || m_autoAnswerMs <= 0)
        return;
    if (m_clock.nowMs() - m_details.ringingSinceMs < m_autoAnswerMs)
        return;
    qCInfo(lcAgentVoice).noquote() << "answering" << m_details.callSid << "by itself after" << m_autoAnswerMs / 1000
                                   << "s";
    accept();
}

void CallSession::onCanceled(const QString &callSid)
{
    if (callSid == m_details.callSid && (m_phase == CallPhase::Ringing || m_phase == CallPhase::Answering))
        end(u"canceled"_s);
}

void CallSession::onConnected(const QString &callSid)
{
    if (callSid != m_details.callSid || (m_phase != CallPhase::Answering && m_phase != CallPhase::Ringing))
        return;
    m_details.connectedAtMs = m_clock.nowMs();
    setPhase(CallPhase::Connected);
    Q_EMIT detailsChanged();
}

void CallSession::onDisconnected(const QString &callSid)
{
    if (callSid == m_details.callSid && m_phase != CallPhase::Ended && m_phase != CallPhase::Idle)
        end(u"completed"_s);
}

void CallSession::end(const QString &reason)
{
    m_details.endedAtMs = m_clock.nowMs();
    m_details.endReason = reason;
    setPhase(CallPhase::Ended);
    Q_EMIT detailsChanged();
}

qint64 CallSession::talkSeconds() const
{
    if (m_details.connectedAtMs == 0)
        return 0;
    const qint64 until = m_phase == CallPhase::Ended ? m_details.endedAtMs : m_clock.nowMs();
    return qMax<qint64>(0, (until - m_details.connectedAtMs) / 1000);
}

} // namespace heartline
