#!/usr/bin/env python3
"""The big-file benchmark (BENCHMARKS.md, PRODUCT.md §14): the suite of the 14 data kinds
(benches/big-suite.json) on a generated file of every column type, as CSV and as Parquet,
through mltest's DataFusion engine, against what the same work costs elsewhere. Every step
is its own process, run under `/usr/bin/time -v` for its wall time and peak resident memory;
the machine is shared and noisy, so each figure is given beside its anchor from the same run.

Steps (one JSON line each in target/bench/big.jsonl, a table on stdout):

- `gen`: `mltest-bench gen-mixed --rows ROWS` (not timed: it is skipped when the file is there).
- `parquet`: `mltest-bench parquet`, the same data typed as mltest types it, in one Parquet file.
- `bare_scan` (csv, parquet): `mltest-bench scan`, one DataFusion `SELECT count(*)` with the
  min and max of every column, in DataFusion's default session: the physical anchor. The
  target is mltest's whole suite within 2× of it.
- `mltest_datafusion` (csv, parquet): `mltest run SUITE --data FILE --engine datafusion
  --format json`, the report kept (target/bench/big-*.json); peak memory under 1 GiB.
- `mltest_ballista` (csv, parquet, with `--cluster BIN`): the same run through a Ballista
  cluster of `mltest-cluster` processes started here (a scheduler and one executor on
  127.0.0.1:50060-50062, the executor's pool 512 MB); the client's peak memory, and the
  executor's and scheduler's (their VmHWM) beside it. The verdicts must be DataFusion's.
- `mltest_memory_1m`: the memory engine on the first 1M rows (`gen-mixed --rows 1000000`, the
  same generator and seed, so the same rows), as the page would run them.
- `pandas`, `gx`: scripts/bench_big_pandas.py, each tool in its own process, on the CSV; its
  pandas results are held to mltest's CSV report (`--check`): status, observed value and
  failure count of every test. GX runs where it fits in memory.

The verdicts of the CSV and Parquet runs are compared with each other too.

Usage: bench_big.py --mltest BIN --bench BIN [--cluster BIN] [--rows 10000000] [--out target/bench]
"""

import argparse
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "benches" / "big-suite.json"


