#include "ui/DeviceIcons.h"

#include <QHash>
#include <QPainter>
#include <QPainterPath>

namespace heartline {

namespace {

const QColor PresentColor(0x2e, 0x9e, 0x4f);
const QColor MissingColor(0xd0, 0x34, 0x2c);
const QColor UnknownColor(0xb4, 0xb4, 0xb4);

int stateKey(std::optional<bool> present)
{
    return present ? (*present ? 1 : 2) : 0;
}

void paintMicrophone(QPainter &painter, const QColor &color)
{
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawRoundedRect(QRectF(5.5, 1, 5, 9), 2.5, 2.5);
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(color, 1.5, Qt::SolidLine, Qt::RoundCap));
    painter.drawArc(QRectF(3, 3.5, 10, 9), 180 * 16, 180 * 16);
    painter.drawLine(QPointF(8, 12.5), QPointF(8, 14.5));
    painter.drawLine(QPointF(5.5, 14.5), QPointF(10.5, 14.5));
}

void paintHeadphones(QPainter &painter, const QColor &color)
{
    painter.setPen(QPen(color, 1.6, Qt::SolidLine, Qt::RoundCap));
    painter.setBrush(Qt::NoBrush);
    painter.drawArc(QRectF(2.5, 2, 11, 12), 0, 180 * 16);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawRoundedRect(QRectF(1.5, 8, 4, 6.5), 1.5, 1.5);
    painter.drawRoundedRect(QRectF(10.5, 8, 4, 6.5), 1.5, 1.5);
}

void paintVoice(QPainter &painter, const QColor &color)
{
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QPointF(8, 12), 1.8, 1.8);
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(color, 1.5, Qt::SolidLine, Qt::RoundCap));
    painter.drawArc(QRectF(4, 8, 8, 8), 45 * 16, 90 * 16);
    painter.drawArc(QRectF(1, 5, 14, 14), 45 * 16, 90 * 16);
}

} // namespace

QPixmap DeviceIcons::glyph(Device device, std::optional<bool> present)
{
    const QColor color = present ? (*present ? PresentColor : MissingColor) : UnknownColor;
    QPixmap pixmap(GlyphSize, GlyphSize);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    switch (device) {
    case Device::Microphone:
        paintMicrophone(painter, color);
        break;
    case Device::Headphones:
        paintHeadphones(painter, color);
        break;
    case Device::Voice:
        paintVoice(painter, color);
        break;
    }
    if (present && !*present) {
        // Struck through, so "missing" does not rely on colour alone.
        painter.setPen(QPen(QColor(0x80, 0x10, 0x10), 1.8, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(QPointF(2, 14), QPointF(14, 2));
    }
    return pixmap;
}

QPixmap DeviceIcons::pixmap(const DeviceState &devices)
{
    static QHash<int, QPixmap> cache;
    const int key
        = stateKey(devices.audioInput) * 9 + stateKey(devices.audioOutput) * 3 + stateKey(devices.voiceRegistered);
    if (const auto found = cache.constFind(key); found != cache.constEnd())
        return *found;
    constexpr int Gap = 4;
    QPixmap combined(3 * GlyphSize + 2 * Gap, GlyphSize);
    combined.fill(Qt::transparent);
    QPainter painter(&combined);
    painter.drawPixmap(0, 0, glyph(Device::Microphone, devices.audioInput));
    painter.drawPixmap(GlyphSize + Gap, 0, glyph(Device::Headphones, devices.audioOutput));
    painter.drawPixmap(2 * (GlyphSize + Gap), 0, glyph(Device::Voice, devices.voiceRegistered));
    painter.end();
    cache.insert(key, combined);
    return combined;
}

} // namespace heartline
