"""The trainer's screens (``workbooks/trainer.ipynb``): one page for the whole workshop.

:mod:`.screen` is the page itself (login, progress, sharing, results, and the switch between
its views); :mod:`.join` the join screen to project (code, link, QR code, who joined);
:mod:`.flow` pacing ("Iedereen naar ...") and the timer of exchange rounds;
:mod:`.moderation` hiding answers and merging names; :mod:`.presentation` one result at a
time for the projector.
"""

from __future__ import annotations

from .screen import (
    FIRST_WAIT,
    FOLLOW_SECONDS,
    QUERY_KEY,
    REFRESH_SECONDS,
    BlockControl,
    TrainerLogin,
    TrainerScreen,
    notice,
    trainer_page,
)

__all__ = [
    "FIRST_WAIT",
    "FOLLOW_SECONDS",
    "QUERY_KEY",
    "REFRESH_SECONDS",
    "BlockControl",
    "TrainerLogin",
    "TrainerScreen",
    "notice",
    "trainer_page",
]
