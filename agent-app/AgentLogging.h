#pragma once

#include <QLoggingCategory>

// The agent app's logging categories; switch them on with QT_LOGGING_RULES="heartline.agent.*=true".
Q_DECLARE_LOGGING_CATEGORY(lcAgentSession) ///< sign-in, /ws/agent, heartbeats, reconnects
Q_DECLARE_LOGGING_CATEGORY(lcAgentVoice)   ///< voice endpoint registration and calls
Q_DECLARE_LOGGING_CATEGORY(lcAgentDevices) ///< audio devices
Q_DECLARE_LOGGING_CATEGORY(lcAgentDesktop) ///< tray, single instance, sleep and screen lock
