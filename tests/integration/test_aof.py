"""AOF persistence in Redis 7.0's multi-part layout: restarts with every type (with and
without the RDB preamble), BGREWRITEAOF and automatic rewrites, turning AOF on and off at
runtime, appendfsync always under kill -9, truncated and corrupt files, the upgrade of a
Redis < 7 single file, and appendonlydir directories moved between Debian's redis-server 7.0
and the server under test in both directions (checked by redis-check-aof too).
"""
import os
import shutil
import signal
import subprocess
import threading
import time

import pytest
import redis

from conftest import TARGET, server_binary
from rdb_util import RedisServer, dataset, fill_every_type, start_and_expect_failure, \
    wait_bgsave_done
from resp_util import parse_resp_commands, raw

AOF = ("--appendonly", "yes")
AOF_DIR = "appendonlydir"
MANIFEST = "appendonly.aof.manifest"


def manifest(directory):
    """The manifest's lines as (name, seq, type) tuples."""
    with open(os.path.join(directory, AOF_DIR, MANIFEST)) as f:
        out = []
        for line in f:
            words = line.split()
            out.append((words[1], int(words[3]), words[5]))
        return out


def aof_files(directory):
    return sorted(os.listdir(os.path.join(directory, AOF_DIR)))


def incr_path(directory):
    """The incr file being written (the last one in the manifest)."""
    name = [m[0] for m in manifest(directory) if m[2] == "i"][-1]
    return os.path.join(directory, AOF_DIR, name)


