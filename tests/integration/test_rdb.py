"""RDB persistence: SAVE / BGSAVE / LASTSAVE / INFO persistence, the `save` rules, MISCONF,
DEBUG RELOAD, restarts, FLUSHALL and SHUTDOWN saving, refusal of corrupt files, and
interoperability with Debian's redis-server 7.0 (files in both directions, redis-check-rdb).
"""
import os
import shutil
import signal
import time

import pytest
import redis

from conftest import TARGET, server_binary
from resp_util import raw
from rdb_util import (RedisServer, assert_redis_check_rdb_passes, dataset, dataset_in_redis,
                      file_path, fill_every_type, start_and_expect_failure, wait_bgsave_done)

DEBUG = ("--enable-debug-command", "yes")


def restart(make_server, s, *args):
    s.stop()
    return make_server(*args)


def test_save_and_restart_round_trips_every_type(make_server):
    s = make_server()
    r = s.client()
    fill_every_type(r)
    before = dataset(r)
    assert raw(r, "SAVE") == b"OK"
    assert r.info("persistence")["rdb_changes_since_last_save"] == 0
    s2 = restart(make_server, s)
    r2 = s2.client()
    assert dataset(r2) == before
    assert r2.ttl("volatile") > 9000
    assert r2.ttl("zset_small") > 9000
    assert r2.ttl("str") == -1


def test_encodings_survive_restart(make_server):
    s = make_server()
    r = s.client()
    fill_every_type(r)
    keys = ["set_int", "set_big", "hash_small", "hash_big", "zset_small", "zset_big",
            "list_big", "str", "int", "long"]
    enc = {k: r.object("encoding", k) for k in keys}
    r.execute_command("SAVE")
    r2 = restart(make_server, s).client()
    assert {k: r2.object("encoding", k) for k in keys} == enc


def test_debug_reload_keeps_digest(make_server):
    s = make_server(*DEBUG)
    r = s.client()
    fill_every_type(r)
    digest = r.execute_command("DEBUG", "DIGEST")
    before = dataset(r)
    assert r.execute_command("DEBUG", "RELOAD") == b"OK"
    assert r.execute_command("DEBUG", "DIGEST") == digest
    assert dataset(r) == before
    with pytest.raises(redis.ResponseError,
                       match="DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options"):
        r.execute_command("DEBUG", "RELOAD", "BOGUS")


def test_debug_reload_nosave_and_merge(make_server):
    s = make_server(*DEBUG)
    r = s.client()
    r.set("a", "1")
    r.execute_command("SAVE")
    r.set("a", "2")
    r.set("b", "2")
    assert r.execute_command("DEBUG", "RELOAD", "NOSAVE") == b"OK"
    assert r.get("a") == b"1" and r.get("b") is None
    r.set("b", "3")
    r.set("a", "9")
    assert r.execute_command("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE") == b"OK"
    assert r.get("a") == b"1" and r.get("b") == b"3"


def test_bgsave_lastsave_and_info(make_server):
    s = make_server()
    r = s.client()
    r.set("k", "v")
    first = r.info("persistence")
    assert first["rdb_changes_since_last_save"] == 1
    assert first["rdb_bgsave_in_progress"] == 0
    time.sleep(1.1)
    assert raw(r, "BGSAVE") == b"Background saving started"
    wait_bgsave_done(r)
    p = r.info("persistence")
    assert p["rdb_last_bgsave_status"] == "ok"
    assert p["rdb_changes_since_last_save"] == 0
    assert p["rdb_last_save_time"] > first["rdb_last_save_time"]
    assert r.lastsave().timestamp() == p["rdb_last_save_time"]
    assert p["rdb_last_bgsave_time_sec"] >= 0
    assert p["rdb_current_bgsave_time_sec"] == -1
    assert os.path.exists(file_path(s.dir))
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("BGSAVE", "NOW")
    with pytest.raises(redis.ResponseError, match="wrong number of arguments for 'save'"):
        r.execute_command("SAVE", "x")


