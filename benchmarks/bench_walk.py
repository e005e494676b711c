"""Walk scale: a pagination walk over every package of the reference sandbox, 1k and 10k packages.

Issue 6, part 4. For each size a sandbox with that many packages serves POST /packages/list; a fresh
child process walks every page as the suite does (`walk_pages` drives the requests; each page is
parsed, checked with `run_checks` and fed to a `PaginationWalk`, then dropped) and reports:

  walk s      wall time of the whole walk (HTTP and the sandbox's own work included)
  checks s    the part spent in signcheck: parsing, run_checks, PaginationWalk.add_page and finish
  peak        tracemalloc peak of a second, traced walk (Python heap: the page in flight plus kept ids)
  kept        heap still held when the walk is finished: its id set (plus a constant)
  page        the heap one page needs beyond what was held before it (median and max over pages):
              response bytes, parsed page, checks; it must not grow with the package count
  RSS         the child's peak RSS over its RSS before walking (untraced walk)

Target: memory flat in the number of packages (items are checked and dropped, only ids are kept),
judged on the median per-page heap; the id set grows by design (shown as bytes per package).
Prints; asserts nothing.

    .venv/bin/python benchmarks/bench_walk.py [--packages 1000,10000] [--take 50]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from typing import Any

from _common import (
    LIST,
    SANDBOX_TIME,
    clean_env,
    environment,
    memory_kb,
    mib,
    print_table,
    run_child,
    verdict,
)

FLAT = 1.25  # the per-page heap of the largest walk may be at most this times the smallest's


# --- the measured child -----------------------------------------------------------------------


class Walker:
    """One walk over every page, timing signcheck's share of it."""

    def __init__(self, base_url: str, api_key: str, take: int, *, traced: bool = False) -> None:
        import httpx

        self.http = httpx.Client(base_url=base_url, headers={"api_key": api_key}, timeout=60)
        self.take = take
        self.checking = 0.0
        self.pages = 0
        self.items = 0
        self.findings = 0
        self.traced = traced
        self.page_start = 0
        self.page_sets: list[int] = []  # traced: the heap each page needed beyond what was held before

    def fetch(self, body: dict[str, Any]) -> Any:
        from pytest_signcheck.checks import CheckOptions, run_checks
        from pytest_signcheck.exchange import Exchange

        if self.traced:
            self.page_start = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
        response = self.http.post("/packages/list", json=body)
        start = time.perf_counter()
        exchange = Exchange.from_bytes(LIST, response.status_code, response.content, response.headers, body)
        self.findings += len(run_checks(exchange, CheckOptions(now=SANDBOX_TIME)))
        self.checking += time.perf_counter() - start
        items = exchange.body.get("items") if isinstance(exchange.body, dict) else None
        self.items += len(items) if isinstance(items, list) else 0
        return exchange.body

    def walk(self, expected: int) -> Any:
        """Every page; returns the finished PaginationWalk (it holds the ids)."""
        from pytest_signcheck.checks import PaginationWalk, walk_pages

        walk = PaginationWalk(page_checks=False)  # run_checks judges each page on its own
        request = {"allMembers": True, "sortBy": "created"}
        for body, page in walk_pages(self.fetch, request, self.take, max_pages=expected // self.take + 3):
            start = time.perf_counter()
            walk.add_page(body, page)
            self.pages += 1
            self.checking += time.perf_counter() - start
            if self.traced:
                self.page_sets.append(tracemalloc.get_traced_memory()[1] - self.page_start)
        start = time.perf_counter()
        self.findings += len(walk.finish())
        self.checking += time.perf_counter() - start
        return walk


def child(base_url: str, api_key: str, take: int, expected: int) -> None:
    """An untraced walk (time, RSS), then a traced one (heap peak, kept); one JSON line."""
    timed = Walker(base_url, api_key, take)
    timed.fetch({"allMembers": True, "sortBy": "created", "take": take, "skip": 0})  # warm-up
    timed.checking, timed.items, timed.findings = 0.0, 0, 0
    rss_before = memory_kb("VmRSS")
    start = time.perf_counter()
    walk = timed.walk(expected)
    wall = time.perf_counter() - start
    rss_peak = memory_kb("VmHWM")
    del walk
    traced = Walker(base_url, api_key, take, traced=True)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    kept_walk = traced.walk(expected)
    kept, peak = (value - base for value in tracemalloc.get_traced_memory())
    tracemalloc.stop()
    del kept_walk
    result = {"wall": wall, "checking": timed.checking, "pages": timed.pages, "findings": timed.findings}
    result |= {"ids": timed.items, "peak": peak, "kept": kept, "rss_before": rss_before, "rss_peak": rss_peak}
    pages = sorted(traced.page_sets)
    result |= {"page_median": pages[len(pages) // 2], "page_max": pages[-1]}
    print("RESULT " + json.dumps(result))


# --- the parent -------------------------------------------------------------------------------


def measure(packages: int, take: int, seed: int) -> dict[str, Any]:
    from pytest_signcheck.sandbox import SandboxConfig, running

    with running(SandboxConfig(packages=packages, seed=seed)) as server:
        command = [sys.executable, __file__, "--child", server.base_url, server.api_key]
        run = run_child([*command, "--take", str(take), "--expected", str(packages)], env=clean_env())
    lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    if run.returncode != 0 or not lines:
        raise SystemExit(f"the walk over {packages} packages failed:\n{run.stdout[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1][len("RESULT ") :])
    return result


def row(packages: int, r: dict[str, Any]) -> list[object]:
    def mb(value: float) -> str:
        return f"{value / 2**20:.2f}"

    per_page = r["checking"] / max(r["pages"], 1) * 1000
    return [
        f"{packages:,}", r["pages"], r["ids"], r["findings"], f"{r['wall']:.2f}", f"{r['checking']:.2f}",
        f"{per_page:.2f}", mb(r["peak"]), mb(r["kept"]), mb(r["page_median"]), mb(r["page_max"]),
        f"+{mib(r['rss_peak'] - r['rss_before']):.1f}",
    ]  # fmt: skip


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--packages", default="1000,10000", help="package counts to walk (1000,10000)")
    parser.add_argument("--take", type=int, default=50, help="page size (50, the documented default)")
    parser.add_argument("--seed", type=int, default=0, help="sandbox seed (0)")
    parser.add_argument("--child", nargs=2, metavar=("BASE_URL", "API_KEY"), help=argparse.SUPPRESS)
    parser.add_argument("--expected", type=int, default=0, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], args.take, args.expected)
        return 0
    print(environment())
    sizes = [int(text) for text in args.packages.split(",") if text]
    results = {packages: measure(packages, args.take, args.seed) for packages in sizes}
    print_table(
        f"Pagination walk, take {args.take} (tracemalloc MiB unless said; page = heap one page needs)",
        ["packages", "pages", "items", "findings", "walk s", "checks s", "ms/page", "peak", "kept",
         "page med", "page max", "RSS MiB"],
        [row(packages, result) for packages, result in results.items()],
    )  # fmt: skip
    small, large = results[min(sizes)], results[max(sizes)]
    growth = large["page_median"] / max(small["page_median"], 1)
    marginal = (large["kept"] - small["kept"]) / max(max(sizes) - min(sizes), 1)
    print(f"\nkept grows by {marginal:.0f} B per extra package (the id set); pages are dropped")
    print_table(
        "Target",
        ["target", "measured", "status"],
        [[f"walk memory flat ({min(sizes):,} -> {max(sizes):,} packages)",
          f"per-page heap x{growth:.2f}; ids {marginal:.0f} B/package",
          verdict(growth <= FLAT)]],
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
