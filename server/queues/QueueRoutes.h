#pragma once

#include <QString>

namespace heartline {

class AuthService;
class QueueService;
class QueueStore;
class Router;
class TwilioWebhookVerifier;

/// The queue's Twilio webhooks (signed, like every Twilio route), the supervisors' view, and the
/// hold music Twilio plays to waiting callers:
///   POST /twilio/queue/wait?queue=     waitUrl: position, expected wait, hold music
///   POST /twilio/queue/action?queue=   Enqueue action: how the caller left (QueueResult)
///   POST /twilio/queue/voicemail?queue= the Record action of a queue with voicemail: save the message
///   POST /twilio/queue/bridge?agent=   the URL a REST dequeue sends the caller to: dial the agent
///   GET  /api/voicemails               (supervisor, admin) the newest messages callers left
///   GET  /api/queues                    (supervisor, admin) every queue with its callers and figures
///   GET  /media/{file}                  (no token: Twilio fetches it) WAV/MP3 from MEDIA_DIR or built in
void addQueueRoutes(Router &router, const AuthService &auth, QueueService &queues, QueueStore &store,
                    const TwilioWebhookVerifier &verifier, const QString &mediaDir);

} // namespace heartline
