#include "twilio/CurlTransport.h"

#include <mutex>
#include <unordered_map>

#include <QMetaObject>
#include <QSocketNotifier>
#include <QTimer>

#include <curl/curl.h>

using namespace Qt::StringLiterals;

namespace heartline {

namespace {

/// curl_global_init is not thread-safe and must run before any other libcurl call; once per
/// process is enough (its counterpart, curl_global_cleanup, is left to process exit).
CURLcode initCurlOnce()
{
    static std::once_flag once;
    static CURLcode result = CURLE_OK;
    std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    return result;
}

HttpResponse::Failure classify(CURLcode code, bool tooLarge)
{
    switch (code) {
    case CURLE_OK:
        return HttpResponse::Failure::None;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return HttpResponse::Failure::NotSent;
    case CURLE_OPERATION_TIMEDOUT:
        return HttpResponse::Failure::Timeout;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        return HttpResponse::Failure::Interrupted;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_INITFAILED:
        return HttpResponse::Failure::Tls;
    case CURLE_WRITE_ERROR:
        return tooLarge ? HttpResponse::Failure::TooLarge : HttpResponse::Failure::Other;
    default:
        return HttpResponse::Failure::Other;
    }
}

struct Transfer
{
    Q_DISABLE_COPY_MOVE(Transfer)

    Transfer() = default;
    ~Transfer()
    {
        if (easy)
            curl_easy_cleanup(easy);
        if (headers)
            curl_slist_free_all(headers);
    }

    static size_t onBody(char *data, size_t size, size_t count, void *self)
    {
        auto *transfer = static_cast<Transfer *>(self);
        const size_t length = size * count;
        if (transfer->body.size() + static_cast<qint64>(length) > transfer->maxBytes) {
            transfer->tooLarge = true;
            return 0; // makes libcurl stop with CURLE_WRITE_ERROR
        }
        transfer->body.append(data, static_cast<qsizetype>(length));
        return length;
    }

    static size_t onHeader(char *data, size_t size, size_t count, void *self)
    {
        auto *transfer = static_cast<Transfer *>(self);
        const size_t length = size * count;
        const QByteArray line = QByteArray::fromRawData(data, static_cast<qsizetype>(length));
        if (line.startsWith("HTTP/")) {
            // A new status line (after a 100 Continue, say): headers seen so far were not the answer's.
            transfer->contentType.clear();
            transfer->retryAfter.clear();
            return length;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return length;
        const QByteArray name = line.first(colon).trimmed().toLower();
        const QByteArray value = line.sliced(colon + 1).trimmed();
        if (name == "content-type")
            transfer->contentType = value;
        else if (name == "retry-after")
            transfer->retryAfter = value;
        return length;
    }

    HttpResponse response(CURLcode code) const
    {
        HttpResponse answer;
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        answer.status = static_cast<int>(status);
        answer.failure = classify(code, tooLarge);
        if (answer.failure != HttpResponse::Failure::None) {
            answer.failureText
                = errorBuffer[0] != '\0' ? QString::fromUtf8(errorBuffer) : QString::fromUtf8(curl_easy_strerror(code));
            if (tooLarge)
                answer.failureText = u"answer larger than %1 bytes"_s.arg(maxBytes);
        }
        answer.body = body;
        answer.contentType = contentType;
        answer.retryAfter = retryAfter;
        return answer;
    }

    CURL *easy = nullptr;
    curl_slist *headers = nullptr;
    QByteArray body;
    QByteArray contentType;
    QByteArray retryAfter;
    qint64 maxBytes = 0;
    bool tooLarge = false;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    CurlTransport::Done done;
};

} // namespace

struct CurlTransport::Private
{
    Q_DISABLE_COPY_MOVE(Private)

    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
    };

