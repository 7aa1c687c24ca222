"""Set before anything else runs: every kernel nbval or Voilà starts sees a throwaway store.

Lives at the top so it applies to both ``tests/`` and the notebooks in ``workbooks/``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from netwerk_widgets import Store
from netwerk_widgets.demo import load_demo

RUN_DIR = Path(tempfile.mkdtemp(prefix="netwerk-tests-"))
os.environ["NETWERK_TEST_DIR"] = str(RUN_DIR)
os.environ["NETWERK_DB_URL"] = f"sqlite:///{RUN_DIR / 'demo.db'}"
with Store() as _store:
    load_demo(_store)