def test_bgsave_in_progress_errors(make_server):
    s = make_server()
    r = s.client()
    for i in range(50):
        r.set(f"k{i}", i)
    r.config_set("rdb-key-save-delay", 100000)  # 0.1 s per key: a 5 s save
    assert raw(r, "BGSAVE") == b"Background saving started"
    assert r.info("persistence")["rdb_bgsave_in_progress"] == 1
    with pytest.raises(redis.ResponseError, match="^Background save already in progress$"):
        r.execute_command("BGSAVE")
    with pytest.raises(redis.ResponseError, match="^Background save already in progress$"):
        r.execute_command("SAVE")
    # FLUSHALL stops the child without counting it as a failure.
    r.flushall()
    wait_bgsave_done(r, timeout=3)
    assert r.info("persistence")["rdb_last_bgsave_status"] == "ok"
    assert not any(f.startswith("temp-") for f in os.listdir(s.dir))
    r.set("x", "y")


def test_failed_bgsave_sets_misconf(make_server):
    s = make_server("--enable-protected-configs", "yes")
    r = s.client()
    os.mkdir(os.path.join(s.dir, "isadir.rdb"))  # renaming onto a directory fails
    r.config_set("dbfilename", "isadir.rdb")
    r.config_set("save", "900 1")
    r.set("k", "v")
    assert raw(r, "BGSAVE") == b"Background saving started"
    wait_bgsave_done(r)
    assert r.info("persistence")["rdb_last_bgsave_status"] == "err"
    with pytest.raises(redis.ResponseError, match="^MISCONF Redis is configured to save RDB"):
        r.set("k", "w")
    with pytest.raises(redis.ResponseError, match="^MISCONF"):
        r.ping()
    assert r.get("k") == b"v"  # reads still work
    r.config_set("stop-writes-on-bgsave-error", "no")
    r.set("k", "w")
    r.config_set("stop-writes-on-bgsave-error", "yes")
    r.config_set("dbfilename", "dump.rdb")
    assert raw(r, "BGSAVE") == b"Background saving started"
    wait_bgsave_done(r)
    assert r.info("persistence")["rdb_last_bgsave_status"] == "ok"
    r.set("k", "x")
    r.config_set("save", "")


def test_failed_save_replies_err(make_server):
    s = make_server("--enable-protected-configs", "yes")
    r = s.client()
    os.mkdir(os.path.join(s.dir, "isadir.rdb"))
    r.config_set("dbfilename", "isadir.rdb")
    with pytest.raises(redis.ResponseError, match="^$"):  # plain "-ERR"
        r.execute_command("SAVE")


def test_save_rule_triggers_bgsave(make_server):
    s = make_server("--save", "1 2")
    r = s.client()
    r.set("a", 1)
    r.set("b", 2)
    deadline = time.time() + 10
    while time.time() < deadline and not os.path.exists(file_path(s.dir)):
        time.sleep(0.1)
    assert os.path.exists(file_path(s.dir))
    wait_bgsave_done(r)
    assert r.info("persistence")["rdb_changes_since_last_save"] == 0
    r.config_set("save", "")


def test_flushall_with_save_points_saves_empty_dataset(make_server):
    s = make_server("--save", "3600 1000")
    r = s.client()
    r.set("a", 1)
    r.flushall()
    assert r.info("persistence")["rdb_changes_since_last_save"] == 0
    assert os.path.exists(file_path(s.dir))
    r.config_set("save", "")
    r2 = restart(make_server, s).client()
    assert r2.dbsize() == 0


def test_flushall_without_save_points_counts_changes(make_server):
    s = make_server()
    r = s.client()
    r.mset({"a": 1, "b": 2})
    before = r.info("persistence")["rdb_changes_since_last_save"]
    r.flushall()
    assert r.info("persistence")["rdb_changes_since_last_save"] >= before + 2
    assert not os.path.exists(file_path(s.dir))


def test_shutdown_saves_when_save_points_exist(make_server):
    s = make_server("--save", "3600 1")
    r = s.client()
    r.set("kept", "yes")
    r.shutdown()
    s.proc.wait(timeout=10)
    r2 = make_server().client()
    assert r2.get("kept") == b"yes"


