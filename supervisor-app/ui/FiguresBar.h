#pragma once

#include <QHash>
#include <QWidget>

#include "models/DashboardFigures.h"

class QLabel;

namespace heartline {

/// The dashboard's header: one tile per figure (ready, not ready, on call, away, offline, devices
/// connected, average readiness, heartbeat processing time, routing success), each a big value and a
/// caption. A figure the server has not sent reads "–".
class FiguresBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FiguresBar)

public:
    /// Tile names, also their object names ("figure-ready"), for tests and style sheets.
    enum class Figure {
        Ready,
        NotReady,
        OnCall,
        Away,
        Offline,
        DevicesConnected,
        AverageReadiness,
        HeartbeatProcessing,
        RoutingSuccess,
    };

    explicit FiguresBar(QWidget *parent = nullptr);

    void setFigures(const DashboardFigures &figures);
    /// Greys the values out while the connection is down.
    void setStale(bool stale);
    /// The value a tile shows.
    [[nodiscard]] QString value(Figure figure) const;

private:
    void addTile(Figure figure, const QString &caption, const QString &tooltip, const QColor &accent);
    void set(Figure figure, const QString &value, const QString &detail = {});

    struct Tile
    {
        QLabel *value = nullptr;
        QLabel *detail = nullptr;
    };
    QHash<int, Tile> m_tiles;
};

} // namespace heartline
