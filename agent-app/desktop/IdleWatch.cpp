#include "desktop/IdleWatch.h"

#include <algorithm>

#include "AgentLogging.h"
#include "core/Clock.h"
#include "desktop/IdleSource.h"
#include "protocol/ProtocolTypes.h"

namespace heartline {

IdleWatch::IdleWatch(const Clock &clock, IdleSource *source, int pollIntervalMs, QObject *parent)
    : QObject(parent), m_clock(clock), m_source(source)
{
    connect(&m_timer, &QTimer::timeout, this, &IdleWatch::poll);
    if (m_source && pollIntervalMs > 0) {
        m_timer.setInterval(pollIntervalMs);
        m_timer.start();
    }
}

void IdleWatch::setTimes(int promptSeconds, int graceSeconds, int quietSeconds)
{
    m_promptMs = qint64(qMax(0, promptSeconds)) * 1000;
    m_graceMs = qint64(qMax(1, graceSeconds)) * 1000;
    m_quietMs = qint64(qMax(0, quietSeconds)) * 1000;
    if (m_quietMs == 0)
        setQuiet(false);
    if (m_promptMs == 0 && m_stage != IdleStage::Present)
        setStage(IdleStage::Present); // the server stopped watching: nobody waits for an answer
}

void IdleWatch::setAskingAllowed(bool allowed)
{
    m_allowed = allowed;
    if (!allowed && m_stage == IdleStage::Asking)
        setStage(IdleStage::Present);
}

void IdleWatch::setOnCall(bool onCall, bool connected)
{
    if (onCall) {
        m_connected = m_connected || connected;
        if (m_onCall)
            return;
        m_onCall = true;
        if (m_stage == IdleStage::Asking)
            setStage(IdleStage::Present);
        setQuiet(false);
        return;
    }
    if (!m_onCall)
        return;
    m_onCall = false;
    if (m_connected)
        m_callEndedAtMs = m_clock.nowMs();
    m_connected = false;
}

void IdleWatch::confirmPresent()
{
    m_confirmedAtMs = m_clock.nowMs();
    noticeInput();
}

void IdleWatch::reset()
{
    m_callEndedAtMs = 0;
    m_confirmedAtMs = 0;
    setStage(IdleStage::Present);
    setQuiet(false);
}

void IdleWatch::noticeInput()
{
    if (m_stage != IdleStage::Present)
        setStage(IdleStage::Present);
    setQuiet(false);
    Q_EMIT inputSeen();
}

void IdleWatch::poll()
{
    if (!m_source)
        return;
    const qint64 now = m_clock.nowMs();
    const std::optional<qint64> idle = m_source->idleMs();
    if (idle) {
        const qint64 lastInput = now - qMax<qint64>(0, *idle);
        if (!m_lastInputMs) {
            m_lastInputMs = lastInput;
        } else if (lastInput > *m_lastInputMs + InputToleranceMs) {
            m_lastInputMs = lastInput;
            noticeInput();
        }
    }
    if (m_onCall || !idle || !m_lastInputMs)
        return; // nothing to ask during a call, and nothing to go on while the desktop does not tell

    const qint64 quietSince = std::max({*m_lastInputMs, m_callEndedAtMs, m_confirmedAtMs});
    setQuiet(m_quietMs > 0 && now - quietSince >= m_quietMs);
    switch (m_stage) {
    case IdleStage::Present:
        if (m_allowed && m_promptMs > 0 && now - quietSince >= m_promptMs) {
            m_askedAtMs = now;
            qCInfo(lcAgentDesktop) << "no input for" << (now - quietSince) / 1000 << "s: asking \"Still there?\"";
            setStage(IdleStage::Asking);
        }
        break;
    case IdleStage::Asking:
        if (now - m_askedAtMs >= m_graceMs) {
            qCInfo(lcAgentDesktop) << "\"Still there?\" unanswered: reporting the agent idle";
            setStage(IdleStage::Away);
        } else if (const int left = secondsLeft(); left != m_shownSecondsLeft) {
            m_shownSecondsLeft = left;
            Q_EMIT countdownChanged(left);
        }
        break;
    case IdleStage::Away:
        break;
    }
}

int IdleWatch::secondsLeft() const
{
    if (m_stage != IdleStage::Asking)
        return 0;
    const qint64 left = m_askedAtMs + m_graceMs - m_clock.nowMs();
    return left <= 0 ? 0 : int((left + 999) / 1000);
}

std::optional<double> IdleWatch::idleSeconds()
{
    if (!m_source)
        return std::nullopt;
    const std::optional<qint64> idle = m_source->idleMs();
    if (!idle)
        return std::nullopt;
    qint64 ms = qMax<qint64>(0, *idle);
    if (m_confirmedAtMs != 0)
        ms = qMin(ms, qMax<qint64>(0, m_clock.nowMs() - m_confirmedAtMs));
    // The server refuses the whole report beyond its bound: a desktop idle for months is "very long".
    return qMin(double(ms) / 1000.0, MaxIdleSeconds);
}

void IdleWatch::setQuiet(bool quiet)
{
    if (quiet == m_quiet)
        return;
    m_quiet = quiet;
    Q_EMIT quietChanged(quiet);
}

void IdleWatch::setStage(IdleStage stage)
{
    if (stage == m_stage)
        return;
    m_stage = stage;
    m_shownSecondsLeft = stage == IdleStage::Asking ? secondsLeft() : -1;
    Q_EMIT stageChanged(stage);
}

} // namespace heartline