def test_shutdown_nosave_and_save(make_server):
    s = make_server("--save", "3600 1")
    r = s.client()
    r.set("k", "1")
    r.shutdown(nosave=True)
    s.proc.wait(timeout=10)
    assert not os.path.exists(file_path(s.dir))
    s = make_server()
    r = s.client()
    r.set("k", "2")
    r.shutdown(save=True)
    s.proc.wait(timeout=10)
    assert make_server().client().get("k") == b"2"


def test_sigterm_saves_with_save_points(make_server):
    s = make_server("--save", "3600 1")
    s.client().set("k", "sig")
    s.stop()
    assert make_server().client().get("k") == b"sig"


def test_sigterm_whose_save_fails_keeps_the_server_running(make_server, tmp_path):
    s = make_server("--save", "3600 1")
    r = s.client()
    r.set("k", "v")
    os.mkdir(tmp_path / "dump.rdb")  # the rename of the saved file fails
    s.proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    assert s.alive()
    assert r.get("k") == b"v"
    os.rmdir(tmp_path / "dump.rdb")
    s.proc.send_signal(signal.SIGTERM)  # now the save works and the server exits
    s.proc.wait(timeout=10)
    assert os.path.isfile(tmp_path / "dump.rdb")


def test_shutdown_abort_cancels_a_pending_sigterm(make_server):
    s = make_server(*DEBUG)
    r = s.client()
    r.execute_command("DEBUG", "PAUSE-CRON", 1)  # the signal waits for the cron
    s.proc.send_signal(signal.SIGTERM)
    time.sleep(0.1)
    assert raw(r, "SHUTDOWN", "ABORT") == b"OK"
    r.execute_command("DEBUG", "PAUSE-CRON", 0)
    time.sleep(0.3)
    assert s.alive() and r.ping()
    with pytest.raises(redis.ResponseError, match="No shutdown in progress"):
        r.execute_command("SHUTDOWN", "ABORT")


def test_expired_keys_are_not_loaded(make_server):
    s = make_server(*DEBUG)
    r = s.client()
    r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    r.set("short", "x", px=50)
    r.set("long", "y", ex=1000)
    r.execute_command("SAVE")
    time.sleep(0.1)
    r2 = restart(make_server, s).client()
    assert r2.get("short") is None
    assert r2.get("long") == b"y"
    p = r2.info("persistence")
    assert p["rdb_last_load_keys_loaded"] == 1
    assert p["rdb_last_load_keys_expired"] == 1


def test_empty_and_missing_files(make_server):
    s = make_server()
    r = s.client()
    r.execute_command("SAVE")
    r2 = restart(make_server, s).client()
    assert r2.dbsize() == 0


def saved_file(make_server, tmp_path):
    s = make_server()
    r = s.client()
    fill_every_type(r, big=50)
    r.execute_command("SAVE")
    s.stop()
    with open(file_path(s.dir), "rb") as f:
        return f.read()


