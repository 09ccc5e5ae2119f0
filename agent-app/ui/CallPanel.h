#pragma once

#include <QTimer>
#include <QWidget>

#include "calls/CallSession.h"

class QLabel;
class QPushButton;

namespace heartline {

/// The call card: quiet when there is no call; on an offer, who is calling, from which queue and
/// how long they waited, with Accept and Decline (and when it answers by itself); during the call,
/// the timer, the audio quality, Mute and Hang up.
class CallPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallPanel)

public:
    explicit CallPanel(CallSession &call, QWidget *parent = nullptr);

    /// Re-reads the call (the timer does this twice a second).
    void refresh();

private:
    void showPage(int index);
    QString callerText() const;
    QString detailText() const;
    QString qualityText() const;

    CallSession &m_call;
    QList<QWidget *> m_pages; ///< idle, ringing, talking
    QLabel *m_idleText = nullptr;
    QLabel *m_ringingCaller = nullptr;
    QLabel *m_ringingDetails = nullptr;
    QLabel *m_talkingCaller = nullptr;
    QLabel *m_talkingDetails = nullptr;
    QLabel *m_timer = nullptr;
    QLabel *m_quality = nullptr;
    QLabel *m_autoAnswer = nullptr;
    QPushButton *m_mute = nullptr;
    QPushButton *m_hangup = nullptr;
    QTimer m_tick;
};

} // namespace heartline