def wait_rewrite_done(r, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        p = r.info("persistence")
        if p["aof_rewrite_in_progress"] == 0 and p["aof_rewrite_scheduled"] == 0:
            return p
        time.sleep(0.05)
    raise AssertionError("the AOF rewrite did not finish")


def loaded(client, timeout=20):
    """`client` once its server has loaded the dataset (it listens while loading)."""
    deadline = time.time() + timeout
    while True:
        try:
            client.ping()
            return client
        except redis.BusyLoadingError:
            assert time.time() < deadline, "the server is still loading"
            time.sleep(0.02)


def start(make_server, *args):
    """A server started with `args`, once it has loaded its dataset."""
    s = make_server(*args)
    loaded(s.client())
    return s


def restart(make_server, s, *args):
    s.stop()
    return start(make_server, *args)


def fill_more(r):
    """Writes after a rewrite, so that they live in an incr file: a transaction, a TTL set
    relative to now, a second database, deletions."""
    p = r.pipeline(transaction=True)
    p.set("tx1", "a")
    p.incr("tx_counter")
    p.rpush("list_small", "pushed-in-tx")
    p.execute()
    r.expire("str", 5000)
    r.execute_command("SELECT", 5)
    r.set("db5", "five")
    r.execute_command("SELECT", 0)
    r.delete("set_small")
    r.hdel("hash_small", "n")
    r.zincrby("zset_small", 2, "a")
    r.incrbyfloat("floaty", "1.5")
    r.spop("set_big")


@pytest.mark.parametrize("preamble", ["yes", "no"])
def test_every_type_survives_restart(make_server, preamble):
    s = start(make_server, *AOF, "--aof-use-rdb-preamble", preamble)
    r = s.client()
    fill_every_type(r)
    fill_more(r)
    before = dataset(r)
    s2 = restart(make_server, s, *AOF, "--aof-use-rdb-preamble", preamble)
    r2 = s2.client()
    assert dataset(r2) == before
    assert 4000 < r2.ttl("str") <= 5000
    assert r2.ttl("volatile") > 9000
    # The writes are in the incr file, as commands.
    with open(incr_path(s2.dir), "rb") as f:
        data = f.read()
    assert b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n" in data
    assert b"MULTI" in data.upper() and b"EXEC" in data.upper()


@pytest.mark.parametrize("preamble", ["yes", "no"])
def test_bgrewriteaof_then_restart(make_server, preamble):
    s = start(make_server, *AOF, "--aof-use-rdb-preamble", preamble)
    r = s.client()
    fill_every_type(r)
    assert manifest(s.dir) == [
        (f"appendonly.aof.1.base.{'rdb' if preamble == 'yes' else 'aof'}", 1, "b"),
        ("appendonly.aof.1.incr.aof", 1, "i")]
    assert raw(r, "BGREWRITEAOF") == b"Background append only file rewriting started"
    p = wait_rewrite_done(r)
    assert p["aof_last_bgrewrite_status"] == "ok"
    assert p["aof_rewrites"] == 1
    assert p["aof_base_size"] > 0 and p["aof_current_size"] >= p["aof_base_size"]
    base = f"appendonly.aof.2.base.{'rdb' if preamble == 'yes' else 'aof'}"
    assert manifest(s.dir) == [(base, 2, "b"), ("appendonly.aof.2.incr.aof", 2, "i")]
    # The history files are gone.
    assert aof_files(s.dir) == sorted([base, "appendonly.aof.2.incr.aof", MANIFEST])
    with open(os.path.join(s.dir, AOF_DIR, base), "rb") as f:
        head = f.read(5)
    assert (head == b"REDIS") == (preamble == "yes")
    fill_more(r)
    before = dataset(r)
    r2 = restart(make_server, s, *AOF).client()
    assert dataset(r2) == before


def test_command_base_is_written_as_redis_writes_it(make_server):
    # Without the preamble, a base holds per key SET, or RPUSH/SADD/ZADD/HMSET of at most 64
    # elements each, then PEXPIREAT for a TTL: Redis's rewriteAppendOnlyFileRio.
    s = start(make_server, *AOF, "--aof-use-rdb-preamble", "no")
    r = s.client()
    r.rpush("list", *range(130))
    r.sadd("set", "a", "b")
    r.zadd("zset", {"m": 1.5, "n": float("inf")})
    r.hset("hash", mapping={"f": "v"})
    r.set("str", "v", ex=1000)
    r.execute_command("SELECT", 3)
    r.set("db3", "x")
    r.execute_command("SELECT", 0)
    assert raw(r, "BGREWRITEAOF") == b"Background append only file rewriting started"
    assert wait_rewrite_done(r)["aof_last_bgrewrite_status"] == "ok"
    base = [m[0] for m in manifest(s.dir) if m[2] == "b"][0]
    with open(os.path.join(s.dir, AOF_DIR, base), "rb") as f:
        cmds = parse_resp_commands(f.read())
    rpush = [c for c in cmds if c[0] == "RPUSH"]
    assert [len(c) - 2 for c in rpush] == [64, 64, 2]
    assert [x for c in rpush for x in c[2:]] == [str(i) for i in range(130)]
    assert ["SADD", "set"] == [c for c in cmds if c[0] == "SADD"][0][:2]
    assert sorted([c for c in cmds if c[0] == "ZADD"][0][2:]) == sorted(["1.5", "m", "inf", "n"])
    assert ["HMSET", "hash", "f", "v"] in cmds
    i = cmds.index(["SET", "str", "v"])
    assert cmds[i + 1][:2] == ["PEXPIREAT", "str"]
    assert cmds[cmds.index(["SET", "db3", "x"]) - 1] == ["SELECT", "3"]


def test_auto_rewrite(make_server):
    s = start(make_server, *AOF, "--auto-aof-rewrite-min-size", "64kb",
                    "--auto-aof-rewrite-percentage", "100")
    r = s.client()
    assert r.info("persistence")["aof_rewrites"] == 0
    for i in range(2000):
        r.set(f"key:{i % 50}", "x" * 100)
    deadline = time.time() + 5
    while r.info("persistence")["aof_rewrites"] == 0 and time.time() < deadline:
        time.sleep(0.05)
    p = wait_rewrite_done(r)
    assert p["aof_rewrites"] >= 1
    # 50 keys of 100 bytes: the new base is far smaller than the writes were.
    base = manifest(s.dir)[0]
    assert base[1] >= 2 and base[2] == "b"
    assert os.path.getsize(os.path.join(s.dir, AOF_DIR, base[0])) < 16 * 1024
    assert [m[2] for m in manifest(s.dir)] == ["b", "i"]


def test_bgrewriteaof_replies_with_other_children(make_server):
    s = start(make_server, *AOF, "--rdb-key-save-delay", "20000")
    r = s.client()
    for i in range(100):
        r.set(f"k{i}", i)
    # While a BGSAVE runs the rewrite waits for it.
    assert raw(r, "BGSAVE") == b"Background saving started"
    assert raw(r, "BGREWRITEAOF") == b"Background append only file rewriting scheduled"
    p = r.info("persistence")
    assert p["aof_rewrite_scheduled"] == 1 and p["aof_pending_rewrite"] == 1
    # The rewrite child writes with the same per-key delay: a second request is refused.
    deadline = time.time() + 10
    while r.info("persistence")["aof_rewrite_in_progress"] == 0:
        assert time.time() < deadline
        time.sleep(0.02)
    with pytest.raises(redis.ResponseError,
                       match="^Background append only file rewriting already in progress$"):
        r.execute_command("BGREWRITEAOF")
    with pytest.raises(redis.ResponseError, match="^Another child process is active"):
        r.execute_command("BGSAVE")
    assert raw(r, "BGSAVE", "SCHEDULE") == b"Background saving scheduled"
    assert r.info("persistence")["rdb_bgsave_in_progress"] == 0
    r.config_set("rdb-key-save-delay", 0)
    wait_rewrite_done(r, timeout=20)
    # The scheduled BGSAVE runs once the rewrite is done.
    deadline = time.time() + 10
    while r.info("persistence")["rdb_saves"] < 2:
        assert time.time() < deadline
        time.sleep(0.05)
    wait_bgsave_done(r)
    assert r.info("persistence")["aof_last_bgrewrite_status"] == "ok"


def test_turn_on_and_off_at_runtime(make_server):
    s = make_server()
    r = s.client()
    fill_every_type(r)
    assert r.info("persistence")["aof_enabled"] == 0
    assert "aof_current_size" not in r.info("persistence")
    assert r.config_set("appendonly", "yes")
    assert r.info("persistence")["aof_enabled"] == 1
    r.set("during", "turning on")
    p = wait_rewrite_done(r)
    assert p["aof_rewrites"] == 1 and p["aof_last_bgrewrite_status"] == "ok"
    assert [m[2] for m in manifest(s.dir)] == ["b", "i"]
    r.set("after", "on")
    before = dataset(r)
    r2 = restart(make_server, s, *AOF).client()
    assert dataset(r2) == before
    assert r2.config_set("appendonly", "no")
    r2.set("not-logged", "x")
    assert r2.info("persistence")["aof_enabled"] == 0
    r3 = restart(make_server, s, *AOF).client()
    assert r3.get("not-logged") is None and r3.get("after") == b"on"


def test_timestamp_annotations(make_server):
    s = start(make_server, *AOF, "--aof-timestamp-enabled", "yes")
    r = s.client()
    r.set("a", "1")
    r.set("b", "2")
    with open(incr_path(s.dir), "rb") as f:
        data = f.read()
    assert data.startswith(b"#TS:")
    stamp = int(data[4:data.index(b"\r\n")])
    assert abs(stamp - time.time()) < 5
    r2 = restart(make_server, s, *AOF).client()
    assert r2.mget("a", "b") == [b"1", b"2"]


def test_kill_9_with_appendfsync_always_loses_no_acknowledged_write(make_server, tmp_path):
    args = (*AOF, "--appendfsync", "always")
    s = start(make_server, *args)
    expected = {}
    for round_ in range(20):
        r = s.client()
        acked = []
        stop = threading.Event()

        def writer():
            i = 0
            try:
                while not stop.is_set():
                    key = f"r{round_}:{i}"
                    r.set(key, i)
                    acked.append(key)
                    r.incr("acked")
                    expected["acked"] = expected.get("acked", 0) + 1
                    i += 1
            except redis.ConnectionError:
                pass

        thread = threading.Thread(target=writer)
        thread.start()
        time.sleep(0.5)
        os.kill(s.proc.pid, signal.SIGKILL)
        stop.set()
        thread.join()
        s.proc.wait()
        s.stop()
        assert acked
        s = start(make_server, *args)
        r = s.client()
        got = r.mget(acked)
        assert None not in got, f"round {round_}: acknowledged writes lost"
        # An INCR applied but not acknowledged may be there too.
        assert int(r.get("acked")) >= expected["acked"]
        expected["acked"] = int(r.get("acked"))


def write_truncated_aof(make_server):
    """A server's AOF dir with 3 SETs, then a 4th cut short. Returns (dir, incr, whole size)."""
    s = start(make_server, *AOF)
    r = s.client()
    for k in ("a", "b", "c"):
        r.set(k, k)
    s.stop()
    path = incr_path(s.dir)
    size = os.path.getsize(path)
    with open(path, "ab") as f:
        f.write(b"*3\r\n$3\r\nSET\r\n$1\r\nd\r\n$2\r\nd")
    return s.dir, path, size


def test_truncated_last_command_loads_with_aof_load_truncated(make_server):
    directory, path, size = write_truncated_aof(make_server)
    r = start(make_server, *AOF, "--aof-load-truncated", "yes").client()
    assert sorted(r.keys()) == [b"a", b"b", b"c"]
    # The partial command was cut off, and new writes follow the last whole one.
    assert os.path.getsize(path) == size
    r.set("e", "e")
    with open(path, "rb") as f:
        assert f.read().endswith(b"$1\r\ne\r\n$1\r\ne\r\n")


def test_truncated_last_command_refused_without_aof_load_truncated(make_server):
    directory, path, size = write_truncated_aof(make_server)
    code, out = start_and_expect_failure(server_binary(), directory, *AOF,
                                         "--aof-load-truncated", "no")
    assert code != 0
    assert "Unexpected end of file reading the append only file appendonly.aof.1.incr.aof" in out
    assert os.path.getsize(path) > size  # left as it was


def test_corrupt_command_in_the_middle_is_refused(make_server):
    s = start(make_server, *AOF)
    r = s.client()
    r.set("a", "1")
    s.stop()
    path = incr_path(s.dir)
    good = os.path.getsize(path)
    with open(path, "ab") as f:
        f.write(b"garbage\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n")
    code, out = start_and_expect_failure(server_binary(), s.dir, *AOF,
                                         "--aof-load-truncated", "yes")
    assert code != 0
    assert "Bad file format reading the append only file appendonly.aof.1.incr.aof" in out
    if TARGET != "redis":
        assert f"appendonly.aof.1.incr.aof at offset {good}" in out


def test_unknown_command_and_missing_file_are_refused(make_server, tmp_path):
    s = start(make_server, *AOF)
    s.client().set("a", "1")
    s.stop()
    with open(incr_path(s.dir), "ab") as f:
        f.write(b"*2\r\n$3\r\nbla\r\n$1\r\nx\r\n")
    code, out = start_and_expect_failure(server_binary(), s.dir, *AOF)
    assert code != 0
    assert "Unknown command 'bla' reading the append only file appendonly.aof.1.incr.aof" in out
    os.unlink(incr_path(s.dir))
    code, out = start_and_expect_failure(server_binary(), s.dir, *AOF)
    assert code != 0


def test_no_key_expires_while_the_aof_loads(make_server):
    # Valkey's "AOF+EXPIRE": replayed, the RPUSH after a deadline in the past appends to the
    # old list (nothing expires while loading), and the whole list expires afterwards.
    s = start(make_server, *AOF)
    s.stop()
    with open(incr_path(s.dir), "ab") as f:
        f.write(b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
                b"*3\r\n$5\r\nRPUSH\r\n$4\r\nlist\r\n$3\r\nfoo\r\n"
                b"*3\r\n$8\r\nEXPIREAT\r\n$4\r\nlist\r\n$4\r\n1000\r\n"
                b"*3\r\n$5\r\nRPUSH\r\n$4\r\nlist\r\n$3\r\nbar\r\n")
    r = start(make_server, *AOF).client()
    assert r.llen("list") == 0
    assert r.exists("list") == 0


def test_replayed_commands_are_not_counted(make_server):
    # Redis 7.0 replays an AOF outside call(): no commandstats, no total_commands_processed.
    s = start(make_server, *AOF)
    r = s.client()
    r.set("a", 1)
    r.incr("a")
    r2 = restart(make_server, s, *AOF).client()
    assert r2.get("a") == b"2"
    stats = r2.info("commandstats")
    assert "cmdstat_set" not in stats and "cmdstat_incr" not in stats
    assert r2.info("stats")["total_commands_processed"] <= 4  # PING, GET and the INFOs


def test_corrupt_manifest_is_refused(make_server):
    s = start(make_server, *AOF)
    s.stop()
    with open(os.path.join(s.dir, AOF_DIR, MANIFEST), "a") as f:
        f.write("file appendonly.aof.1.incr.aof seq 1 type x\n")
    code, out = start_and_expect_failure(server_binary(), s.dir, *AOF)
    assert code != 0
    assert "FATAL AOF MANIFEST FILE ERROR" in out and "Unknown AOF file type" in out
    # As Redis: even with AOF off, a manifest that is there must be valid.
    code, out = start_and_expect_failure(server_binary(), s.dir)
    assert code != 0


def test_appendonly_yes_ignores_dump_rdb_and_upgrades_an_old_aof(make_server, tmp_path):
    s = make_server()
    s.client().set("from_rdb", "1")
    s.client().execute_command("SAVE")
    s.stop()
    # As Redis 7.0: with appendonly yes and no AOF, the dataset starts empty.
    s = start(make_server, *AOF)
    assert s.client().dbsize() == 0
    s.stop()
    shutil.rmtree(os.path.join(s.dir, AOF_DIR))
    # A Redis 6 appendonly.aof in the working directory moves into the directory as its base.
    with open(os.path.join(s.dir, "appendonly.aof"), "wb") as f:
        f.write(b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$3\r\nold\r\n$1\r\n6\r\n")
    r = start(make_server, *AOF).client()
    assert r.get("old") == b"6"
    assert not os.path.exists(os.path.join(s.dir, "appendonly.aof"))
    assert manifest(s.dir) == [("appendonly.aof", 1, "b"), ("appendonly.aof.1.incr.aof", 1, "i")]


def redis_dir_with_base_and_incr(directory):
    """Has Debian's redis-server write an AOF dir holding a base and an incr file with every
    type. Returns the dataset it held."""
    rs = RedisServer(directory, *AOF)
    try:
        r = rs.client()
        fill_every_type(r)
        r.execute_command("BGREWRITEAOF")
        wait_rewrite_done(r)
        fill_more(r)
        return dataset(r)
    finally:
        rs.stop()


def test_redis_aof_dir_loads_here(make_server, tmp_path):
    redis_dir = tmp_path / "redis"
    redis_dir.mkdir()
    before = redis_dir_with_base_and_incr(str(redis_dir))
    assert [m[2] for m in manifest(str(redis_dir))] == ["b", "i"]
    shutil.copytree(redis_dir / AOF_DIR, tmp_path / AOF_DIR)
    r = start(make_server, *AOF).client()
    assert dataset(r) == before


def fill_across_a_rewrite(r):
    """Every type, then a rewrite (they go into the base), then more writes (into the new incr
    file); returns the dataset."""
    fill_every_type(r)
    r.execute_command("BGREWRITEAOF")
    wait_rewrite_done(r)
    fill_more(r)
    return dataset(r)


@pytest.mark.parametrize("preamble", ["yes", "no"])
def test_aof_dir_written_here_loads_into_redis(make_server, tmp_path, preamble):
    s = start(make_server, *AOF, "--aof-use-rdb-preamble", preamble)
    r = s.client()
    before = fill_across_a_rewrite(r)
    s.stop()
    check = subprocess.run(["/usr/bin/redis-check-aof", os.path.join(s.dir, AOF_DIR, MANIFEST)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "All AOF files and manifest are valid" in check.stdout
    redis_dir = tmp_path / "redis"
    redis_dir.mkdir()
    shutil.copytree(tmp_path / AOF_DIR, redis_dir / AOF_DIR)
    rs = RedisServer(str(redis_dir), *AOF)
    try:
        assert dataset(loaded(rs.client())) == before
    finally:
        rs.stop()


@pytest.mark.parametrize("preamble", ["yes", "no"])
def test_rewrite_under_write_load_keeps_every_write(make_server, preamble):
    # Valkey's integration/aof-race: writes during a rewrite go to the new incr file once,
    # neither lost nor duplicated.
    s = start(make_server, *AOF, "--aof-use-rdb-preamble", preamble)
    r = s.client()
    bench = subprocess.Popen(["redis-benchmark", "-p", str(s.port), "-q", "-c", "20",
                              "-n", "20000", "incr", "foo"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.1)
    assert raw(r, "BGREWRITEAOF") == b"Background append only file rewriting started"
    assert bench.wait(timeout=60) == 0
    wait_rewrite_done(r)
    assert r.get("foo") == b"20000"
    r2 = restart(make_server, s, *AOF).client()
    assert r2.get("foo") == b"20000"


def test_debug_loadaof_reloads_the_same_dataset(make_server):
    s = start(make_server, *AOF, "--enable-debug-command", "yes")
    r = s.client()
    before = fill_across_a_rewrite(r)
    digest = r.execute_command("DEBUG", "DIGEST")
    assert r.execute_command("DEBUG", "LOADAOF") == b"OK"
    assert r.execute_command("DEBUG", "DIGEST") == digest
    assert dataset(r) == before
    assert r.info("persistence")["rdb_changes_since_last_save"] == 0