def test_corrupt_files_are_refused(make_server, tmp_path):
    data = saved_file(make_server, tmp_path)
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    cases = {
        "truncated": data[: len(data) // 2],
        "truncated_trailer": data[:-3],
        "crc": data[:-8] + b"foobar00",
        "bitflip": data[:200] + bytes([data[200] ^ 0x04]) + data[201:],
        "header": b"REDIS0099" + data[9:],
    }
    for name, content in cases.items():
        with open(bad_dir / "dump.rdb", "wb") as f:
            f.write(content)
        code, out = start_and_expect_failure(server_binary(), str(bad_dir))
        assert code != 0, name
        if TARGET != "redis":
            assert "Fatal error loading the DB" in out, (name, out[-500:])
        if name == "crc":
            assert "CRC error" in out, out[-500:]


@pytest.mark.skipif(TARGET == "redis", reason="Basalt's error message names the offset")
def test_corrupt_file_error_names_offset(make_server, tmp_path):
    data = saved_file(make_server, tmp_path)
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    with open(bad_dir / "dump.rdb", "wb") as f:
        f.write(data[:100])
    code, out = start_and_expect_failure(server_binary(), str(bad_dir))
    assert code == 1
    assert "at offset" in out


# ---- interoperability with redis-server 7.0 ------------------------------------------------

def test_redis_file_loads_into_basalt(make_server, tmp_path):
    redis_dir = tmp_path / "redis"
    redis_dir.mkdir()
    # Small thresholds on the Redis side give the big encodings at small sizes, defaults the
    # small ones: both are in the file.
    rs = RedisServer(str(redis_dir), "--hash-max-listpack-entries", "64",
                     "--zset-max-listpack-entries", "64", "--list-max-listpack-size", "16",
                     "--list-compress-depth", "1", "--set-max-intset-entries", "100")
    try:
        rc = rs.client()
        fill_every_type(rc)
        rc.hset("hash_ziplist_like", mapping={"a": 1})
        expected = dataset(rc)
        rc.execute_command("SAVE")
    finally:
        rs.stop()
    shutil.copy(redis_dir / "dump.rdb", tmp_path / "dump.rdb")
    b = make_server().client()
    assert dataset(b) == expected
    assert b.ttl("volatile") > 9000


def test_basalt_file_loads_into_redis_and_passes_check(make_server, tmp_path):
    s = make_server()
    r = s.client()
    fill_every_type(r)
    expected = dataset(r)
    r.execute_command("SAVE")
    s.stop()
    assert_redis_check_rdb_passes(tmp_path / "dump.rdb")
    assert dataset_in_redis(tmp_path / "dump.rdb", tmp_path / "redis") == expected


def test_uncompressed_and_unchecksummed_files(make_server, tmp_path):
    s = make_server("--rdbcompression", "no", "--rdbchecksum", "no")
    r = s.client()
    r.set("c", "ab" * 500)
    r.execute_command("SAVE")
    s.stop()
    with open(file_path(s.dir), "rb") as f:
        data = f.read()
    assert b"ab" * 500 in data
    assert data[-8:] == b"\0" * 8
    assert make_server().client().get("c") == b"ab" * 500


def test_function_libraries_persist(make_server, tmp_path):
    code = "#!lua name=mylib\nredis.register_function('myfunc', function() return 42 end)"
    s = make_server()
    r = s.client()
    r.execute_command("FUNCTION", "LOAD", code)
    raw(r, "SAVE")
    r2 = restart(make_server, s).client()
    assert r2.execute_command("FCALL", "myfunc", 0) == 42
    # and into redis-server
    s3_dir = tmp_path / "redis"
    s3_dir.mkdir()
    shutil.copy(tmp_path / "dump.rdb", s3_dir / "dump.rdb")
    rs = RedisServer(str(s3_dir))
    try:
        assert rs.client().execute_command("FCALL", "myfunc", 0) == 42
    finally:
        rs.stop()


def test_lru_idle_time_survives_restart(make_server):
    s = make_server("--maxmemory-policy", "allkeys-lru", *DEBUG)
    r = s.client()
    r.set("a", "1")
    payload = r.dump("a")
    r.delete("a")
    r.execute_command("RESTORE", "a", "0", payload, "IDLETIME", "5000")
    raw(r, "SAVE")
    r2 = restart(make_server, s, "--maxmemory-policy", "allkeys-lru").client()
    assert r2.object("idletime", "a") >= 5000


def test_lfu_frequency_survives_restart(make_server):
    s = make_server("--maxmemory-policy", "allkeys-lfu")
    r = s.client()
    r.set("a", "1")
    payload = r.dump("a")
    r.delete("a")
    r.execute_command("RESTORE", "a", "0", payload, "FREQ", "77")
    raw(r, "SAVE")
    r2 = restart(make_server, s, "--maxmemory-policy", "allkeys-lfu").client()
    assert r2.object("freq", "a") == 77


def test_clients_are_served_while_loading(make_server):
    s = make_server(*DEBUG)
    r = s.client()
    r.execute_command("DEBUG", "POPULATE", 20000)
    raw(r, "SAVE")
    s2 = restart(make_server, s, "--key-load-delay", "100",
                 "--loading-process-events-interval-bytes", "1024")
    r2 = s2.client()
    assert r2.info("persistence")["loading"] == 1
    with pytest.raises(redis.BusyLoadingError, match="Redis is loading the dataset in memory"):
        r2.get("key:1")
    deadline = time.time() + 30
    while r2.info("persistence")["loading"] == 1 and time.time() < deadline:
        time.sleep(0.1)
    assert r2.dbsize() == 20000
