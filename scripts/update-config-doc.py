#!/usr/bin/env python3
"""Regenerates the key table in docs/configuration.md from heartline-server --help-config-markdown."""
import pathlib
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parent.parent
binary = sys.argv[1] if len(sys.argv) > 1 else str(root / "build/release/server/heartline-server")
doc = root / "docs/configuration.md"
table = subprocess.run([binary, "--help-config-markdown"], check=True, capture_output=True, text=True).stdout
text = doc.read_text()
begin, end = "<!-- config-table-begin -->", "<!-- config-table-end -->"
start = text.index(begin) + len(begin)
doc.write_text(text[:start] + "\n" + table.strip() + "\n" + text[text.index(end):])
print(f"updated {doc.relative_to(root)}")
