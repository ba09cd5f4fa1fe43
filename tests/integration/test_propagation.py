"""Propagation: what a write leaves in the AOF, the feed replicas get too.

Each test runs a server with `appendonly yes` and `appendfsync always` (a reply means the
command is in the file), runs commands, and reads the current incr file back. Commands that
are not deterministic must reach the file as deterministic ones (EXPIRE as PEXPIREAT, SPOP as
SREM, a served BLPOP as LPOP, ...), keys that expire or are evicted as DEL, and what one call
did (EXEC, a script) inside MULTI/EXEC. Every expectation here holds for redis-server 7.0.
"""
import os
import threading
import time

import pytest
import redis

from conftest import redis_7_4_only
from resp_util import parse_resp_commands

AOF_ARGS = ("--appendonly", "yes", "--appendfsync", "always")


def incr_commands(server, keep_select=False):
    """The commands in the server's current incr AOF file."""
    aof_dir = os.path.join(server.dir, "appendonlydir")
    with open(os.path.join(aof_dir, "appendonly.aof.manifest")) as f:
        incr = [line.split()[1] for line in f if line.split()[-1] == "i"]
    with open(os.path.join(aof_dir, incr[-1]), "rb") as f:
        cmds = parse_resp_commands(f.read())
    if keep_select:
        return cmds
    return [c for c in cmds if c[0].upper() != "SELECT"]


@pytest.fixture
def aof(make_server):
    s = make_server(*AOF_ARGS)
    return s, s.client(decode_responses=True)


def now_ms():
    return int(time.time() * 1000)


def assert_near(ms_text, expected_ms, slack=2000):
    assert abs(int(ms_text) - expected_ms) < slack, (ms_text, expected_ms)


def test_plain_writes_go_as_sent_and_reads_not_at_all(aof):
    s, r = aof
    r.set("k", "v")
    r.get("k")
    r.rpush("l", "a", "b")
    r.delete("missing")  # changed nothing
    r.delete("k")
    assert incr_commands(s) == [["SET", "k", "v"], ["RPUSH", "l", "a", "b"], ["DEL", "k"]]


def test_select_precedes_commands_of_another_database(aof):
    s, r = aof
    r.set("a", "1")
    r2 = s.client(db=2, decode_responses=True)
    r2.set("b", "2")
    r.set("c", "3")
    assert incr_commands(s, keep_select=True) == [
        ["SELECT", "0"], ["SET", "a", "1"], ["SELECT", "2"], ["SET", "b", "2"],
        ["SELECT", "0"], ["SET", "c", "3"]]


def test_relative_expiry_becomes_absolute(aof):
    s, r = aof
    r.set("k", "v")
    t = now_ms()
    r.expire("k", 100)
    r.pexpire("k", 200000, gt=True)
    r.expireat("k", int(time.time()) + 1000)
    cmds = incr_commands(s)[1:]
    assert [c[0] for c in cmds] == ["PEXPIREAT", "PEXPIREAT", "PEXPIREAT"]
    assert_near(cmds[0][2], t + 100000)
    assert cmds[1][3] == "GT"  # options stay
    assert_near(cmds[1][2], t + 200000)
    assert_near(cmds[2][2], t + 1000000)


def test_expire_in_the_past_is_a_delete(aof):
    s, r = aof
    r.set("k", "v")
    r.expire("k", -1)
    assert incr_commands(s) == [["SET", "k", "v"], ["DEL", "k"]]


def test_set_family_with_expiry_becomes_set_pxat(aof):
    s, r = aof
    t = now_ms()
    r.set("a", "1", ex=100)
    r.setex("b", 100, "2")
    r.psetex("c", 100000, "3")
    r.set("d", "4", pxat=t + 5000)
    cmds = incr_commands(s)
    assert [c[:4] for c in cmds] == [["SET", "a", "1", "PXAT"], ["SET", "b", "2", "PXAT"],
                                     ["SET", "c", "3", "PXAT"], ["SET", "d", "4", "PXAT"]]
    for c in cmds:
        assert_near(c[4], t + 100000 if c[1] != "d" else t + 5000)


