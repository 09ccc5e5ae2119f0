#include "ui/CallPanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStyle>
#include <QVBoxLayout>

#include "ui/StatusText.h"

using namespace Qt::StringLiterals;

namespace heartline {

namespace {
QLabel *label(const QString &objectName, QWidget *parent, const QString &text = {})
{
    auto *l = new QLabel(text, parent);
    l->setObjectName(objectName);
    l->setWordWrap(true);
    return l;
}
} // namespace

CallPanel::CallPanel(CallSession &call, QWidget *parent) : QWidget(parent), m_call(call)
{
    setObjectName(u"callPanel"_s);
    setAttribute(Qt::WA_StyledBackground); // the card background comes from the style sheet

    // Idle (and after a call): a calm line, nothing to press.
    auto *idle = new QWidget(this);
    auto *idleLayout = new QVBoxLayout(idle);
    idleLayout->addWidget(label(u"caption"_s, idle, tr("Calls")));
    m_idleText = label(u"callIdleText"_s, idle);
    idleLayout->addWidget(m_idleText);
    idleLayout->addStretch(1);

    // Ringing.
    auto *ringing = new QWidget(this);
    ringing->setObjectName(u"ringingPage"_s);
    auto *ringLayout = new QVBoxLayout(ringing);
    ringLayout->addWidget(label(u"ringingTitle"_s, ringing, tr("Incoming call")));
    m_ringingCaller = label(u"callerLabel"_s, ringing);
    m_ringingDetails = label(u"callDetails"_s, ringing);
    auto *accept = new QPushButton(tr("Accept"), ringing);
    accept->setObjectName(u"acceptButton"_s);
    auto *decline = new QPushButton(tr("Decline"), ringing);
    decline->setObjectName(u"declineButton"_s);
    auto *ringButtons = new QHBoxLayout;
    ringButtons->addWidget(accept);
    ringButtons->addWidget(decline);
    ringButtons->addStretch(1);
    m_autoAnswer = label(u"autoAnswerLabel"_s, ringing);
    ringLayout->addWidget(m_ringingCaller);
    ringLayout->addWidget(m_ringingDetails);
    ringLayout->addWidget(m_autoAnswer);
    ringLayout->addSpacing(6);
    ringLayout->addLayout(ringButtons);
    ringLayout->addStretch(1);

    // Answering / talking.
    auto *talking = new QWidget(this);
    auto *talkLayout = new QVBoxLayout(talking);
    talkLayout->addWidget(label(u"caption"_s, talking, tr("On a call")));
    m_talkingCaller = label(u"talkingCaller"_s, talking);
    m_talkingDetails = label(u"talkingDetails"_s, talking);
    m_timer = label(u"callTimer"_s, talking);
    m_quality = label(u"callQuality"_s, talking);
    m_mute = new QPushButton(tr("Mute"), talking);
    m_mute->setObjectName(u"muteButton"_s);
    m_mute->setCheckable(true);
    m_hangup = new QPushButton(tr("Hang up"), talking);
    m_hangup->setObjectName(u"hangupButton"_s);
    auto *talkRow = new QHBoxLayout;
    talkRow->addWidget(m_timer);
    talkRow->addStretch(1);
    talkRow->addWidget(m_mute);
    talkRow->addWidget(m_hangup);
    talkLayout->addWidget(m_talkingCaller);
    talkLayout->addWidget(m_talkingDetails);
    talkLayout->addWidget(m_quality);
    talkLayout->addLayout(talkRow);
    talkLayout->addStretch(1);

    // Pages are shown one at a time in a plain layout (not a QStackedWidget), so the card is as
    // tall as the page it shows: a quiet, small card while idle.
    m_pages = {idle, ringing, talking};
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    for (QWidget *page : std::as_const(m_pages))
        layout->addWidget(page);

    connect(accept, &QPushButton::clicked, &m_call, &CallSession::accept);
    connect(decline, &QPushButton::clicked, &m_call, &CallSession::decline);
    connect(m_hangup, &QPushButton::clicked, &m_call, &CallSession::hangup);
    connect(m_mute, &QPushButton::toggled, &m_call, &CallSession::setMuted);
    connect(&m_call, &CallSession::phaseChanged, this, &CallPanel::refresh);
    connect(&m_call, &CallSession::detailsChanged, this, &CallPanel::refresh);
    connect(&m_tick, &QTimer::timeout, this, &CallPanel::refresh);
    m_tick.start(500);
    refresh();
}

void CallPanel::showPage(int index)
{
    for (qsizetype i = 0; i < m_pages.size(); ++i)
        m_pages[i]->setVisible(i == index);
}

QString CallPanel::callerText() const
{
    const CallDetails &d = m_call.details();
    return d.from.isEmpty() ? tr("Unknown caller") : d.from;
}

QString CallPanel::detailText() const
{
    const CallDetails &d = m_call.details();
    QStringList parts;
    if (d.queue)
        parts.append(tr("Queue: %1").arg(*d.queue));
    if (d.waitSeconds)
        parts.append(tr("waited %1").arg(StatusText::duration(*d.waitSeconds)));
    return parts.join(u"  ·  "_s);
}

QString CallPanel::qualityText() const
{
    const std::optional<CallQuality> quality = m_call.quality();
    if (!quality)
        return {};
    // MOS words as ITU-T P.800 names its scale.
    QString verdict = tr("measuring…");
    if (quality->mos) {
        const double mos = *quality->mos;
        verdict = mos >= 4 ? tr("good") : mos >= 3.6 ? tr("fair") : mos >= 3.1 ? tr("poor") : tr("bad");
        verdict += tr(" (MOS %1)").arg(mos, 0, 'f', 1);
    }
    QStringList parts {tr("Audio: %1").arg(verdict)};
    if (quality->jitterMs)
        parts.append(tr("jitter %1 ms").arg(qRound(*quality->jitterMs)));
    if (quality->lossPercent)
        parts.append(tr("loss %1 %").arg(*quality->lossPercent, 0, 'f', 1));
    if (quality->roundTripMs)
        parts.append(tr("round trip %1 ms").arg(qRound(*quality->roundTripMs)));
    return parts.join(u"  ·  "_s);
}

void CallPanel::refresh()
{
    const CallDetails &d = m_call.details();
    const QString tone = m_call.phase() == CallPhase::Ringing ? u"ringing"_s : QString();
    if (property("tone").toString() != tone) {
        setProperty("tone", tone);
        style()->unpolish(this);
        style()->polish(this);
    }
    switch (m_call.phase()) {
    case CallPhase::Idle:
        m_idleText->setText(tr("No call right now. Calls ring here while you are Available."));
        showPage(0);
        break;
    case CallPhase::Ended:
        m_idleText->setText(d.endReason == u"completed"_s
                                ? tr("Last call: %1, %2.").arg(callerText(), StatusText::duration(m_call.talkSeconds()))
                                : d.endReason == u"declined"_s ? tr("You declined the call from %1.").arg(callerText())
                                : d.endReason == u"missed"_s
                                ? tr("The call from %1 rang out: it went to someone else.").arg(callerText())
                                : tr("The caller %1 hung up before you answered.").arg(callerText()));
        showPage(0);
        break;
    case CallPhase::Ringing:
        m_ringingCaller->setText(callerText());
        m_ringingDetails->setText(detailText());
        m_ringingDetails->setVisible(!m_ringingDetails->text().isEmpty());
        if (const auto seconds = m_call.autoAnswerInSeconds())
            m_autoAnswer->setText(tr("Answers by itself in %1 s").arg(*seconds));
        m_autoAnswer->setVisible(m_call.autoAnswerInSeconds().has_value());
        showPage(1);
        break;
    case CallPhase::Answering:
    case CallPhase::Connected:
        m_talkingCaller->setText(callerText());
        m_talkingDetails->setText(detailText());
        m_talkingDetails->setVisible(!m_talkingDetails->text().isEmpty());
        m_timer->setText(m_call.phase() == CallPhase::Answering ? tr("Connecting…")
                                                                : StatusText::duration(m_call.talkSeconds()));
        m_quality->setText(qualityText());
        m_quality->setVisible(!m_quality->text().isEmpty());
        m_mute->setVisible(m_call.canMute());
        {
            const QSignalBlocker quiet(m_mute);
            m_mute->setChecked(m_call.isMuted());
            m_mute->setText(m_call.isMuted() ? tr("Unmute") : tr("Mute"));
        }
        showPage(2);
        break;
    }
}

} // namespace heartline
