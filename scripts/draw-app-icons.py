#!/usr/bin/env python3
"""Draws the desktop apps' launcher icons into resources/icons/hicolor/ (the freedesktop icon theme layout).

    python3 scripts/draw-app-icons.py

heartline-agent: the agent app's window icon (a blue disc crossed by a pulse line, as
scripts/draw-agent-resources.py draws it at 64 px); heartline-supervisor: a violet disc, the pulse line
and three dots below it, the agents a supervisor watches. Each is written as PNG at every size in
SIZES and as SVG (scalable/apps). Plain Python only (zlib, struct), the shapes on a 64-unit grid,
rendered with 4x4 supersampling for smooth edges.
"""

import math
import os
import struct
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "icons", "hicolor")
SIZES = (16, 24, 32, 48, 64, 128, 256)
GRID = 64
SUPER = 4

BLUE = (52, 110, 196)
VIOLET = (110, 76, 170)
WHITE = (255, 255, 255)

# The pulse line of draw-agent-resources.py: the "heart line" of the name.
PULSE = [(12, 34), (24, 34), (29, 22), (35, 46), (40, 30), (43, 34), (52, 34)]
# The supervisor's: the same line, higher, to leave room for the agents below it.
PULSE_HIGH = [(x, y - 8) for x, y in PULSE]
AGENT_DOTS = [(22, 49), (32, 49), (42, 49)]
DOT_RADIUS = 3.4
STROKE = 5.0
DISC = (32, 32, 29)


def disc(cx, cy, r):
    return lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def segment_distance(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def stroke(points, width):
    half = width / 2
    return lambda x, y: any(
        segment_distance(x, y, ax, ay, bx, by) <= half for (ax, ay), (bx, by) in zip(points, points[1:])
    )


def render(layers, size):
    """layers: list of (shape on the 64-unit grid, rgb); later layers paint over earlier ones."""
    scale = GRID / size
    rows = []
    for py in range(size):
        row = bytearray(b"\x00")  # PNG filter type 0 for this row
        for px in range(size):
            r = g = b = a = 0
            for sy in range(SUPER):
                for sx in range(SUPER):
                    x = (px + (sx + 0.5) / SUPER) * scale
                    y = (py + (sy + 0.5) / SUPER) * scale
                    colour = None
                    for shape, rgb in layers:
                        if shape(x, y):
                            colour = rgb
                    if colour is not None:
                        r, g, b, a = r + colour[0], g + colour[1], b + colour[2], a + 1
            row += bytes((r // a, g // a, b // a, 255 * a // (SUPER * SUPER))) if a else bytes(4)
        rows.append(bytes(row))
    return b"".join(rows)


def write_png(path, size, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)))
        out.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        out.write(chunk(b"IEND", b""))


def hex_colour(rgb):
    return "#%02x%02x%02x" % rgb


def svg(colour, pulse, dots):
    points = " ".join("%g,%g" % p for p in pulse)
    circles = "".join(
        '\n  <circle cx="%g" cy="%g" r="%g" fill="#ffffff"/>' % (x, y, DOT_RADIUS) for x, y in dots
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">\n'
        '  <circle cx="%g" cy="%g" r="%g" fill="%s"/>\n'
        '  <polyline points="%s" fill="none" stroke="#ffffff" stroke-width="%g"'
        ' stroke-linecap="round" stroke-linejoin="round"/>%s\n'
        "</svg>\n" % (*DISC, hex_colour(colour), points, STROKE, circles)
    )


def main():
    icons = {
        "heartline-agent": (BLUE, PULSE, []),
        "heartline-supervisor": (VIOLET, PULSE_HIGH, AGENT_DOTS),
    }
    for name, (colour, pulse, dots) in icons.items():
        layers = [(disc(*DISC), colour), (stroke(pulse, STROKE), WHITE)]
        layers += [(disc(x, y, DOT_RADIUS), WHITE) for x, y in dots]
        for size in SIZES:
            folder = os.path.join(ROOT, "%dx%d" % (size, size), "apps")
            os.makedirs(folder, exist_ok=True)
            write_png(os.path.join(folder, name + ".png"), size, render(layers, size))
        folder = os.path.join(ROOT, "scalable", "apps")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, name + ".svg"), "w", encoding="utf-8") as out:
            out.write(svg(colour, pulse, dots))


if __name__ == "__main__":
    main()
