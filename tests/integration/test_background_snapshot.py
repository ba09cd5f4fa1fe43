"""BGSAVE and BGREWRITEAOF while commands keep changing the dataset: the file must hold the
dataset exactly as it was when the save started, whatever the writes did meanwhile (overwrite,
delete, expire, add, rename, flush, swap databases, grow a table past a forced resize).

Basalt writes these snapshots from the event loop without forking (persistence/
background_snapshot.h); rdb-key-save-delay slows the save down so that the writes land while
it runs, in Redis (whose forked child sleeps) as in Basalt. Every test here passes against
redis-server too (BASALT_TEST_TARGET=redis), except the one that checks Basalt's own
snapshot-fork switch.
"""
import os
import time

import pytest
import redis

from conftest import TARGET
from rdb_util import (assert_redis_check_rdb_passes, dataset, dataset_in_redis, fill_every_type,
                      wait_bgsave_done)

DEBUG = ("--enable-debug-command", "yes")


def digest(r):
    return r.execute_command("DEBUG", "DIGEST")


def fill(r):
    """Every type in db 0 and 2, 20000 strings in db 0, 3000 in db 5 and 300 in db 6, and
    values big enough that Basalt serializes a copy of them on its file writer thread (a list
    of hundreds of quicklist nodes, a 2 MB string, a stream of 20000 entries)."""
    fill_every_type(r)
    p = r.pipeline(transaction=False)
    for i in range(0, 300000, 10000):
        p.rpush("huge_list", *[f"element:{j}" for j in range(i, i + 10000)])
    for i in range(20000):
        p.xadd("huge_stream", {"i": i})
    p.set("huge_string", "s" * (2 << 20))
    p.execute()
    r.execute_command("DEBUG", "POPULATE", 20000, "key", 20)
    for db, count in ((5, 3000), (6, 300)):
        r.execute_command("SELECT", db)
        r.execute_command("DEBUG", "POPULATE", count, f"db{db}", 10)
    r.execute_command("SELECT", 0)
    for i in range(0, 20000, 7):
        r.pexpire(f"key:{i}", 500000 + i)


def mutate(r):
    """Writes of every kind, across databases, while a snapshot runs."""
    p = r.pipeline(transaction=False)
    for i in range(0, 20000, 3):
        p.set(f"key:{i}", f"new{i}")
    for i in range(1, 20000, 11):
        p.delete(f"key:{i}")
    for i in range(0, 20000, 13):
        p.expire(f"key:{i}", 1000)
    for i in range(5000):
        p.set(f"added:{i}", i)
    p.execute()
    r.rpush("list_big", "tail")
    r.hset("hash_big", "f0", "changed")
    r.zadd("zset_big", {"m0": 1e9})
    r.xadd("stream", {"x": "y"})
    r.sadd("set_int", 99)
    r.rename("str", "renamed")
    r.delete("hash_small")
    r.rpush("huge_list", "more")
    r.lpop("huge_list")
    r.xadd("huge_stream", {"i": "new"})
    r.append("huge_string", "tail")
    r.execute_command("SELECT", 5)
    r.execute_command("FLUSHDB")
    r.execute_command("SELECT", 6)
    # Far past the table's forced-resize load for 300 keys.
    p = r.pipeline(transaction=False)
    for i in range(6000):
        p.set(f"grow:{i}", i)
    p.execute()
    r.execute_command("SELECT", 0)
    r.execute_command("SWAPDB", 2, 3)


def restart(make_server, s, *args):
    """The server started again on the same directory, once it has loaded its files."""
    s.stop()
    s2 = make_server(*DEBUG, *args)
    r = s2.client()
    deadline = time.time() + 30
    while True:
        try:
            if r.info("persistence")["loading"] == 0:
                return s2
        except redis.BusyLoadingError:
            pass
        assert time.time() < deadline, "the server did not finish loading"
        time.sleep(0.05)


