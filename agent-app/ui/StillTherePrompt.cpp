#include "ui/StillTherePrompt.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {
/// "3 min", "45 s": how long the desk was quiet, in the words of the prompt.
QString quietFor(int seconds)
{
    if (seconds >= 60 && seconds % 60 == 0)
        return StillTherePrompt::tr("%n min", nullptr, seconds / 60);
    return StillTherePrompt::tr("%n s", nullptr, seconds);
}
} // namespace

StillTherePrompt::StillTherePrompt(QWidget *parent) : QFrame(parent)
{
    setObjectName(u"stillTherePrompt"_s);
    m_title = new QLabel(this);
    m_title->setObjectName(u"stillThereTitle"_s);
    m_text = new QLabel(this);
    m_text->setObjectName(u"stillThereText"_s);
    m_text->setWordWrap(true);
    m_button = new QPushButton(tr("I'm here"), this);
    m_button->setObjectName(u"imHereButton"_s);
    m_button->setDefault(true);
    connect(m_button, &QPushButton::clicked, this, &StillTherePrompt::confirmed);

    auto *words = new QVBoxLayout;
    words->setSpacing(4);
    words->addWidget(m_title);
    words->addWidget(m_text);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(14, 10, 14, 10);
    layout->setSpacing(14);
    layout->addLayout(words, 1);
    layout->addWidget(m_button, 0, Qt::AlignVCenter);
    setVisible(false);
}

void StillTherePrompt::showStage(IdleStage stage, int secondsLeft, int promptSeconds)
{
    switch (stage) {
    case IdleStage::Present:
        setVisible(false);
        return;
    case IdleStage::Asking:
        m_title->setText(tr("Still there?"));
        m_text->setText(tr("No keyboard or mouse input for %1. Calls stop coming to you in %n s unless you answer.",
                           nullptr, secondsLeft)
                            .arg(quietFor(promptSeconds)));
        break;
    case IdleStage::Away:
        m_title->setText(tr("Calls stopped: you did not answer \u201cStill there?\u201d"));
        m_text->setText(tr("Move the mouse, press a key or click I'm here to take calls again."));
        break;
    }
    // The banner and its title change colour with the stage; a property selector needs a repolish.
    for (QWidget *widget : {static_cast<QWidget *>(this), static_cast<QWidget *>(m_title)}) {
        widget->setProperty("stage", stage == IdleStage::Asking ? u"asking"_s : u"away"_s);
        widget->style()->unpolish(widget);
        widget->style()->polish(widget);
    }
    setVisible(true);
}

} // namespace heartline
