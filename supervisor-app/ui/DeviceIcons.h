#pragma once

#include <optional>

#include <QPixmap>

#include "protocol/ProtocolTypes.h"

namespace heartline {

/// Small painted icons for the devices column: microphone, headphones and voice endpoint side by
/// side, green when present, red and struck through when missing, grey when not reported. Painted
/// once per combination and cached (27 at most), so the table never paints them per row.
class DeviceIcons final
{
public:
    enum class Device {
        Microphone,
        Headphones,
        Voice,
    };
    static constexpr int GlyphSize = 16;

    /// The three glyphs for what the agent app reported.
    [[nodiscard]] static QPixmap pixmap(const DeviceState &devices);
    /// One glyph: present (true), missing (false) or not reported (nullopt).
    [[nodiscard]] static QPixmap glyph(Device device, std::optional<bool> present);
};

} // namespace heartline
