"""The benchmarks still work: bench/run.py in a tiny run against basalt-server, redis-server and
the floor server, and the Google Benchmark micro-benchmarks.

Nothing here is about speed (benchmarks are never timed tests): the run must finish, measure
every load on every server without an error, and write the table as JSON with the ratios the
README describes; each micro-benchmark must run to the end without reporting an error.
"""
import json
import os
import socket
import subprocess
import sys

import pytest

from conftest import ROOT, free_port, server_binary, wait_listening

RUN_PY = os.path.join(ROOT, "bench", "run.py")
sys.path.insert(0, os.path.dirname(RUN_PY))
import run as bench_run  # noqa: E402  (bench/run.py: its LOADS and PIPELINES)


def bench_binary(name):
    # Built beside basalt-server: <build>/src/basalt-server and <build>/bench/<name>.
    build_dir = os.path.dirname(os.path.dirname(os.path.abspath(server_binary())))
    return os.path.join(build_dir, "bench", name)


def floor_binary():
    return bench_binary("floor-server")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    proc = subprocess.run(
        # --floor without a path: floor-server beside basalt-server's build directory.
        [sys.executable, RUN_PY, "--basalt", server_binary(), "--floor",
         "--sets", "strings", "--keys", "2000",
         "--requests", "2000", "--requests-pipelined", "8000", "--rounds", "2",
         "--json", str(out)],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    with open(out) as f:
        return json.load(f), proc.stdout


def rows(document, prefix):
    return {row["load"]: row for row in document["table"] if row["load"].startswith(prefix)}


def test_every_load_measured_on_all_three_servers(report):
    document, _ = report
    assert document["meta"]["floor"]["path"] == floor_binary()
    # Every load run.py knows: one that errors on a server (as EVALSHA once did on both, its
    # INCR meeting the SET load's string keys) fails here.
    loads = {(t["command"], t["pipeline"]) for t in document["throughput"]}
    assert loads == {(load.name, p) for load in bench_run.LOADS for p in bench_run.PIPELINES}
    for entry in document["throughput"]:
        for name in ("basalt", "redis", "floor"):
            slot = entry["servers"][name]
            assert "error" not in slot, (entry["command"], name, slot)
            assert len(slot["rounds"]) == 2
            assert slot["median"]["rps"] > 0
            cost = next(load.cost for load in bench_run.LOADS if load.name == entry["command"])
            assert all(r["requests"] == (2000 if entry["pipeline"] == 1 else 8000) // cost
                       for r in slot["rounds"])


def test_ratios_are_against_redis(report):
    document, _ = report
    row = rows(document, "GET -P1 rps")["GET -P1 rps"]
    assert row["ratio"] == pytest.approx(row["basalt"] / row["redis"])
    assert row["floor_ratio"] == pytest.approx(row["floor"] / row["redis"])
    assert row["paired_ratio"] > 0 and row["floor_paired_ratio"] > 0


def test_memory_set_has_no_floor_figure(report):
    document, stdout = report
    memory = rows(document, "mem strings")
    assert set(memory) == {"mem strings RSS B/key", "mem strings used_memory B/key"}
    for row in memory.values():
        assert "floor" not in row and "floor_ratio" not in row
        assert row["basalt"] > 0 and row["redis"] > 0
    header = next(line for line in stdout.splitlines() if line.startswith("load"))
    assert header.split() == ["load", "basalt", "redis", "basalt/redis", "paired",
                              "floor", "floor/redis", "paired"]


def test_floor_server_answers_like_a_resp_server():
    """The yardstick must be a server that redis-benchmark and the harness can talk to."""
    port = free_port()
    proc = subprocess.Popen([floor_binary(), "--port", str(port), "--save", ""],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(proc, port)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            # Inline, multibulk, and a request split across two sends.
            s.sendall(b"PING\r\nGET a\r\n*1\r\n$4\r\nping\r\n*2\r\n$3\r\nGET\r\n$1")
            s.sendall(b"\r\nk\r\n")
            expected = b"+PONG\r\n+OK\r\n+PONG\r\n+OK\r\n"
            got = b""
            while len(got) < len(expected):
                got += s.recv(100)
            assert got == expected
            s.sendall(b"*1\r\n$x\r\n")
            got = b""
            while not got.endswith(b"\r\n"):
                chunk = s.recv(100)
                assert chunk
                got += chunk
            assert got == b"-ERR Protocol error: invalid bulk length\r\n"
            assert s.recv(100) == b""  # closed after the error, as Redis does
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_request_parser_micro_benchmark_parses_its_buffers():
    """Each case parses a buffer of requests to the end; one that fails says so as an error."""
    proc = subprocess.run([bench_binary("request_parser_bench"), "--benchmark_min_time=0.01",
                           "--benchmark_format=json"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = {b["name"]: b for b in json.loads(proc.stdout)["benchmarks"]}
    assert set(results) == {"BM_Parse_Get", "BM_Parse_Set16", "BM_Parse_InlineGet",
                            "BM_ParseAhead_Get", "BM_Parse_LargeBulkInReads"}
    for name, result in results.items():
        assert not result.get("error_occurred"), (name, result.get("error_message"))
        if name != "BM_Parse_LargeBulkInReads":
            assert result["bytes_per_second"] > 0, name
    assert results["BM_Parse_LargeBulkInReads"]["reads"] == 65  # 1 MB + header in 16 KB reads


def test_keyspace_micro_benchmark_compares_three_tables():
    """Our HashTable, std::unordered_map and Abseil's flat_hash_map (setup.sh installs Abseil)."""
    proc = subprocess.run([bench_binary("hash_table_bench"), "--benchmark_list_tests"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set(proc.stdout.split())
    for op in ("Insert", "LookupHit", "LookupMiss", "Erase", "FullScan"):
        assert f"BM_HashTable_{op}" in names
        assert f"BM_Map_{op}<UnorderedMap>" in names
        assert f"BM_Map_{op}<FlatHashMap>" in names
