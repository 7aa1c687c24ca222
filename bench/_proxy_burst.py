"""``bench/burst.py --proxy``: N joins at once over two servers behind nginx, next to one server.

The same run measures two set-ups on the same store (the demo session in one SQLite file
in WAL mode, which several processes on one machine share; the deployment test runs the same
routing on PostgreSQL):

* **one server**, as ``make run`` starts it, with a pool of N for ``start.ipynb``;
* **two servers** behind nginx configured from ``deploy/nginx.conf`` (``bench/_proxy.py``),
  each with a pool of :func:`pool_per_server` (nginx spreads the visitors by a random cookie,
  so one server may get more than half).

N visitors (the lean client of ``bench/_client.py``, each with its own cookie jar) open the
participant link at once and then all press "Meedoen" at once. Measured: the slowest (and
median) time until a page is *served* (HTML, its files, the widgets over the websocket) and
until the join shows, how many visitors each server got, and the CPU of each server and of
its kernels during the burst. The ratios two/one are printed last. On a machine of two cores
the two servers share the same cores: the gain measured here is that of two server
processes (each is one thread), not that of two machines.
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from pathlib import Path
from typing import Any

from _client import TIMEOUT_S
from _proxy import NginxProxy
from _server import log


def pool_per_server(n: int, servers: int) -> int:
    """A pool big enough for a server's share of N random visitors (mean + 3 sd)."""
    share = n / servers
    return min(n, math.ceil(share + 3 * math.sqrt(n * (1 / servers) * (1 - 1 / servers))))


def cpu_of(servers: list[Any]) -> list[dict[str, float]]:
    from burst import cpu_seconds

    return [cpu_seconds(server) for server in servers]


async def join_burst(
    port: int, n: int, servers: list[Any], session: str, notebook: str
) -> dict[str, Any]:
    """N visitors open the link at ``port`` at once, then all press "Meedoen" at once."""
    from burst import Visitor, client_visit, join

    visitors = [
        Visitor(
            i, "join", "client", f"http://127.0.0.1:{port}/voila/render/{notebook}?sessie={session}"
        )
        for i in range(n)
    ]
    jars: list[dict[str, str]] = [{} for _ in visitors]
    before = cpu_of(servers)

    async def step(visitor: Visitor, action: Any, what: str) -> None:
        await visitor.attempt(action, what)

    t0 = time.perf_counter()
    await asyncio.wait_for(
        asyncio.gather(
            *(
                step(v, client_visit(v, notebook, port, t0, jars[v.index]), "openen")
                for v in visitors
            )
        ),
        TIMEOUT_S + 30,
    )
    await asyncio.wait_for(
        asyncio.gather(
            *(step(v, join(v, f"Proxy {v.index:02d}"), "meedoen") for v in visitors if v.conn)
        ),
        TIMEOUT_S + 30,
    )
    after = cpu_of(servers)
    per_server = []
    for server, start, end in zip(servers, before, after, strict=True):
        ids = {kernel.pid for kernel in server.kernels()}
        per_server.append(
            {
                "port": server.port,
                "server_cpu_s": end["server"] - start["server"],
                "kernels_cpu_s": end["kernels"] - start["kernels"],
                "kernels": len(ids),
            }
        )
    for visitor in visitors:
        if visitor.conn is not None:
            visitor.conn.close()
    served = [v.widget_s for v in visitors if v.widget_s is not None]
    joined = [v.join_s for v in visitors if v.join_s is not None]
    visited = {v.kernel_id: v for v in visitors if v.kernel_id}
    for entry, server in zip(per_server, servers, strict=True):
        entry["visitors"] = sum(server.kernel_process(k) is not None for k in visited)
    return {
        "n": n,
        "served_max_s": max(served) if served else None,
        "served_median_s": statistics.median(served) if served else None,
        "join_max_s": max(joined) if joined else None,
        "errors": [v.error for v in visitors if v.error],
        "servers": per_server,
    }


