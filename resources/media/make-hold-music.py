#!/usr/bin/env python3
"""Writes hold-music.wav: 30 seconds of soft, royalty-free chords (synthesised here, no samples).

8 kHz mono 16-bit PCM, the format telephone audio ends up in anyway, so the file stays small.
The output is deterministic: running this again produces the same bytes.
"""
import math
import pathlib
import struct
import wave

RATE = 8000
SECONDS_PER_CHORD = 3.75
# A gentle I-vi-IV-V progression in C, twice over (8 chords x 3.75 s = 30 s).
CHORDS = [
    (261.63, 329.63, 392.00), (220.00, 261.63, 329.63), (174.61, 220.00, 261.63), (196.00, 246.94, 293.66),
    (261.63, 329.63, 392.00), (220.00, 261.63, 329.63), (174.61, 220.00, 261.63), (196.00, 246.94, 392.00),
]


def sample(t: float, chord: tuple, t_in_chord: float) -> float:
    # Soft attack and release so chord changes never click.
    envelope = min(1.0, t_in_chord / 0.4) * min(1.0, (SECONDS_PER_CHORD - t_in_chord) / 0.6)
    value = 0.0
    for i, frequency in enumerate(chord):
        value += math.sin(2 * math.pi * frequency * t) * (0.5 if i == 0 else 0.3)
        value += math.sin(2 * math.pi * frequency * 2 * t) * 0.05  # a little brightness
    # A slow tremolo keeps it from sounding like a dial tone.
    return value * envelope * (0.85 + 0.15 * math.sin(2 * math.pi * 0.5 * t)) * 0.35


def main() -> None:
    frames = bytearray()
    per_chord = int(RATE * SECONDS_PER_CHORD)
    for index, chord in enumerate(CHORDS):
        for n in range(per_chord):
            t_in_chord = n / RATE
            t = index * SECONDS_PER_CHORD + t_in_chord
            frames += struct.pack('<h', int(max(-1.0, min(1.0, sample(t, chord, t_in_chord))) * 32767))
    out = pathlib.Path(__file__).with_name('hold-music.wav')
    with wave.open(str(out), 'wb') as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(bytes(frames))
    print(f'wrote {out} ({len(frames)} bytes of audio)')


if __name__ == '__main__':
    main()
