"""RDB snapshot benchmark: basalt-server side by side with redis-server.

For each server: loads N keys (1,000,000 by default; 16-byte keys, 16-byte values or
--value-size; the default is the data set of memory_sets.py's "strings") through
`redis-cli --pipe`, then measures
  - SAVE: wall time of the command and the size of dump.rdb;
  - load: the server's own "DB loaded from disk: X seconds" after a restart on that file;
  - BGSAVE under writes: while redis-benchmark overwrites random keys of the data set with
    values of the same size, the peak memory of parent + child, both as the sum of their
    PSS (/proc/PID/smaps_rollup: shared copy-on-write pages counted once) and as parent RSS
    + child Private_Dirty (the pages the write load made the two copy); the BGSAVE's
    duration; and the SETs per second served during it (INFO commandstats).
The servers run one after the other, so only one holds the data set at a time.

Usage: /usr/bin/python3 bench/rdb.py --basalt build/src/basalt-server [--redis
/usr/bin/redis-server] [--keys N] [--value-size BYTES] [--skip-save-load] [--json out.json]
(e.g. --keys 4000000 --value-size 500 for a data set of about 2 GB)
"""
import argparse
import json
import os
import re
import subprocess
import tempfile
import time

from servers import Server


def write_dataset(path, n, value_size):
    pad = b"v" * max(0, value_size - 16)
    with open(path, "wb") as f:
        for i in range(n):
            key = b"key:%012d" % i
            val = (b"val:%012d" % i + pad)[:value_size]
            f.write(b"*3\r\n$3\r\nSET\r\n$16\r\n%s\r\n$%d\r\n%s\r\n" % (key, len(val), val))


def smaps_kb(pid, field):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kb(pid):
    return smaps_kb(pid, "Pss")


def set_calls(server):
    text = server.call("INFO", "commandstats")
    text = text.decode() if isinstance(text, bytes) else str(text)
    m = re.search(r"^cmdstat_set:calls=(\d+)", text, re.M)
    return int(m.group(1)) if m else 0


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


def measure(name, binary, workdir, data_file, n, value_size, skip_save_load):
    s = Server(name, binary, workdir)
    s.start()
    out = {}
    try:
        with open(data_file, "rb") as f:
            subprocess.run(["redis-cli", "-p", str(s.port), "--pipe"], stdin=f,
                           stdout=subprocess.DEVNULL, check=True)
        assert s.call("DBSIZE") == n, "dataset not loaded"
        if not skip_save_load:
            save_and_load(s, n, out)
        bgsave_under_writes(s, n, value_size, out)
    finally:
        s.stop()
    return out


def save_and_load(s, n, out):
    """SAVE's time and file size, then the load time after a restart on that file."""
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


def bgsave_under_writes(s, n, value_size, out):
    """BGSAVE while redis-benchmark overwrites random keys of the data set."""
    base_kb = pss_kb(s.proc.pid)
    base_rss_kb = smaps_kb(s.proc.pid, "Rss")
    bench = subprocess.Popen(["redis-benchmark", "-p", str(s.port), "-t", "set", "-n",
                              "100000000", "-r", str(n), "-d", str(value_size), "-q",
                              "-P", "16"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    peak_pss = peak_dirty = 0
    calls0 = set_calls(s)
    t0 = time.monotonic()
    s.call("BGSAVE")
    while True:
        kids = children(s.proc.pid)
        peak_pss = max(peak_pss, pss_kb(s.proc.pid) + sum(pss_kb(c) for c in kids))
        peak_dirty = max(peak_dirty, smaps_kb(s.proc.pid, "Rss") +
                         sum(smaps_kb(c, "Private_Dirty") for c in kids))
        if info_field(s, "rdb_bgsave_in_progress") == "0":
            break
        time.sleep(0.05)
    seconds = time.monotonic() - t0
    calls = set_calls(s) - calls0
    bench.terminate()
    bench.wait()
    out["bgsave_seconds"] = round(seconds, 3)
    out["sets_per_sec_during_bgsave"] = round(calls / seconds)
    out["pss_before_kb"] = base_kb
    out["rss_before_kb"] = base_rss_kb
    out["bgsave_peak_pss_kb"] = peak_pss
    out["bgsave_peak_rss_plus_child_dirty_kb"] = peak_dirty
    out["bgsave_status"] = info_field(s, "rdb_last_bgsave_status")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--basalt", required=True)
    ap.add_argument("--redis", default="/usr/bin/redis-server")
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--value-size", type=int, default=16)
    ap.add_argument("--skip-save-load", action="store_true", help="only the BGSAVE figures")
    ap.add_argument("--json")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        data = os.path.join(work, "data.resp")
        write_dataset(data, args.keys, args.value_size)
        results = {}
        for name, binary in (("redis", args.redis), ("basalt", args.basalt)):
            results[name] = measure(name, binary, work, data, args.keys, args.value_size,
                                    args.skip_save_load)
    cols = ["save_seconds", "file_bytes", "load_seconds", "bgsave_seconds",
            "sets_per_sec_during_bgsave", "pss_before_kb", "rss_before_kb", "bgsave_peak_pss_kb",
            "bgsave_peak_rss_plus_child_dirty_kb", "bgsave_status"]
    print(f"{'metric':<38}{'redis':>16}{'basalt':>16}")
    for c in cols:
        print(f"{c:<38}{str(results['redis'].get(c)):>16}{str(results['basalt'].get(c)):>16}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