async def run_proxy(args: Any, folder: Path) -> dict[str, Any]:
    """Both set-ups, one after the other, on copies of the same store."""
    from burst import (
        CHROMIUM,
        CHROMIUM_FLAGS,
        PARTICIPANT_NOTEBOOK,
        SESSION,
        Server,
        copy_store,
        prepare,
        record_resources,
    )
    from playwright.async_api import async_playwright

    n = args.proxy
    served, db_url, _tokens = prepare(folder, 0)
    report: dict[str, Any] = {"n": n, "setups": {}}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            for label, count in (("one", 1), ("two", 2)):
                store = folder / f"{label}.db"
                copy_store(Path(db_url.removeprefix("sqlite:///")), store)
                pool = n if count == 1 else pool_per_server(n, count)
                log(f"{count} server(s), pool {pool} elk: starten en pools vullen ...")
                servers = await asyncio.gather(
                    *(
                        asyncio.to_thread(
                            Server,
                            served,
                            f"sqlite:///{store}",
                            folder / f"voila-{label}{i}.log",
                            pool,
                        )
                        for i in range(count)
                    )
                )
                proxy = None
                try:
                    if count > 1:
                        proxy = NginxProxy([f"127.0.0.1:{s.port}" for s in servers], folder / label)
                    port = proxy.port if proxy else servers[0].port
                    for server in servers:  # which files a page loads; a warm server
                        await record_resources(
                            browser, server, PARTICIPANT_NOTEBOOK, f"?sessie={SESSION}"
                        )
                    log(f"{count} server(s): {n} tegelijk ...")
                    result = await join_burst(port, n, list(servers), SESSION, PARTICIPANT_NOTEBOOK)
                    result["pool_per_server"] = pool
                    report["setups"][label] = result
                finally:
                    if proxy is not None:
                        proxy.stop()
                    for server in servers:
                        await asyncio.to_thread(server.stop)
        finally:
            await browser.close()
    return report


def ratio(two: float | None, one: float | None) -> str:
    return f"{two / one:.2f}" if two is not None and one else "-"


def print_proxy(report: dict[str, Any]) -> None:
    """The two set-ups side by side, and the ratios two servers / one server."""
    n = report["n"]
    one, two = report["setups"]["one"], report["setups"]["two"]

    def secs(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f} s"

    def cpu(setup: dict[str, Any]) -> str:
        return " + ".join(
            f"{s['server_cpu_s']:.1f} s ({s['visitors']} bez.)" for s in setup["servers"]
        )

    print(f"\n{n} deelnemers tegelijk: één server tegen twee achter nginx (deploy/nginx.conf)\n")
    print("| meting                              | één server | twee servers + nginx | twee/één |")
    print("|-------------------------------------|-----------:|---------------------:|---------:|")
    for label, key in (
        ("bediend, langzaamste", "served_max_s"),
        ("bediend, mediaan", "served_median_s"),
        ('"Meedoen" tot werkboek, langzaamste', "join_max_s"),
    ):
        print(
            f"| {label:<35} | {secs(one[key]):>10} | {secs(two[key]):>20} | "
            f"{ratio(two[key], one[key]):>8} |"
        )
    one_cpu = sum(s["server_cpu_s"] for s in one["servers"])
    two_cpu = sum(s["server_cpu_s"] for s in two["servers"])
    busiest = max(s["server_cpu_s"] for s in two["servers"])
    one_k = sum(s["kernels_cpu_s"] for s in one["servers"])
    two_k = sum(s["kernels_cpu_s"] for s in two["servers"])
    for label, a, b in (
        ("CPU server(s), samen", one_cpu, two_cpu),
        ("CPU drukste server", one_cpu, busiest),
        ("CPU kernels, samen", one_k, two_k),
    ):
        print(f"| {label:<35} | {a:>8.1f} s | {b:>18.1f} s | {ratio(b, a):>8} |")
    print(f"\nPer server (twee): {cpu(two)}; pool {two['pool_per_server']} elk.")
    for label, setup in (("één", one), ("twee", two)):
        if setup["errors"]:
            print(f"Fouten ({label}): {len(setup['errors'])}, bv. {setup['errors'][0]}")
