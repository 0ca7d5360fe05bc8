"""Time every dashboard page over HTTP on one database: `tightrope serve` in a subprocess, httpx as the client.

    python scripts/time_pages.py /work/baseline/allsides8k.duckdb [--runs 3] [--json out.json]

The pages are those a reader walks: the overview and every list (default window and all dates), the busiest
pair and one month of it, events of that pair, a story (the largest), an article, the network, the world map
and a country's partners, search, outlets, the table browser (with facets) and the SQL page. Each page is
fetched `--runs` times; the table gives the first (cold) time and the median, in milliseconds, and the size.
Nothing is asserted: a shared machine's load moves the numbers; run it on a quiet one for the README.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pages(client, base: str) -> list[str]:
    """The URLs to time, filled in from the data itself."""
    top = client.get(base + "/api/dyads", params={"start": "", "end": "", "limit": 1}).json()
    a, b = (top[0]["source"], top[0]["target"]) if top else ("USA", "RUS")
    month = (top[0]["last"] or "2020-01")[:7] if top else "2020-01"
    stories = client.get(base + "/api/stories", params={"start": "", "end": "", "sort": "size", "limit": 1}).json()
    events = client.get(base + "/api/events", params={"start": "", "end": "", "limit": 1}).json()
    urls = ["/", "/?start=&end=", "/articles", "/articles?start=&end=&offset=4000", "/stories?start=&end=",
            "/pairs?start=&end=", f"/pair/{a}/{b}?start=&end=", f"/pair/{a}/{b}?start={month}&end={month}",
            f"/pair/{a}/{b}?start=&end=&by=week", f"/events?start=&end=&source={a}&target={b}",
            "/events?start=&end=&modality=all", "/events?start=&end=&modality=all&sort=intensity&offset=5000",
            "/actors?start=&end=", "/quotes?start=&end=", "/quotes?start=&end=&offset=20000",
            "/outlets?start=&end=", "/network?start=&end=", "/network?start=&end=&region=Asia&min_events=1",
            "/map?start=&end=", f"/map?start=&end=&country={a}", "/alerts?start=&end=",
            "/search?q=India&start=&end=", "/tables", "/tables/events?_facet=type&_facet=source_country",
            "/tables/mentions?_sort=name&_desc=1", "/sql?sql=SELECT+type%2C+count(*)+FROM+events+GROUP+BY+1",
            f"/api/events?start=&end=&limit=1000&offset=10000", f"/api/dyad/{a}/{b}?by=day&start=&end=",
            f"/api/pair/{a}/{b}?start=&end="]
    if stories:
        urls.append(f"/story/{stories[0]['id']}")
    if events:
        urls.append(f"/article/{events[0]['article_id']}")
    return urls


def main(argv: list[str] | None = None) -> int:
    import httpx

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", type=Path, help="Also write the figures here.")
    args = ap.parse_args(argv)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tightrope", "serve", "--db", str(args.db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        with httpx.Client(timeout=120) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    client.get(base + "/api/counts").raise_for_status()
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        print("server did not start", file=sys.stderr)
                        return 1
                    time.sleep(0.3)
            for url in pages(client, base):
                times, size, status = [], 0, 0
                for _ in range(args.runs):
                    t = time.perf_counter()
                    r = client.get(base + url)
                    times.append((time.perf_counter() - t) * 1000)
                    size, status = len(r.content), r.status_code
                rows.append({"url": url, "status": status, "first_ms": round(times[0]),
                             "median_ms": round(statistics.median(times)), "kb": round(size / 1024)})
                print(f"{status} {times[0]:7.0f} ms {statistics.median(times):7.0f} ms {size / 1024:7.0f} KB  {url}",
                      flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    slow = [r for r in rows if r["median_ms"] > 1000]
    print(f"{len(rows)} pages, median of medians {statistics.median(r['median_ms'] for r in rows)} ms, "
          f"slowest {max(r['median_ms'] for r in rows)} ms, over 1 s: {len(slow)}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
