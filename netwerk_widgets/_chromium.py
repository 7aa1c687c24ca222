"""Debian's Chromium, started so that it sends nothing beyond the machine it runs on.

Used by the browser tests and the benchmarks (Playwright ``executable_path`` and ``args``).
Without the background-networking flags Chromium keeps trying to reach Google's services,
which a workshop room or a test machine without internet refuses, many times a second.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
