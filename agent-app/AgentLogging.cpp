#include "AgentLogging.h"

Q_LOGGING_CATEGORY(lcAgentSession, "heartline.agent.session")
Q_LOGGING_CATEGORY(lcAgentVoice, "heartline.agent.voice")
Q_LOGGING_CATEGORY(lcAgentDevices, "heartline.agent.devices")
Q_LOGGING_CATEGORY(lcAgentDesktop, "heartline.agent.desktop")