def test_bgsave_writes_the_dataset_as_it_was_when_it_started(make_server, tmp_path):
    s = make_server(*DEBUG)
    r = s.client()
    fill(r)
    before = digest(r)
    r.config_set("rdb-key-save-delay", 100)  # ~2.4 s for 24000 keys; the writes take ~0.3 s
    assert r.bgsave()
    mutate(r)
    assert r.info("persistence")["rdb_bgsave_in_progress"] == 1, "the writes came too late"
    after = digest(r)
    assert after != before
    wait_bgsave_done(r, timeout=30)
    assert r.info("persistence")["rdb_last_bgsave_status"] == "ok"
    assert_redis_check_rdb_passes(tmp_path / "dump.rdb")
    r2 = restart(make_server, s).client()
    assert digest(r2) == before


def test_bgsave_file_loads_into_redis_with_the_old_contents(make_server, tmp_path):
    s = make_server(*DEBUG)
    r = s.client()
    fill_every_type(r)
    r.execute_command("DEBUG", "POPULATE", 3000, "key", 10)
    expected = dataset(r)
    r.config_set("rdb-key-save-delay", 500)  # ~1.8 s
    assert r.bgsave()
    r.set("str", "changed")
    r.delete("list_big", "key:1", "key:2")
    r.execute_command("SELECT", 2)
    r.flushdb()
    r.execute_command("SELECT", 0)
    for i in range(100):
        r.set(f"new:{i}", i)
    assert r.info("persistence")["rdb_bgsave_in_progress"] == 1
    wait_bgsave_done(r, timeout=30)
    s.stop()
    assert dataset_in_redis(tmp_path / "dump.rdb", tmp_path / "redis") == expected


@pytest.mark.parametrize("preamble", ["yes", "no"])
def test_bgrewriteaof_base_and_incr_rebuild_the_dataset(make_server, preamble):
    s = make_server(*DEBUG, "--appendonly", "yes", "--aof-use-rdb-preamble", preamble)
    r = s.client()
    fill(r)
    r.config_set("rdb-key-save-delay", 100)
    assert r.bgrewriteaof()
    mutate(r)
    assert r.info("persistence")["aof_rewrite_in_progress"] == 1, "the writes came too late"
    deadline = time.time() + 30
    while r.info("persistence")["aof_rewrite_in_progress"] == 1:
        assert time.time() < deadline, "the rewrite did not finish"
        time.sleep(0.05)
    assert r.info("persistence")["aof_last_bgrewrite_status"] == "ok"
    r.set("last", "write")
    after = digest(r)
    r2 = restart(make_server, s, "--appendonly", "yes").client()
    assert digest(r2) == after


def test_flushall_stops_a_running_bgsave(make_server, tmp_path):
    s = make_server(*DEBUG)
    r = s.client()
    r.execute_command("DEBUG", "POPULATE", 2000)
    r.config_set("rdb-key-save-delay", 1000)
    assert r.bgsave()
    assert r.info("persistence")["rdb_bgsave_in_progress"] == 1
    r.flushall()
    wait_bgsave_done(r, timeout=2)  # long before 2000 keys at 1 ms each
    assert r.info("persistence")["rdb_last_bgsave_status"] == "ok"  # stopped: not a failure
    assert not [f for f in os.listdir(tmp_path) if f.startswith("temp")]


def child_pids(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return f.read().split()


@pytest.mark.skipif(TARGET == "redis", reason="Basalt's own snapshot-fork switch")
@pytest.mark.parametrize("fork", ["yes", "no"])
def test_snapshot_fork_switch(make_server, fork):
    s = make_server(*DEBUG, "--snapshot-fork", fork)
    r = s.client()
    fill_every_type(r)
    r.execute_command("DEBUG", "POPULATE", 1000)  # a save of at least 1 s at 1 ms per key
    before = digest(r)
    forks = r.info("stats")["total_forks"]
    r.config_set("rdb-key-save-delay", 1000)
    assert r.bgsave()
    # total_forks counts background saves either way (tools watch it to see one start).
    assert r.info("stats")["total_forks"] == forks + 1
    assert bool(child_pids(s.proc.pid)) == (fork == "yes")
    r.config_set("rdb-key-save-delay", 0)
    wait_bgsave_done(r)
    r2 = restart(make_server, s).client()
    assert digest(r2) == before
