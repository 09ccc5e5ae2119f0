#pragma once

#include <QFrame>

#include "desktop/IdleWatch.h"

class QLabel;
class QPushButton;

namespace heartline {

/// The "Still there?" banner at the top of the main screen: asked after a quiet stretch, with the
/// seconds left before calls stop and an "I'm here" button; after the grace period, why calls
/// stopped and how to get them back. Not modal: the agent's next input anywhere answers it as well.
class StillTherePrompt final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StillTherePrompt)

public:
    explicit StillTherePrompt(QWidget *parent = nullptr);

    /// Shows the stage (hidden while present); `promptSeconds` is how long it was quiet.
    void showStage(IdleStage stage, int secondsLeft, int promptSeconds);

Q_SIGNALS:
    /// "I'm here".
    void confirmed();

private:
    QLabel *m_title = nullptr;
    QLabel *m_text = nullptr;
    QPushButton *m_button = nullptr;
};

} // namespace heartline