def timed(step, argv, **fields):
    """Runs argv under /usr/bin/time -v; returns (record, stdout)."""
    done = subprocess.run(["/usr/bin/time", "-v", *argv], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"{step}: {' '.join(map(str, argv))} exited {done.returncode}:\n{done.stderr[-3000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    hours, minutes, seconds = (float(g or 0) for g in wall.groups())
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    record = {"step": step, "ms": 1000 * (3600 * hours + 60 * minutes + seconds), "peak_rss_mb": rss_kb / 1024,
              "exit": done.returncode, **fields}
    return record, done.stdout


SCHEDULER, EXECUTOR = "127.0.0.1:50060", "127.0.0.1:50061"


def start_cluster(binary, work):
    """A scheduler and an executor of `mltest-cluster`, once the scheduler listens."""
    work.mkdir(parents=True, exist_ok=True)
    scheduler = subprocess.Popen([binary, "scheduler", "--bind", SCHEDULER], stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            socket.create_connection(SCHEDULER.split(":"), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    executor = subprocess.Popen([binary, "executor", "--bind", EXECUTOR, "--scheduler", SCHEDULER,
                                 "--memory-limit", "512", "--work-dir", work], stderr=subprocess.DEVNULL)
    time.sleep(2)
    return [scheduler, executor]


def peak_mb(process):
    """A running process's peak resident memory (VmHWM), in MiB."""
    status = Path(f"/proc/{process.pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def verdicts(report):
    return [(t["id"], t["status"], t["observed"], (t.get("failures") or {}).get("count")) for t in report["tests"]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mltest", required=True)
    parser.add_argument("--bench", required=True)
    parser.add_argument("--cluster", help="mltest-cluster: also run the suite through a Ballista cluster")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--out", default=str(ROOT / "target" / "bench"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    csv, parquet, small = out / f"big-{args.rows}.csv", out / f"big-{args.rows}.parquet", out / "big-1000000.csv"
    for path, rows in [(csv, args.rows), (small, 1_000_000)]:
        if not path.exists():
            subprocess.run([args.bench, "gen-mixed", "--rows", str(rows), "--out", path], check=True)
    records = []
    if not parquet.exists():
        record, _ = timed("parquet", [args.bench, "parquet", csv, "--out", parquet])
        records.append(record)
    size = {"csv": csv.stat().st_size, "parquet": parquet.stat().st_size}
    reports = {}
    for kind, path in [("csv", csv), ("parquet", parquet)]:
        record, stdout = timed("bare_scan", [args.bench, "scan", path], format=kind, bytes=size[kind])
        record["rows"] = json.loads(stdout)["rows"]
        records.append(record)
        report_path = out / f"big-{kind}.json"
        record, _ = timed("mltest_datafusion", [args.mltest, "run", SUITE, "--data", path, "--engine", "datafusion",
                                                "--format", "json", "--output", report_path],
                          format=kind, bytes=size[kind])
        reports[kind] = json.loads(report_path.read_text())
        record["verdict"] = reports[kind]["verdict"]
        records.append(record)
    if verdicts(reports["csv"]) != verdicts(reports["parquet"]):
        sys.exit(f"the CSV and Parquet runs differ:\n{verdicts(reports['csv'])}\n{verdicts(reports['parquet'])}")
    if args.cluster:
        cluster = start_cluster(args.cluster, out / "cluster-work")
        try:
            for kind, path in [("csv", csv), ("parquet", parquet)]:
                report_path = out / f"big-ballista-{kind}.json"
                record, _ = timed("mltest_ballista", [args.mltest, "run", SUITE, "--data", path, "--engine", "ballista",
                                                      "--scheduler", f"df://{SCHEDULER}", "--format", "json",
                                                      "--output", report_path], format=kind, bytes=size[kind])
                record["scheduler_peak_mb"], record["executor_peak_mb"] = (peak_mb(p) for p in cluster)
                on_cluster = json.loads(report_path.read_text())
                record["verdict"] = on_cluster["verdict"]
                records.append(record)
                if verdicts(on_cluster) != verdicts(reports[kind]):
                    sys.exit(f"Ballista's {kind} run differs from DataFusion's:\n{verdicts(on_cluster)}\n"
                             f"{verdicts(reports[kind])}")
        finally:
            for process in cluster:
                process.terminate()
                process.wait()
    record, _ = timed("mltest_memory_1m", [args.mltest, "run", SUITE, "--data", small, "--engine", "memory",
                                           "--format", "json", "--output", out / "big-memory-1m.json"],
                      format="csv", bytes=small.stat().st_size, rows=1_000_000)
    records.append(record)
    peers = subprocess.run([sys.executable, ROOT / "scripts" / "bench_big_pandas.py", csv, SUITE,
                            "--check", out / "big-csv.json"], capture_output=True, text=True)
    for line in peers.stdout.splitlines():
        peer = json.loads(line)
        records.append({"step": peer["tool"], "ms": peer.get("ms"), "peak_rss_mb": peer.get("peak_rss_mb"),
                        "format": "csv", "bytes": size["csv"], "detail": peer})
    if peers.returncode != 0:
        print(peers.stderr, file=sys.stderr)
    with open(out / "big.jsonl", "w") as jsonl:
        for record in records:
            jsonl.write(json.dumps(record) + "\n")
    anchor = {r["format"]: r["ms"] for r in records if r["step"] == "bare_scan"}
    print(f"| step | format | time (s) | × bare scan | peak memory (MiB) |")
    print(f"|---|---|---:|---:|---:|")
    for r in records:
        if r.get("ms") is None:
            continue
        ratio = f"{r['ms'] / anchor[r['format']]:.2f}" if r.get("format") in anchor else ""
        memory = f"{r['peak_rss_mb']:.0f}"
        if "executor_peak_mb" in r:
            memory += f" (executor {r['executor_peak_mb']:.0f}, scheduler {r['scheduler_peak_mb']:.0f})"
        print(f"| {r['step']} | {r.get('format', '')} | {r['ms'] / 1000:.2f} | {ratio} | {memory} |")
    if peers.returncode != 0:
        sys.exit("the peers' results differ from mltest's (above)")


if __name__ == "__main__":
    main()
