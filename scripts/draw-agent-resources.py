#!/usr/bin/env python3
"""Draws the agent app's icons (PNG) and ring tone (WAV) into agent-app/resources/.

Plain Python only (zlib, struct, wave), so the drawings can be regenerated anywhere:
    python3 scripts/draw-agent-resources.py
Each icon is a few shapes (discs, strokes) rendered with 4x4 supersampling for smooth edges.
"""

import math
import os
import struct
import wave
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "agent-app", "resources")
SIZE = 64
SUPER = 4

GREEN = (46, 160, 92)
AMBER = (224, 150, 32)
GREY = (128, 136, 146)
RED = (208, 64, 64)
BLUE = (52, 110, 196)
WHITE = (255, 255, 255)


def disc(cx, cy, r):
    return lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def ring(cx, cy, r_outer, r_inner):
    return lambda x, y: r_inner * r_inner <= (x - cx) ** 2 + (y - cy) ** 2 <= r_outer * r_outer


def segment_distance(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def stroke(points, width):
    half = width / 2

    def inside(x, y):
        for (ax, ay), (bx, by) in zip(points, points[1:]):
            if segment_distance(x, y, ax, ay, bx, by) <= half:
                return True
        return False

    return inside


def render(layers):
    """layers: list of (shape, rgb). Later layers paint over earlier ones."""
    pixels = []
    for py in range(SIZE):
        row = []
        for px in range(SIZE):
            r = g = b = a = 0.0
            for sy in range(SUPER):
                for sx in range(SUPER):
                    x = px + (sx + 0.5) / SUPER
                    y = py + (sy + 0.5) / SUPER
                    colour = None
                    for shape, rgb in layers:
                        if shape(x, y):
                            colour = rgb
                    if colour is not None:
                        r += colour[0]
                        g += colour[1]
                        b += colour[2]
                        a += 1
            n = SUPER * SUPER
            if a:
                row.append((int(r / a), int(g / a), int(b / a), int(255 * a / n)))
            else:
                row.append((0, 0, 0, 0))
        pixels.append(row)
    return pixels


def write_png(path, pixels):
    raw = b"".join(b"\x00" + b"".join(struct.pack("BBBB", *p) for p in row) for row in pixels)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", header))
        out.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        out.write(chunk(b"IEND", b""))


# A pulse line across the middle: the "heart line" of the name.
PULSE = [(12, 34), (24, 34), (29, 22), (35, 46), (40, 30), (43, 34), (52, 34)]


def status_icon(colour):
    return render([(disc(32, 32, 29), colour), (stroke(PULSE, 5.0), WHITE)])


def check_icon(colour, mark):
    return render([(disc(32, 32, 26), colour), (mark, WHITE)])


def main():
    icons = os.path.join(ROOT, "icons")
    sounds = os.path.join(ROOT, "sounds")
    os.makedirs(icons, exist_ok=True)
    os.makedirs(sounds, exist_ok=True)

    write_png(os.path.join(icons, "heartline-agent.png"), status_icon(BLUE))
    write_png(os.path.join(icons, "status-available.png"), status_icon(GREEN))
    write_png(os.path.join(icons, "status-away.png"), status_icon(AMBER))
    write_png(os.path.join(icons, "status-offline.png"), status_icon(GREY))
    write_png(os.path.join(icons, "status-disconnected.png"), status_icon(RED))

    tick = stroke([(19, 33), (28, 42), (45, 23)], 6.0)
    cross = lambda x, y: stroke([(21, 21), (43, 43)], 6.0)(x, y) or stroke([(43, 21), (21, 43)], 6.0)(x, y)
    bang = lambda x, y: stroke([(32, 17), (32, 36)], 6.5)(x, y) or disc(32, 46, 3.8)(x, y)
    write_png(os.path.join(icons, "check-pass.png"), check_icon(GREEN, tick))
    write_png(os.path.join(icons, "check-fail.png"), check_icon(RED, cross))
    write_png(os.path.join(icons, "check-warn.png"), check_icon(AMBER, bang))
    write_png(os.path.join(icons, "check-unknown.png"), check_icon(GREY, ring(32, 32, 9, 5)))

    # A soft two-tone ring: 0.4 s of 440+480 Hz (the North American ring), a fade in and out,
    # then 0.6 s of silence. QSoundEffect loops it.
    rate = 16000
    frames = bytearray()
    for i in range(rate):
        t = i / rate
        if t < 0.4:
            envelope = min(1.0, t / 0.02, (0.4 - t) / 0.02)
            value = 0.22 * envelope * (math.sin(2 * math.pi * 440 * t) + math.sin(2 * math.pi * 480 * t))
        else:
            value = 0.0
        frames += struct.pack("<h", int(value * 32767))
    with wave.open(os.path.join(sounds, "ring.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))


if __name__ == "__main__":
    main()
