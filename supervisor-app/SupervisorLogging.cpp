#include "SupervisorLogging.h"

Q_LOGGING_CATEGORY(lcSupervisorConnection, "heartline.supervisor.connection")
Q_LOGGING_CATEGORY(lcSupervisorApi, "heartline.supervisor.api")
Q_LOGGING_CATEGORY(lcSupervisorModel, "heartline.supervisor.model")
Q_LOGGING_CATEGORY(lcSupervisorUi, "heartline.supervisor.ui")
