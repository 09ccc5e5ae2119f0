#include "SipLogging.h"

#include <mutex>

#include <linphone++/linphone.hh>

namespace heartline {

Q_LOGGING_CATEGORY(lcSip, "heartline.sip", QtWarningMsg)

namespace {

// liblinphone calls this from whichever thread logs (its own media threads included); Qt's
// logging is thread-safe.
class SipLogForwarder final : public linphone::LoggingServiceListener
{
public:
    void onLogMessageWritten(const std::shared_ptr<linphone::LoggingService> &, const std::string &domain,
                             linphone::LogLevel level, const std::string &message) override
    {
        const QString text = QString::fromStdString(domain) + u": " + QString::fromStdString(message);
        // liblinphone reports many errors that are not ours to act on (no sound card on a server,
        // optional files missing); what matters reaches SipCore's users as signals.
        switch (level) {
        case linphone::LogLevel::Fatal:
            qCWarning(lcSip).noquote() << text;
            break;
        case linphone::LogLevel::Error:
        case linphone::LogLevel::Warning:
            qCInfo(lcSip).noquote() << text;
            break;
        default:
            qCDebug(lcSip).noquote() << text;
            break;
        }
    }
};

} // namespace

void installSipLogging()
{
    static std::once_flag once;
    std::call_once(once, [] {
        const auto service = linphone::LoggingService::get();
        // Without a listener liblinphone prints to stdout; the level keeps the formatting of
        // messages nobody will see from costing anything.
        linphone::LogLevel level = linphone::LogLevel::Fatal;
        if (lcSip().isDebugEnabled())
            level = linphone::LogLevel::Message;
        else if (lcSip().isInfoEnabled())
            level = linphone::LogLevel::Warning;
        service->setLogLevel(level);
        service->addListener(std::make_shared<SipLogForwarder>());
    });
}

} // namespace heartline