    explicit Private(CurlTransport *owner) : q(owner)
    {
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, q, [this] { onSocketActivity(CURL_SOCKET_TIMEOUT, 0); });
        if (initCurlOnce() != CURLE_OK)
            return;
        multi = curl_multi_init();
        if (!multi)
            return;
        curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Private::onSocketChange);
        curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
        curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Private::onTimerChange);
        curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
    }

    ~Private()
    {
        timer.stop();
        for (auto &[fd, watch] : sockets) {
            for (QSocketNotifier *notifier : {watch.read, watch.write}) {
                if (notifier)
                    notifier->setEnabled(false);
            }
        }
        if (!multi)
            return;
        // Abandoned transfers and the connection cache close their sockets here; nothing is
        // watched any more, so libcurl need not report it.
        curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, nullptr);
        curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, nullptr);
        for (auto &[easy, transfer] : transfers)
            curl_multi_remove_handle(multi, easy);
        transfers.clear();
        curl_multi_cleanup(multi);
    }

    static int onSocketChange(CURL *, curl_socket_t fd, int what, void *self, void *)
    {
        static_cast<Private *>(self)->watch(fd, what);
        return 0;
    }

    static int onTimerChange(CURLM *, long timeoutMs, void *self)
    {
        auto *d = static_cast<Private *>(self);
        // Never call back into libcurl from here: a zero timeout means "soon", from the event loop.
        if (timeoutMs < 0)
            d->timer.stop();
        else
            d->timer.start(static_cast<int>(std::min<long>(timeoutMs, 24L * 3600 * 1000)));
        return 0;
    }

    void watch(curl_socket_t fd, int what)
    {
        if (what == CURL_POLL_REMOVE) {
            const auto it = sockets.find(fd);
            if (it == sockets.end())
                return;
            // The notifier may be the one whose signal is being delivered right now.
            for (QSocketNotifier *notifier : {it->second.read, it->second.write}) {
                if (notifier) {
                    notifier->setEnabled(false);
                    notifier->deleteLater();
                }
            }
            sockets.erase(it);
            return;
        }
        Watch &entry = sockets[fd];
        setNotifier(entry.read, fd, QSocketNotifier::Read, what == CURL_POLL_IN || what == CURL_POLL_INOUT);
        setNotifier(entry.write, fd, QSocketNotifier::Write, what == CURL_POLL_OUT || what == CURL_POLL_INOUT);
    }

    void setNotifier(QSocketNotifier *&notifier, curl_socket_t fd, QSocketNotifier::Type type, bool wanted)
    {
        if (!wanted) {
            if (notifier)
                notifier->setEnabled(false);
            return;
        }
        if (!notifier) {
            notifier = new QSocketNotifier(fd, type, q);
            const int flag = type == QSocketNotifier::Read ? CURL_CSELECT_IN : CURL_CSELECT_OUT;
            QObject::connect(notifier, &QSocketNotifier::activated, q,
                             [this, fd, flag] { onSocketActivity(fd, flag); });
        }
        notifier->setEnabled(true);
    }

    void onSocketActivity(curl_socket_t fd, int flags)
    {
        if (!multi)
            return;
        int running = 0;
        curl_multi_socket_action(multi, fd, flags, &running);
        collectFinished();
    }

    void collectFinished()
    {
        int left = 0;
        while (CURLMsg *message = curl_multi_info_read(multi, &left)) {
            if (message->msg != CURLMSG_DONE)
                continue;
            CURL *easy = message->easy_handle;
            const CURLcode code = message->data.result; // message is invalid after remove_handle
            const auto it = transfers.find(easy);
            if (it == transfers.end())
                continue;
            std::unique_ptr<Transfer> transfer = std::move(it->second);
            transfers.erase(it);
            curl_multi_remove_handle(multi, easy);
            finish(std::move(transfer->done), transfer->response(code));
        }
    }

    /// Completions are queued, not called here: a Done that starts the next request or drops the
    /// transport then runs outside libcurl's processing.
    void finish(Done done, HttpResponse response)
    {
        QMetaObject::invokeMethod(
            q, [done = std::move(done), response = std::move(response)]() mutable { done(std::move(response)); },
            Qt::QueuedConnection);
    }

    bool configure(Transfer &transfer, const HttpRequest &request)
    {
        CURL *easy = transfer.easy;
        const QByteArray userAgent = QByteArrayLiteral("heartline/" HEARTLINE_VERSION);
        bool ok = curl_easy_setopt(easy, CURLOPT_URL, request.url.constData()) == CURLE_OK;
        ok = ok && curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK;
        ok = ok && curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
        ok = ok && curl_easy_setopt(easy, CURLOPT_USERAGENT, userAgent.constData()) == CURLE_OK;
        ok = ok && curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "") == CURLE_OK;
        ok = ok
            && curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connectTimeout.count()))
                == CURLE_OK;
        ok = ok
            && curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.totalTimeout.count())) == CURLE_OK;
        if (!request.userName.isEmpty()) {
            // Basic auth only, and only to the host in the URL: redirects are not followed.
            ok = ok && curl_easy_setopt(easy, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC)) == CURLE_OK;
            ok = ok && curl_easy_setopt(easy, CURLOPT_USERNAME, request.userName.toUtf8().constData()) == CURLE_OK;
            ok = ok && curl_easy_setopt(easy, CURLOPT_PASSWORD, request.password.toUtf8().constData()) == CURLE_OK;
        }
        transfer.headers = curl_slist_append(transfer.headers, "Accept: application/json");
        transfer.headers = curl_slist_append(transfer.headers, "Expect:"); // no 100-continue round trip
        ok = ok && transfer.headers && curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.headers) == CURLE_OK;
        ok = ok && curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::onBody) == CURLE_OK;
        ok = ok && curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer) == CURLE_OK;
        ok = ok && curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::onHeader) == CURLE_OK;
        ok = ok && curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer) == CURLE_OK;
        ok = ok && curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.errorBuffer) == CURLE_OK;
        ok = ok && curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfer) == CURLE_OK;
        if (request.method == "POST") {
            ok = ok
                && curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.formBody.size()))
                    == CURLE_OK;
            ok = ok && curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, request.formBody.constData()) == CURLE_OK;
        } else if (request.method == "GET") {
            ok = ok && curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L) == CURLE_OK;
        } else {
            ok = ok && curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.constData()) == CURLE_OK;
        }
        return ok;
    }

    CurlTransport *q;
    CURLM *multi = nullptr;
    QTimer timer;
    std::unordered_map<curl_socket_t, Watch> sockets;
    std::unordered_map<CURL *, std::unique_ptr<Transfer>> transfers;
};

CurlTransport::CurlTransport(QObject *parent) : QObject(parent), d(std::make_unique<Private>(this)) { }

CurlTransport::~CurlTransport() = default;

void CurlTransport::start(const HttpRequest &request, Done done)
{
    auto fail = [&](const QString &why) {
        HttpResponse response;
        response.failure = HttpResponse::Failure::Other;
        response.failureText = why;
        d->finish(std::move(done), std::move(response));
    };
    if (!d->multi)
        return fail(u"libcurl could not be initialised"_s);

    auto transfer = std::make_unique<Transfer>();
    transfer->easy = curl_easy_init();
    transfer->maxBytes = request.maxResponseBytes;
    transfer->done = std::move(done);
    if (!transfer->easy || !d->configure(*transfer, request)) {
        done = std::move(transfer->done);
        return fail(u"libcurl rejected the request options"_s);
    }
    CURL *easy = transfer->easy;
    if (curl_multi_add_handle(d->multi, easy) != CURLM_OK) {
        done = std::move(transfer->done);
        return fail(u"libcurl could not start the request"_s);
    }
    d->transfers.emplace(easy, std::move(transfer));
}

int CurlTransport::transfersInFlight() const
{
    return static_cast<int>(d->transfers.size());
}

} // namespace heartline