def test_set_get_drops_get(aof):
    s, r = aof
    r.set("k", "1")
    r.execute_command("SET", "k", "2", "GET")
    r.execute_command("SET", "k", "3", "XX", "GET")
    assert incr_commands(s) == [["SET", "k", "1"], ["SET", "k", "2"], ["SET", "k", "3", "XX"]]


def test_getex_getdel_getset(aof):
    s, r = aof
    r.set("k", "v", ex=1000)
    t = now_ms()
    r.getex("k", ex=50)
    r.getex("k", persist=True)
    r.getex("k")  # no option: nothing changes
    r.getset("k", "w")
    r.getdel("k")
    cmds = incr_commands(s)[1:]
    assert cmds[0][:2] == ["PEXPIREAT", "k"]
    assert_near(cmds[0][2], t + 50000)
    assert cmds[1:] == [["PERSIST", "k"], ["SET", "k", "w"], ["DEL", "k"]]


def test_float_increments_propagate_their_results(aof):
    s, r = aof
    r.set("f", "10")
    r.incrbyfloat("f", "0.5")
    r.hset("h", "x", "1")
    r.hincrbyfloat("h", "x", "2.25")
    assert incr_commands(s) == [["SET", "f", "10"], ["SET", "f", "10.5", "KEEPTTL"],
                                ["HSET", "h", "x", "1"], ["HSET", "h", "x", "3.25"]]


def test_spop_becomes_srem_or_del(aof):
    s, r = aof
    r.sadd("s", "a", "b", "c", "d", "e")
    one = r.spop("s")
    three = r.spop("s", 3)
    rest = r.spop("s", 10)
    assert len(rest) == 1
    cmds = incr_commands(s)
    assert cmds[1] == ["SREM", "s", one]
    # The members drawn, as SREMs: one each in MULTI/EXEC (Redis 7.0) or batched (7.2).
    tail = cmds[2:]
    assert tail[-1] == ["DEL", "s"]
    srems = tail[:-1]
    if srems[0] == ["MULTI"]:
        assert srems[-1] == ["EXEC"]
        srems = srems[1:-1]
    assert all(c[:2] == ["SREM", "s"] for c in srems)
    assert sorted(m for c in srems for m in c[2:]) == sorted(three)


def test_blocking_and_multi_key_pops_become_plain_pops(aof):
    s, r = aof
    r.rpush("l", "a", "b", "c", "d", "e")
    r.blpop(["nolist", "l"], timeout=1)
    r.brpop(["l"], timeout=1)
    r.execute_command("LMPOP", 2, "nolist", "l", "LEFT", "COUNT", 2)
    r.rpush("src", "x", "y")
    r.blmove("src", "dst", 1, "LEFT", "RIGHT")
    r.brpoplpush("src", "dst", 1)
    r.zadd("z", {"m1": 1, "m2": 2, "m3": 3})
    r.bzpopmin(["z"], timeout=1)
    r.execute_command("ZMPOP", 1, "z", "MAX", "COUNT", 5)
    assert incr_commands(s)[1:] == [
        ["LPOP", "l"], ["RPOP", "l"], ["LPOP", "l", "2"],
        ["RPUSH", "src", "x", "y"], ["LMOVE", "src", "dst", "LEFT", "RIGHT"],
        ["RPOPLPUSH", "src", "dst"],
        ["ZADD", "z", "1", "m1", "2", "m2", "3", "m3"], ["ZPOPMIN", "z"], ["ZPOPMAX", "z", "2"]]


def test_blocked_pop_served_later_is_a_plain_pop(aof):
    s, r = aof
    result = {}

    def waiter():
        result["v"] = s.client(decode_responses=True).blpop(["q"], timeout=5)

    t = threading.Thread(target=waiter)
    t.start()
    deadline = time.time() + 5
    while r.info("clients")["blocked_clients"] == 0 and time.time() < deadline:
        time.sleep(0.01)
    r.rpush("q", "job")
    t.join()
    assert list(result["v"]) == ["q", "job"]
    assert incr_commands(s) == [["RPUSH", "q", "job"], ["LPOP", "q"]]


