"""SET throughput at maxmemory with allkeys-lru (an eviction for every write), Basalt and
Redis side by side in one run.

For each server (started with the same arguments, as run.py does, plus --maxmemory and
--maxmemory-policy allkeys-lru): an unmeasured redis-benchmark SET run over random keys fills
the server until it evicts; then the measured run writes --requests SETs of --size bytes to
keys drawn from 100M, so nearly every SET adds a key and must first evict one. Reported per
server (median over --rounds, servers alternating first): requests per second, the p50/p99
latency redis-benchmark measured, evictions per second, the server's CPU seconds per 100k
SETs, and how far INFO used_memory ended from maxmemory.

    /usr/bin/python3 bench/eviction.py [--basalt build/src/basalt-server]
        [--redis /usr/bin/redis-server] [--maxmemory 64mb] [--requests 300000]
        [--size 64] [--pipeline 1] [--rounds 3]

Progress goes to stderr, the table to stdout. Nothing here asserts anything about speed.
"""
import argparse
import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servers import Server  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYSPACE = 100_000_000


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def info_fields(server, section):
    text = server.call("INFO", section).decode()
    out = {}
    for line in text.splitlines():
        if ":" in line and not line.startswith("#"):
            k, v = line.split(":", 1)
            out[k] = v
    return out


def benchmark(tool, port, requests, size, pipeline):
    """One redis-benchmark SET run; returns (rps, p50 ms, p99 ms)."""
    cmd = [tool, "-p", str(port), "-t", "set", "-n", str(requests), "-c", "50",
           "-r", str(KEYSPACE), "-d", str(size), "-P", str(pipeline), "--csv", "-q"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=True).stdout
    rows = list(csv.reader(io.StringIO(out)))
    header, row = rows[0], rows[1]
    fields = dict(zip(header, row))
    return float(fields["rps"]), float(fields["p50_latency_ms"]), float(fields["p99_latency_ms"])


def fill_until_evicting(server, tool, size):
    """Writes random keys until the server has evicted some: it is then at maxmemory."""
    for _ in range(50):
        if int(info_fields(server, "stats")["evicted_keys"]) > 0:
            return
        benchmark(tool, server.port, 200_000, size, 16)
    raise RuntimeError(f"{server.name} never started evicting")


def run_round(server, args):
    fill_until_evicting(server, args.redis_benchmark, args.size)
    evicted0 = int(info_fields(server, "stats")["evicted_keys"])
    cpu0 = server.cpu_seconds()
    t0 = time.monotonic()
    rps, p50, p99 = benchmark(args.redis_benchmark, server.port, args.requests, args.size,
                              args.pipeline)
    elapsed = time.monotonic() - t0
    cpu = server.cpu_seconds() - cpu0
    evicted = int(info_fields(server, "stats")["evicted_keys"]) - evicted0
    mem = info_fields(server, "memory")
    used, limit = int(mem["used_memory"]), int(mem["maxmemory"])
    return {
        "rps": rps,
        "p50_ms": p50,
        "p99_ms": p99,
        "evictions_per_sec": evicted / elapsed,
        "evictions_per_set": evicted / args.requests,
        "cpu_s_per_100k": cpu / args.requests * 100_000,
        "used_over_limit_pct": (used - limit) / limit * 100,
        "keys": int(server.call("DBSIZE")),
    }


def parse_memory(text):
    units = {"kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3}
    text = text.lower()
    for suffix, mult in units.items():
        if text.endswith(suffix):
            return int(text[:-len(suffix)]) * mult
    return int(text)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--basalt", default=os.path.join(ROOT, "build", "src", "basalt-server"))
    p.add_argument("--redis", default="/usr/bin/redis-server")
    p.add_argument("--redis-benchmark", default="/usr/bin/redis-benchmark")
    p.add_argument("--maxmemory", default="64mb")
    p.add_argument("--requests", type=int, default=300_000)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--pipeline", type=int, default=1)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    maxmemory = parse_memory(args.maxmemory)

    results = {"basalt": [], "redis": []}
    with tempfile.TemporaryDirectory(prefix="basalt-evict-") as workdir:
        servers = {"basalt": Server("basalt", args.basalt, workdir),
                   "redis": Server("redis", args.redis, workdir)}
        try:
            for s in servers.values():
                s.start()
                s.call("CONFIG", "SET", "maxmemory", str(maxmemory))
                s.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru")
            order = ["basalt", "redis"]
            for rnd in range(args.rounds):
                for name in order:
                    log(f"round {rnd + 1}/{args.rounds}: {name}")
                    results[name].append(run_round(servers[name], args))
                order.reverse()
        finally:
            for s in servers.values():
                s.stop()

    metrics = ["rps", "p50_ms", "p99_ms", "evictions_per_sec", "evictions_per_set",
               "cpu_s_per_100k", "used_over_limit_pct", "keys"]
    print(f"SET -c 50 -P {args.pipeline} -d {args.size} at maxmemory {args.maxmemory} "
          f"allkeys-lru, {args.requests} requests, median of {args.rounds} rounds")
    print(f"{'metric':<22}{'basalt':>14}{'redis':>14}{'basalt/redis':>14}")
    for m in metrics:
        b = statistics.median(r[m] for r in results["basalt"])
        r = statistics.median(x[m] for x in results["redis"])
        ratio = f"{b / r:.2f}" if r else "n/a"
        print(f"{m:<22}{b:>14.2f}{r:>14.2f}{ratio:>14}")


if __name__ == "__main__":
    main()
