#pragma once

#include <functional>

#include <QByteArray>

namespace heartline {

class Router;

/// The content type of the Prometheus text exposition format 0.0.4.
inline constexpr char PrometheusContentType[] = "text/plain; version=0.0.4; charset=utf-8";

/// GET /metrics, without authentication (scrapers sit on the operations network): answers what
/// `scrape` returns, which brings scrape-time series up to date and renders the registry.
void addMetricsRoute(Router &router, std::function<QByteArray()> scrape);

} // namespace heartline
