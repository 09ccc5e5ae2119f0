#include "metrics/MetricsRoute.h"

#include <QHttpServerRequest>
#include <QHttpServerResponse>

#include "http/Router.h"

using namespace Qt::StringLiterals;

namespace heartline {

void addMetricsRoute(Router &router, std::function<QByteArray()> scrape)
{
    router.route(u"/metrics"_s, QHttpServerRequest::Method::Get, [scrape = std::move(scrape)] {
        return QHttpServerResponse(QByteArray(PrometheusContentType), scrape(), QHttpServerResponder::StatusCode::Ok);
    });
}

} // namespace heartline