def test_transaction_is_wrapped_only_with_several_writes(aof):
    s, r = aof
    p = r.pipeline(transaction=True)
    p.set("a", "1").get("a").incr("n")
    p.execute()
    p = r.pipeline(transaction=True)
    p.get("a").set("b", "2")
    p.execute()
    p = r.pipeline(transaction=True)
    p.get("a").get("b")
    p.execute()
    assert incr_commands(s) == [["MULTI"], ["SET", "a", "1"], ["INCRBY", "n", "1"], ["EXEC"],
                                ["SET", "b", "2"]]


def test_script_effects_are_propagated_in_multi_exec(aof):
    s, r = aof
    r.eval("redis.call('set', KEYS[1], 'x'); redis.call('incrby', KEYS[2], 5)", 2, "k", "n")
    r.eval("return redis.call('get', KEYS[1])", 1, "k")
    r.eval("redis.call('sadd', KEYS[1], 'm')", 1, "s")
    r.eval("redis.set_repl(redis.REPL_NONE); redis.call('set', KEYS[1], 'hidden');"
           "redis.set_repl(redis.REPL_ALL); redis.call('set', KEYS[2], 'shown')", 2, "h", "v")
    assert incr_commands(s) == [["MULTI"], ["set", "k", "x"], ["incrby", "n", "5"], ["EXEC"],
                                ["sadd", "s", "m"], ["set", "v", "shown"]]


def test_functions_and_fcall(aof):
    s, r = aof
    code = ("#!lua name=lib\n"
            "redis.register_function('put', function(keys, args) "
            "return redis.call('set', keys[1], args[1]) end)")
    r.function_load(code)
    r.fcall("put", 1, "k", "v")
    cmds = incr_commands(s)
    assert cmds[0][:2] == ["FUNCTION", "LOAD"] or cmds[0][:2] == ["function", "load"]
    assert cmds[1:] == [["set", "k", "v"]]


def test_expired_keys_are_deleted_in_the_aof(aof):
    s, r = aof
    r.set("lazy", "v", px=1)
    r.set("active", "v", px=1)
    time.sleep(0.05)
    assert r.get("lazy") is None  # lazy expiry on access
    deadline = time.time() + 5
    while r.dbsize() > 0 and time.time() < deadline:  # active expiry
        time.sleep(0.05)
    dels = sorted(c[1] for c in incr_commands(s) if c[0] == "DEL")
    assert dels == ["active", "lazy"]


def test_flushall_is_propagated_even_when_empty(aof):
    s, r = aof
    r.flushall()
    r.flushdb()
    assert incr_commands(s) == [["FLUSHALL"], ["FLUSHDB"]]


def test_restore_with_relative_ttl_becomes_absttl(aof):
    s, r = aof
    r.set("src", "value")
    dump = s.client().dump("src")
    t = now_ms()
    s.client().restore("dst", 100000, dump)
    cmd = incr_commands(s)[-1]
    assert cmd[0] == "RESTORE" and cmd[1] == "dst" and cmd[-1] == "ABSTTL"
    assert_near(cmd[2], t + 100000)


def without_equals(cmd):
    return [a for a in cmd if a != "="]


def test_xadd_auto_id_and_approximate_trim_become_exact(aof):
    s, r = aof
    ids = [r.xadd("st", {"f": str(i)}) for i in range(5)]
    # "~" trims whole nodes only (none here): replayed as an exact trim to the length kept.
    approx = r.xadd("st", {"f": "x"}, maxlen=2, approximate=True)
    exact = r.xadd("st", {"f": "y"}, maxlen=3, approximate=False)
    r.xtrim("st", maxlen=1, approximate=False)
    cmds = incr_commands(s)
    assert cmds[:5] == [["XADD", "st", ids[i], "f", str(i)] for i in range(5)]
    assert cmds[5] == ["XADD", "st", "MAXLEN", "=", "6", approx, "f", "x"]
    assert without_equals(cmds[6]) == ["XADD", "st", "MAXLEN", "3", exact, "f", "y"]
    assert without_equals(cmds[7]) == ["XTRIM", "st", "MAXLEN", "1"]


