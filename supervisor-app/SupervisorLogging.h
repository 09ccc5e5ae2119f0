#pragma once

#include <QLoggingCategory>

// The supervisor app's logging categories; switch them on with QT_LOGGING_RULES, e.g.
// QT_LOGGING_RULES="heartline.supervisor.*.debug=true".

Q_DECLARE_LOGGING_CATEGORY(lcSupervisorConnection) // heartline.supervisor.connection: /ws/supervisor
Q_DECLARE_LOGGING_CATEGORY(lcSupervisorApi)        // heartline.supervisor.api: HTTP requests
Q_DECLARE_LOGGING_CATEGORY(lcSupervisorModel)      // heartline.supervisor.model: agent table updates
Q_DECLARE_LOGGING_CATEGORY(lcSupervisorUi)         // heartline.supervisor.ui: windows and actions
