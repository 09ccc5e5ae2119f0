#include "ui/ReadinessView.h"

#include <algorithm>

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QVBoxLayout>

#include "readiness/ReadinessScorer.h"
#include "ui/StatusText.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {
void setTone(QWidget *widget, const QString &tone)
{
    widget->setProperty("tone", tone);
    widget->style()->unpolish(widget);
    widget->style()->polish(widget);
}

/// When every failed gate is part of handling calls, what the agent is doing; otherwise empty.
QString busyHeadline(const ReadinessResult &readiness)
{
    if (readiness.failedGates.isEmpty())
        return {};
    QString headline;
    for (const ReadinessGate &gate : readiness.failedGates) {
        if (!readinessgate::isCallGate(gate.gate))
            return {};
        if (gate.gate == readinessgate::AtCapacity)
            headline = ReadinessView::tr("On a call");
        else if (gate.gate == readinessgate::Reserved && headline.isEmpty())
            headline = ReadinessView::tr("A call is ringing for you");
        else if (gate.gate == readinessgate::WrapUp && headline.isEmpty())
            headline = ReadinessView::tr("Wrapping up the last call");
        else if (gate.gate == readinessgate::Cooldown && headline.isEmpty())
            headline = ReadinessView::tr("A short pause after a missed call");
    }
    return headline;
}

/// The gates only the agent's return lifts ("Still there?" unanswered, a call rang out), said in the
/// app's words with what to do; empty for the others.
QString comeBackSentence(const QString &gate)
{
    if (gate == readinessgate::Idle)
        return ReadinessView::tr("You did not answer \u201cStill there?\u201d, so calls stopped. Move the mouse or "
                                 "press a key to take calls again.");
    if (gate == readinessgate::RangOut)
        return ReadinessView::tr("A call rang out here. Move the mouse or click to take calls again.");
    return {};
}

/// The server waits for the agent to come back, and for nothing else (a cooldown aside; no factor
/// lost points).
bool onlyComeBackGates(const ReadinessResult &readiness)
{
    const auto waitsForAgent = [](const ReadinessGate &gate) {
        return !comeBackSentence(gate.gate).isEmpty();
    };
    return std::any_of(readiness.failedGates.cbegin(), readiness.failedGates.cend(), waitsForAgent)
        && readiness.reasons().size() == readiness.failedGates.size()
        && std::all_of(readiness.failedGates.cbegin(), readiness.failedGates.cend(), [&](const ReadinessGate &gate) {
               return waitsForAgent(gate) || gate.gate == readinessgate::Cooldown;
           });
}

/// The voice line is all that keeps the agent from calls: every failed gate is about it (the app's
/// or Twilio's word) and no factor lost points.
bool onlyVoiceGates(const ReadinessResult &readiness)
{
    return !readiness.failedGates.isEmpty() && readiness.reasons().size() == readiness.failedGates.size()
        && std::all_of(readiness.failedGates.cbegin(), readiness.failedGates.cend(), [](const ReadinessGate &gate) {
               return gate.gate == readinessgate::VoiceNotRegistered || gate.gate == readinessgate::VoiceUnreachable;
           });
}

} // namespace

ReadinessView::ReadinessView(QWidget *parent) : QWidget(parent)
{
    setObjectName(u"readinessView"_s);
    setAttribute(Qt::WA_StyledBackground); // the card background comes from the style sheet
    m_score = new QLabel(this);
    m_score->setObjectName(u"readinessScore"_s);
    m_score->setAlignment(Qt::AlignCenter);
    m_score->setFixedSize(84, 84);
    m_headline = new QLabel(this);
    m_headline->setObjectName(u"readinessHeadline"_s);
    m_headline->setWordWrap(true);
    m_reasons = new QLabel(this);
    m_reasons->setObjectName(u"readinessReasons"_s);
    m_reasons->setWordWrap(true);
    m_reasons->setTextFormat(Qt::PlainText);
    m_reasons->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    auto *caption = new QLabel(tr("Readiness"), this);
    caption->setObjectName(u"caption"_s);
    auto *text = new QVBoxLayout;
    text->setSpacing(6);
    text->addWidget(caption);
    text->addWidget(m_headline);
    text->addWidget(m_reasons);
    text->addStretch(1);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(18, 16, 18, 16);
    layout->setSpacing(18);
    layout->addWidget(m_score, 0, Qt::AlignTop);
    layout->addLayout(text, 1);
    showUnknown(tr("Readiness unknown"), tr("Waiting for the server…"));
}

void ReadinessView::showReadiness(const ReadinessResult &readiness)
{
    m_readiness = readiness;
    render();
}

void ReadinessView::setCallsCanRing(bool canRing)
{
    if (canRing == m_callsCanRing)
        return;
    m_callsCanRing = canRing;
    if (m_readiness)
        render();
}

void ReadinessView::render()
{
    const ReadinessResult &readiness = *m_readiness;
    m_score->setText(QString::number(readiness.score));
    m_score->setToolTip(tr("Readiness score, 0 to 100"));
    QStringList reasons = readiness.reasons();
    if ((readiness.ready && !m_callsCanRing) || onlyVoiceGates(readiness)) {
        // The server would route here, but the call could not ring: that is not ready.
        setTone(m_score, u"bad"_s);
        m_headline->setText(tr("Calls cannot ring here"));
        if (reasons.isEmpty())
            reasons.append(tr("voice line not registered, calls cannot ring"));
    } else if (readiness.ready) {
        setTone(m_score, u"good"_s);
        m_headline->setText(tr("Ready for calls"));
    } else if (onlyComeBackGates(readiness)) {
        // Nothing is broken: the server waits for a sign of the agent at the desk.
        setTone(m_score, u"warn"_s);
        m_headline->setText(tr("Calls paused until you are back"));
    } else if (const QString busy = busyHeadline(readiness); !busy.isEmpty()) {
        // Not ready because of calls (on one, ringing, wrapping up): normal work, not a problem.
        setTone(m_score, u"busy"_s);
        m_headline->setText(busy);
    } else {
        setTone(m_score, readiness.failedGates.isEmpty() ? u"warn"_s : u"bad"_s);
        m_headline->setText(tr("Not ready for calls"));
    }
    setTone(m_headline, m_score->property("tone").toString());
    // The server's words for the gates that wait for the agent are replaced by what to do about them.
    // reasons() lists the gates first, in their order.
    for (qsizetype i = 0; i < readiness.failedGates.size() && i < reasons.size(); ++i) {
        if (const QString sentence = comeBackSentence(readiness.failedGates.at(i).gate); !sentence.isEmpty())
            reasons[i] = sentence;
    }
    QStringList lines;
    for (const QString &reason : reasons)
        lines.append(u"•  "_s + StatusText::sentence(reason));
    if (lines.isEmpty())
        lines.append(tr("Everything looks good."));
    m_reasons->setText(lines.join(u'\n'));
}

void ReadinessView::showUnknown(const QString &headline, const QString &why)
{
    m_readiness.reset();
    m_score->setText(u"–"_s);
    setTone(m_score, u"unknown"_s);
    m_headline->setText(headline);
    setTone(m_headline, u"unknown"_s);
    m_reasons->setText(why);
}

} // namespace heartline