def test_consumer_group_reads_become_xclaims(aof):
    s, r = aof
    r.xadd("st", {"f": "1"}, id="1-1")
    r.xadd("st", {"f": "2"}, id="2-1")
    r.xgroup_create("st", "g", id="0")
    r.xreadgroup("g", "alice", {"st": ">"}, count=1)
    r.xreadgroup("g", "bob", {"st": ">"}, noack=True)
    r.xclaim("st", "g", "carol", 0, ["1-1"])
    cmds = incr_commands(s)[3:]
    claim = cmds[0]
    assert claim[:6] == ["XCLAIM", "st", "g", "alice", "0", "1-1"]
    assert claim[6] == "TIME" and claim[8:] == ["RETRYCOUNT", "1", "FORCE", "JUSTID", "LASTID",
                                                 "1-1"]
    # NOACK: the consumer and the group's last ID, one call, so in MULTI/EXEC.
    assert cmds[1:5] == [["MULTI"], ["XGROUP", "CREATECONSUMER", "st", "g", "bob"],
                         ["XGROUP", "SETID", "st", "g", "2-1", "ENTRIESREAD", "2"], ["EXEC"]]
    assert cmds[5][:6] == ["XCLAIM", "st", "g", "carol", "0", "1-1"]
    assert cmds[5][8:] == ["RETRYCOUNT", "2", "FORCE", "JUSTID", "LASTID", "2-1"]
    assert len(cmds) == 6


def test_evicted_keys_are_deleted_in_the_aof(make_server):
    s = make_server(*AOF_ARGS, "--maxmemory-policy", "allkeys-random")
    r = s.client(decode_responses=True)
    for i in range(200):
        r.set(f"k{i}", "x" * 1000)
    used = r.info("memory")["used_memory"]
    r.config_set("maxmemory", used - 100_000)
    r.set("trigger", "1")
    evicted = r.info("stats")["evicted_keys"]
    assert evicted > 0
    cmds = incr_commands(s)
    dels = [c for c in cmds if c[0] == "DEL"]
    assert len(dels) == evicted
    assert all(r.exists(c[1]) == 0 for c in dels)


def test_migrate_propagates_as_del_of_the_moved_keys(make_server):
    src = make_server(*AOF_ARGS)
    dst = make_server()
    r = src.client(decode_responses=True)
    r.mset({"a": "1", "b": "2", "c": "3"})
    dst.client().set("b", "taken")
    with pytest.raises(redis.ResponseError):
        r.execute_command("MIGRATE", "127.0.0.1", dst.port, "", 0, 5000, "KEYS", "a", "b")
    r.execute_command("MIGRATE", "127.0.0.1", dst.port, "c", 0, 5000, "COPY")
    assert incr_commands(src) == [["MSET", "a", "1", "b", "2", "c", "3"], ["DEL", "a"]]


@redis_7_4_only
def test_hash_field_ttls_become_absolute(aof):
    s, r = aof
    r.hset("h", mapping={"a": "1", "b": "2"})
    t = now_ms()
    r.execute_command("HEXPIRE", "h", 100, "NX", "FIELDS", 1, "a")
    r.execute_command("HPEXPIREAT", "h", t + 50000, "FIELDS", 1, "b")
    cmds = incr_commands(s)[1:]
    assert cmds[0][:2] == ["HPEXPIREAT", "h"] and cmds[0][3:] == ["NX", "FIELDS", "1", "a"]
    assert_near(cmds[0][2], t + 100000)
    assert cmds[1] == ["HPEXPIREAT", "h", str(t + 50000), "FIELDS", "1", "b"]
