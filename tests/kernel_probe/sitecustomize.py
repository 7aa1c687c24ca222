"""A probe for the processes of a test's Voilà server (tests/test_reveal.py).

Put this folder on ``PYTHONPATH`` and name a folder in ``NETWERK_PROBE_DIR``: every Python
process started with that environment (Voilà, its kernels, the results worker) then answers
SIGUSR1 by writing what it has imported to ``<NETWERK_PROBE_DIR>/<pid>.json``:
``{"pid", "argv", "modules": sorted(sys.modules), "query": QUERY_STRING, "script": ...}``.
The query string says which page a kernel served (Voilà hands it to a pooled kernel later).

It imports nothing at start-up beyond what Python's own start-up has loaded (``os``,
``signal``, ``sys``), so it does not change what it measures. Without
``NETWERK_PROBE_DIR`` it does nothing.
"""

import os
import signal
import sys

_FOLDER = os.environ.get("NETWERK_PROBE_DIR")


def _dump(_signum, _frame):
    modules = sorted(sys.modules)  # before the import below

    import json

    report = {
        "pid": os.getpid(),
        "argv": list(sys.argv),
        "modules": modules,
        "query": os.environ.get("QUERY_STRING", ""),
        "script": os.environ.get("SCRIPT_NAME", ""),
    }
    path = os.path.join(_FOLDER, f"{os.getpid()}.json")
    partial = f"{path}.part"
    with open(partial, "w", encoding="utf-8") as file:
        json.dump(report, file)
    os.replace(partial, path)  # a reader never sees half a file


if _FOLDER:
    signal.signal(signal.SIGUSR1, _dump)
