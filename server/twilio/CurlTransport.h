#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <QByteArray>
#include <QObject>
#include <QString>

namespace heartline {

/// One HTTP exchange for CurlTransport. Credentials travel separately from the URL so that the
/// URL can be logged as it is.
struct HttpRequest
{
    QByteArray method = "GET"; ///< GET, POST or DELETE
    QByteArray url;            ///< fully encoded, without user info
    QByteArray formBody;       ///< application/x-www-form-urlencoded; POST only
    QString userName;
    QString password; ///< secret: handed to libcurl, never logged
    std::chrono::milliseconds connectTimeout {5000};
    std::chrono::milliseconds totalTimeout {15000};
    qint64 maxResponseBytes = 8 * 1024 * 1024;
};

struct HttpResponse
{
    /// Why no complete HTTP answer arrived; the split decides what may be retried.
    enum class Failure {
        None,
        NotSent,     ///< DNS or TCP connect failed: the server never saw the request
        Timeout,     ///< connect or total time limit
        Interrupted, ///< the connection broke after the request went out: it may have been acted on
        Tls,         ///< handshake or certificate failure
        TooLarge,    ///< the body passed maxResponseBytes
        Other,
    };

    Failure failure = Failure::None;
    QString failureText; ///< libcurl's description; never contains credentials
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QByteArray retryAfter; ///< raw Retry-After header value, empty when absent
};

/// HTTP through libcurl's multi interface, driven by the Qt event loop of the thread the
/// transport lives in: libcurl names the sockets it waits on (CURLMOPT_SOCKETFUNCTION) and the
/// next deadline (CURLMOPT_TIMERFUNCTION); QSocketNotifiers and one QTimer wake it up.
///
/// Chosen over a worker thread running curl_easy_perform: no thread to start, stop or
/// synchronise, any number of concurrent requests on one thread, and completions already arrive
/// on the owner's thread. Nothing here blocks; a silent server costs one open socket, not a
/// stalled event loop.
class CurlTransport final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CurlTransport)

public:
    using Done = std::function<void(HttpResponse)>;

    explicit CurlTransport(QObject *parent = nullptr);
    /// Abandons requests still in flight without calling their Done.
    ~CurlTransport() override;

    /// Starts the exchange and returns at once. `done` runs later on this object's thread, from
    /// the event loop (never from inside start()).
    void start(const HttpRequest &request, Done done);

    [[nodiscard]] int transfersInFlight() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace heartline
