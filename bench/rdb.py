"""RDB snapshot benchmark: basalt-server side by side with redis-server.

For each server: loads N keys (1,000,000 by default; 16-byte keys and values, the same
data set as memory_sets.py's "strings") through `redis-cli --pipe`, then measures
  - SAVE: wall time of the command and the size of dump.rdb;
  - load: the server's own "DB loaded from disk: X seconds" after a restart on that file;
  - BGSAVE under writes: the peak memory of parent + child while redis-benchmark runs SETs
    over the same keys, as the sum of their PSS (/proc/PID/smaps_rollup: shared
    copy-on-write pages counted once), and the BGSAVE's duration.

Usage: /usr/bin/python3 bench/rdb.py --basalt build/src/basalt-server [--redis
/usr/bin/redis-server] [--keys N] [--json out.json]
"""
import argparse
import json
import os
import re
import subprocess
import tempfile
import threading
import time

from servers import Server


def write_dataset(path, n):
    with open(path, "wb") as f:
        for i in range(n):
            key = b"key:%012d" % i
            val = b"val:%012d" % i
            f.write(b"*3\r\n$3\r\nSET\r\n$16\r\n%s\r\n$16\r\n%s\r\n" % (key, val))


def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def info_field(server, field):
    text = server.call("INFO", "persistence")
    text = text.decode() if isinstance(text, bytes) else str(text)
    m = re.search(rf"^{field}:(\S+)", text, re.M)
    return m.group(1) if m else None


def measure(name, binary, workdir, data_file, n):
    s = Server(name, binary, workdir)
    s.start()
    out = {}
    try:
        with open(data_file, "rb") as f:
            subprocess.run(["redis-cli", "-p", str(s.port), "--pipe"], stdin=f,
                           stdout=subprocess.DEVNULL, check=True)
        assert s.call("DBSIZE") == n, "dataset not loaded"
        t0 = time.monotonic()
        s.call("SAVE")
        out["save_seconds"] = round(time.monotonic() - t0, 3)
        out["file_bytes"] = os.path.getsize(os.path.join(s.workdir, "dump.rdb"))
        s.stop()
        open(s.log_path, "w").close()
        s.start()
        with open(s.log_path) as log:
            m = re.search(r"DB loaded from disk: ([0-9.]+) seconds", log.read())
        out["load_seconds"] = float(m.group(1)) if m else None
        assert s.call("DBSIZE") == n, "dataset not reloaded"

        # BGSAVE while redis-benchmark overwrites random keys of the data set.
        base_kb = pss_kb(s.proc.pid)
        bench = subprocess.Popen(["redis-benchmark", "-p", str(s.port), "-t", "set", "-n",
                                  "2000000", "-r", str(n), "-d", "16", "-q", "-P", "16"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        peak = 0
        t0 = time.monotonic()
        s.call("BGSAVE")
        while True:
            total = pss_kb(s.proc.pid) + sum(pss_kb(c) for c in children(s.proc.pid))
            peak = max(peak, total)
            if info_field(s, "rdb_bgsave_in_progress") == "0":
                break
            time.sleep(0.01)
        out["bgsave_seconds"] = round(time.monotonic() - t0, 3)
        bench.terminate()
        bench.wait()
        out["pss_before_kb"] = base_kb
        out["bgsave_peak_pss_kb"] = peak
        out["bgsave_status"] = info_field(s, "rdb_last_bgsave_status")
    finally:
        s.stop()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--basalt", required=True)
    ap.add_argument("--redis", default="/usr/bin/redis-server")
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--json")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        data = os.path.join(work, "data.resp")
        write_dataset(data, args.keys)
        results = {}
        for name, binary in (("redis", args.redis), ("basalt", args.basalt)):
            results[name] = measure(name, binary, work, data, args.keys)
    cols = ["save_seconds", "file_bytes", "load_seconds", "bgsave_seconds", "pss_before_kb",
            "bgsave_peak_pss_kb", "bgsave_status"]
    print(f"{'metric':<22}{'redis':>16}{'basalt':>16}")
    for c in cols:
        print(f"{c:<22}{str(results['redis'].get(c)):>16}{str(results['basalt'].get(c)):>16}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
