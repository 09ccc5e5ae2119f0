#pragma once

#include <QLoggingCategory>

namespace heartline {

/// heartline.sip: what SipCore does and what liblinphone reports (its errors and warnings as
/// info, the rest as debug). Warnings only by default: liblinphone is talkative
/// (QT_LOGGING_RULES="heartline.sip.info=true" shows more).
Q_DECLARE_LOGGING_CATEGORY(lcSip)

/// Routes liblinphone's logging (process-wide in liblinphone) into lcSip, at the level lcSip lets
/// through. Safe to call more than once and from any thread; the first call installs it.
void installSipLogging();

} // namespace heartline
