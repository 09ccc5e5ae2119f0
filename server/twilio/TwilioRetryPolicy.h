#pragma once

#include <chrono>
#include <optional>

#include <QByteArrayView>

class QDateTime;

namespace heartline {

/// When and how often a failed Twilio request is sent again. Which failures are retried is the
/// client's decision (it depends on the request); this only says how long to wait.
struct TwilioRetryPolicy
{
    int maxAttempts = 4; ///< sends in total, the first one included; 1 disables retries
    std::chrono::milliseconds baseDelay {500};
    std::chrono::milliseconds maxDelay {20'000}; ///< cap on the backoff and on an acceptable Retry-After

    /// The wait before retry number `retry` (1 = the first retry), or nullopt to give up.
    /// Without Retry-After: exponential backoff base·2^(retry-1), capped at maxDelay, with "equal
    /// jitter" (a uniformly random point in the upper half) so clients that failed together do not
    /// retry together. `random01` in [0, 1) is injected so tests get exact numbers.
    /// With Retry-After the server's wait is used as given; one longer than maxDelay gives up
    /// instead of retrying earlier than the server asked.
    [[nodiscard]] std::optional<std::chrono::milliseconds>
    delayBeforeRetry(int retry, std::optional<std::chrono::milliseconds> retryAfter, double random01) const;
};

/// A Retry-After header value: delay-seconds ("120") or an HTTP-date, relative to `nowUtc`.
/// A date in the past gives zero. Unreadable values give nullopt (the header is then ignored).
[[nodiscard]] std::optional<std::chrono::milliseconds> parseRetryAfter(QByteArrayView value, const QDateTime &nowUtc);

} // namespace heartline
