"""Keyspace notifications (notify-keyspace-events): the exact events each command raises.

Every case runs a command and checks the full sequence of (channel, message) pairs that a
PSUBSCRIBE '__key*__:*' client receives, as Redis 7.0 emits them: for each event the
keyspace message (__keyspace@<db>__:<key> -> event) and then the keyevent one
(__keyevent@<db>__:<event> -> key). A PUBLISH on a marker channel after each command
delimits its events without sleeping.
"""
import shlex
import time

import pytest
import redis

from conftest import redis_7_4_only

MARK = "kev-test-marker"


class Events:
    def __init__(self, r):
        self.r = r
        self.p = r.pubsub()
        self.p.psubscribe("__key*__:*")
        self.p.subscribe(MARK)
        for _ in range(2):
            self.p.get_message(timeout=5)  # the two subscribe confirmations

    def collect(self):
        """Every event received until the marker, as (channel, message) strings."""
        self.r.publish(MARK, "x")
        out = []
        while True:
            m = self.p.get_message(timeout=5)
            assert m is not None, f"no marker; got {out}"
            if m["type"] not in ("message", "pmessage"):
                continue
            ch = m["channel"].decode()
            data = m["data"].decode()
            if ch == MARK:
                return out
            out.append((ch, data))

    def run(self, *args):
        try:
            self.r.execute_command(*args)
        except KeyError:
            pass  # redis-py 4.3 cannot parse GEORADIUS ... STORE's reply; the server is fine
        return self.collect()

    def close(self):
        self.p.close()


def expect(*events, db=0):
    """(event, key) pairs -> the keyspace + keyevent messages Redis sends for them."""
    out = []
    for ev, key in events:
        out.append((f"__keyspace@{db}__:{key}", ev))
        out.append((f"__keyevent@{db}__:{ev}", key))
    return out


@pytest.fixture
def ev(r):
    r.config_set("notify-keyspace-events", "KEA")
    e = Events(r)
    yield e
    e.close()
    r.config_set("notify-keyspace-events", "")


def run_cases(r, ev, cases):
    for case in cases:
        setup, command, events = case
        for s in setup:
            r.execute_command(*shlex.split(s))
        ev.collect()
        try:
            got = ev.run(*shlex.split(command))
        except redis.ResponseError:  # a command that fails raises no event
            got = ev.collect()
        assert got == expect(*events), command


def test_string_events(r, ev):
    run_cases(r, ev, [
        ([], "set a 1", [("set", "a")]),
        ([], "set a 2 ex 100", [("set", "a"), ("expire", "a")]),
        ([], "set a 2 keepttl get", [("set", "a")]),
        ([], "set a 3 nx", []),
        ([], "setnx a 3", []),
        ([], "setnx b 3", [("set", "b")]),
        ([], "setex c 100 v", [("set", "c"), ("expire", "c")]),
        ([], "psetex c 100000 v", [("set", "c"), ("expire", "c")]),
        ([], "getset a 5", [("set", "a")]),
        ([], "getdel b", [("del", "b")]),
        ([], "getdel b", []),
        ([], "getex a ex 100", [("expire", "a")]),
        ([], "getex a persist", [("persist", "a")]),
        ([], "getex a persist", []),
        ([], "getex a exat 1", [("del", "a")]),
        ([], "mset a 1 b 2", [("set", "a"), ("set", "b")]),
        ([], "msetnx a 1 x 2", []),
        ([], "msetnx x 1 y 2", [("set", "x"), ("set", "y")]),
        ([], "incr a", [("incrby", "a")]),
        ([], "decr a", [("incrby", "a")]),
        ([], "incrby a 5", [("incrby", "a")]),
        ([], "decrby a 5", [("incrby", "a")]),
        ([], "incrbyfloat a 1.5", [("incrbyfloat", "a")]),
        ([], "append a x", [("append", "a")]),
        ([], "setrange a 0 z", [("setrange", "a")]),
        ([], "setrange a 0 ''", []),
        (["rpush l x"], "incr l", []),
    ])


def test_bit_events(r, ev):
    run_cases(r, ev, [
        ([], "setbit bk 3 1", [("setbit", "bk")]),
        ([], "bitfield bf set u8 0 5", [("setbit", "bf")]),
        ([], "bitfield bf get u8 0", []),
        ([], "bitfield bf incrby u8 0 1", [("setbit", "bf")]),
        ([], "bitop not bn bk", [("set", "bn")]),
        ([], "bitop and bn nokey nokey2", [("del", "bn")]),
        ([], "bitop and bn nokey nokey2", []),
    ])


def test_generic_events(r, ev):
    run_cases(r, ev, [
        (["set t 1"], "expire t 100", [("expire", "t")]),
        ([], "pexpire t 100000", [("expire", "t")]),
        ([], "expireat t 99999999999", [("expire", "t")]),
        ([], "pexpireat t 99999999999000", [("expire", "t")]),
        ([], "expire t 100 nx", []),
        ([], "persist t", [("persist", "t")]),
        ([], "persist t", []),
        ([], "expire t -1", [("del", "t")]),
        (["set a 1", "set b 1"], "del a nosuch b", [("del", "a"), ("del", "b")]),
        (["set a 1"], "unlink nosuch a", [("del", "a")]),
        (["set r1 1"], "rename r1 r2", [("rename_from", "r1"), ("rename_to", "r2")]),
        ([], "rename r2 r2", []),
        (["set r3 1"], "renamenx r2 r3", []),
        ([], "renamenx r2 r4", [("rename_from", "r2"), ("rename_to", "r4")]),
        ([], "copy r4 r5", [("copy_to", "r5")]),
        ([], "copy r4 r5", []),
        ([], "copy r4 r5 replace", [("copy_to", "r5")]),
        ([], "swapdb 0 1", []),
        ([], "swapdb 0 1", []),
        ([], "flushdb", []),
    ])


def test_move_and_copy_name_both_databases(r, ev):
    r.set("k", "1")
    ev.collect()
    assert ev.run("move", "k", "2") == expect(("move_from", "k")) + expect(("move_to", "k"), db=2)
    r.execute_command("select", "2")
    assert ev.run("copy", "k", "c", "db", "3") == expect(("copy_to", "c"), db=3)


def test_list_events(r, ev):
    run_cases(r, ev, [
        ([], "rpush l a b c d e", [("rpush", "l")]),
        ([], "lpush l z", [("lpush", "l")]),
        ([], "lpushx l z", [("lpush", "l")]),
        ([], "rpushx l z", [("rpush", "l")]),
        ([], "lpushx nol z", []),
        ([], "lpop l", [("lpop", "l")]),
        ([], "rpop l 2", [("rpop", "l")]),
        ([], "lset l 0 q", [("lset", "l")]),
        ([], "linsert l before q w", [("linsert", "l")]),
        ([], "linsert l before nosuch w", []),
        ([], "lrem l 1 q", [("lrem", "l")]),
        ([], "lrem l 0 nosuch", []),
        ([], "ltrim l 0 -1", [("ltrim", "l")]),
        ([], "ltrim l 1 0", [("ltrim", "l"), ("del", "l")]),
        (["rpush l a b"], "lpop l 5", [("lpop", "l"), ("del", "l")]),
        (["rpush l a b"], "lmpop 2 nol l right count 1", [("rpop", "l")]),
        ([], "lmpop 1 l left count 5", [("lpop", "l"), ("del", "l")]),
        (["rpush l a b"], "blpop nol l 0", [("lpop", "l")]),
        ([], "brpop l 0", [("rpop", "l"), ("del", "l")]),
        (["rpush l a b c"], "lmove l m left right", [("rpush", "m"), ("lpop", "l")]),
        ([], "rpoplpush l m", [("lpush", "m"), ("rpop", "l")]),
        ([], "blmove l m right left 0", [("lpush", "m"), ("rpop", "l"), ("del", "l")]),
        ([], "brpoplpush m m 0", [("lpush", "m"), ("rpop", "m")]),
        ([], "blmpop 0 1 m right count 1", [("rpop", "m")]),
    ])


def test_blocked_pop_events_when_served(r, server, ev):
    blocked = server.client()
    try:
        blocked.execute_command("client", "setname", "blocked")
        import threading
        result = []
        t = threading.Thread(target=lambda: result.append(blocked.blpop(["bl"], 5)))
        t.start()
        deadline = time.time() + 5
        while time.time() < deadline:
            if any(c.get("name") == "blocked" and "blpop" in c.get("cmd", "")
                   for c in r.client_list()):
                break
            time.sleep(0.01)
        assert ev.run("rpush", "bl", "x") == expect(("rpush", "bl"), ("lpop", "bl"), ("del", "bl"))
        t.join()
        assert result == [(b"bl", b"x")]
    finally:
        blocked.close()


def test_set_events(r, ev):
    run_cases(r, ev, [
        ([], "sadd s a b c", [("sadd", "s")]),
        ([], "sadd s a", []),
        ([], "srem s a", [("srem", "s")]),
        ([], "srem s nosuch", []),
        ([], "spop s", [("spop", "s")]),
        ([], "spop s 5", [("spop", "s"), ("del", "s")]),
        (["sadd s a b"], "smove s s2 a", [("srem", "s"), ("sadd", "s2")]),
        (["sadd s2 b"], "smove s s2 b", [("srem", "s"), ("del", "s")]),
        (["sadd x 1 2"], "sinterstore d x s2", []),
        ([], "sunionstore d x s2", [("sunionstore", "d")]),
        ([], "sinterstore d x s2", [("del", "d")]),
        ([], "sdiffstore d x s2", [("sdiffstore", "d")]),
        ([], "sdiffstore d x x", [("del", "d")]),
        ([], "sinterstore d x nokey", []),
    ])


def test_hash_events(r, ev):
    run_cases(r, ev, [
        ([], "hset h f 1", [("hset", "h")]),
        ([], "hset h f 1", [("hset", "h")]),
        ([], "hsetnx h g 1", [("hset", "h")]),
        ([], "hsetnx h g 1", []),
        ([], "hmset h a 1", [("hset", "h")]),
        ([], "hincrby h a 1", [("hincrby", "h")]),
        ([], "hincrbyfloat h a 1.5", [("hincrbyfloat", "h")]),
        ([], "hdel h a nosuch", [("hdel", "h")]),
        ([], "hdel h nosuch", []),
        ([], "hdel h f g", [("hdel", "h"), ("del", "h")]),
    ])


def test_zset_and_geo_events(r, ev):
    run_cases(r, ev, [
        ([], "zadd z 1 a 2 b 3 c", [("zadd", "z")]),
        ([], "zadd z 1 a", []),
        ([], "zadd z xx 5 a", [("zadd", "z")]),
        ([], "zadd z incr 1 a", [("zincr", "z")]),
        ([], "zincrby z 1 a", [("zincr", "z")]),
        ([], "zrem z a", [("zrem", "z")]),
        ([], "zrem z a", []),
        ([], "zremrangebyrank z 0 0", [("zremrangebyrank", "z")]),
        (["zadd z 1 a 2 b"], "zremrangebyscore z 1 1", [("zremrangebyscore", "z")]),
        ([], "zremrangebylex z [b [b", [("zremrangebylex", "z")]),
        ([], "zpopmin z", [("zpopmin", "z"), ("del", "z")]),
        (["zadd z 1 a 2 b"], "zpopmax z", [("zpopmax", "z")]),
        ([], "zmpop 1 z min", [("zpopmin", "z"), ("del", "z")]),
        (["zadd z 1 a 2 b 3 c"], "bzpopmin nokey z 0", [("zpopmin", "z")]),
        ([], "bzpopmax z 0", [("zpopmax", "z")]),
        ([], "bzmpop 0 1 z max count 5", [("zpopmax", "z"), ("del", "z")]),
        (["zadd z 1 a 2 b"], "zrangestore dz z 0 -1", [("zrangestore", "dz")]),
        ([], "zunionstore du 1 z", [("zunionstore", "du")]),
        ([], "zinterstore du 2 z nokey", [("del", "du")]),
        ([], "zdiffstore dd 1 z", [("zdiffstore", "dd")]),
        ([], "zdiffstore dd 1 nokey", [("del", "dd")]),
        ([], "geoadd g 13.361389 38.115556 pa", [("zadd", "g")]),
        ([], "geoadd g 15.087269 37.502669 ca", [("zadd", "g")]),
        ([], "geoadd g 15.087269 37.502669 ca", []),
        ([], "geosearchstore gs g fromlonlat 15 37 byradius 200 km", [("geosearchstore", "gs")]),
        ([], "georadius g 15 37 200 km store gr", [("georadiusstore", "gr")]),
        ([], "georadiusbymember g pa 1 km storedist gr", [("georadiusstore", "gr")]),
        ([], "geosearchstore gs g fromlonlat 0 0 byradius 1 km", [("del", "gs")]),
    ])


def test_sort_store_events(r, ev):
    run_cases(r, ev, [
        (["rpush sl 3 1 2"], "sort sl", []),
        ([], "sort sl store so", [("sortstore", "so")]),
        ([], "sort nosuchkey store so", [("del", "so")]),
        ([], "sort nosuchkey store so", []),
    ])


def test_new_event_order(r):
    r.config_set("notify-keyspace-events", "KEAn")
    e = Events(r)
    try:
        assert e.run("set", "a", "1") == expect(("new", "a"), ("set", "a"))
        assert e.run("mset", "a", "2", "b", "3") == expect(("set", "a"), ("new", "b"), ("set", "b"))
        assert e.run("set", "c", "1", "ex", "100") == expect(("new", "c"), ("set", "c"),
                                                             ("expire", "c"))
        assert e.run("rename", "c", "d") == expect(("new", "d"), ("rename_from", "c"),
                                                   ("rename_to", "d"))
        assert e.run("rpush", "l", "x", "y") == expect(("new", "l"), ("rpush", "l"))
        assert e.run("lmove", "l", "m", "left", "right") == expect(
            ("new", "m"), ("rpush", "m"), ("lpop", "l"))
        assert e.run("sadd", "s", "a") == expect(("new", "s"), ("sadd", "s"))
        assert e.run("smove", "s", "s2", "a") == expect(("srem", "s"), ("del", "s"),
                                                        ("new", "s2"), ("sadd", "s2"))
        r.delete("l", "m", "s2")
        e.collect()
        r.execute_command("config", "set", "notify-keyspace-events", "KEn")
        assert e.run("set", "n", "1") == expect(("new", "n"))
        assert e.run("set", "n", "2") == []
    finally:
        e.close()
        r.config_set("notify-keyspace-events", "")


def test_flag_filtering(r):
    e = Events(r)
    try:
        r.config_set("notify-keyspace-events", "")
        assert e.run("set", "a", "1") == []
        r.config_set("notify-keyspace-events", "K$")
        assert e.run("set", "a", "1") == [("__keyspace@0__:a", "set")]
        assert e.run("rpush", "l", "x") == []
        r.config_set("notify-keyspace-events", "El")
        assert e.run("set", "a", "1") == []
        assert e.run("rpush", "l", "x") == [("__keyevent@0__:rpush", "l")]
        r.config_set("notify-keyspace-events", "Kg")
        assert e.run("del", "a", "l") == [("__keyspace@0__:a", "del"), ("__keyspace@0__:l", "del")]
        r.config_set("notify-keyspace-events", "Kl")
        r.rpush("l", "x")
        e.collect()
        # The pop is a list event, the deletion of the emptied list a generic one.
        assert e.run("lpop", "l") == [("__keyspace@0__:l", "lpop")]
        r.config_set("notify-keyspace-events", "Kh")
        assert e.run("hset", "h", "f", "v") == [("__keyspace@0__:h", "hset")]
        r.config_set("notify-keyspace-events", "Ks")
        assert e.run("sadd", "s", "x") == [("__keyspace@0__:s", "sadd")]
        r.config_set("notify-keyspace-events", "Kz")
        assert e.run("zadd", "z", "1", "x") == [("__keyspace@0__:z", "zadd")]
        r.config_set("notify-keyspace-events", "$")  # neither K nor E: nothing at all
        assert e.run("set", "a", "1") == []
        r.config_set("notify-keyspace-events", "KA")
        assert e.run("set", "a", "1") == [("__keyspace@0__:a", "set")]
        r.execute_command("select", "5")
        assert e.run("set", "a", "1") == [("__keyspace@5__:a", "set")]
    finally:
        e.close()
        r.config_set("notify-keyspace-events", "")


def test_expired_from_lazy_expiry(make_server):
    r = make_server("--enable-debug-command", "yes").client()
    r.execute_command("debug", "set-active-expire", "0")
    r.config_set("notify-keyspace-events", "KEx")
    e = Events(r)
    try:
        r.set("x", "1", px=1)
        time.sleep(0.05)
        assert e.collect() == []  # nothing expires while nobody looks
        assert r.get("x") is None
        assert e.collect() == expect(("expired", "x"))
        r.config_set("notify-keyspace-events", "KExg$")
        r.set("y", "1", px=1)
        e.collect()
        time.sleep(0.05)
        # The expiry comes before the write that found the key expired.
        assert e.run("set", "y", "2") == expect(("expired", "y"), ("set", "y"))
    finally:
        e.close()
        r.execute_command("debug", "set-active-expire", "1")
        r.config_set("notify-keyspace-events", "")


def test_expired_from_active_expiry(r):
    r.config_set("notify-keyspace-events", "KEx")
    e = Events(r)
    try:
        r.set("x", "1", px=20)
        got = []
        deadline = time.time() + 5
        while not got and time.time() < deadline:
            m = e.p.get_message(timeout=0.2)
            if m and m["type"] == "pmessage":
                got.append((m["channel"].decode(), m["data"].decode()))
        m = e.p.get_message(timeout=1)
        got.append((m["channel"].decode(), m["data"].decode()))
        assert got == expect(("expired", "x"))
    finally:
        e.close()
        r.config_set("notify-keyspace-events", "")


def test_events_inside_multi_exec(r, ev):
    p = r.pipeline(transaction=True)
    p.set("a", "1")
    p.lpush("l", "x")
    p.lpop("l")
    p.execute()
    assert ev.collect() == expect(("set", "a"), ("lpush", "l"), ("lpop", "l"), ("del", "l"))


@redis_7_4_only
def test_hash_field_expiry_events(make_server):
    r = make_server("--enable-debug-command", "yes").client()
    r.config_set("notify-keyspace-events", "KEA")
    ev = Events(r)
    r.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
    ev.collect()
    assert ev.run("hexpire", "h", "100", "fields", "1", "a") == expect(("hexpire", "h"))
    assert ev.run("hexpire", "h", "100", "nx", "fields", "1", "a") == []
    assert ev.run("hpersist", "h", "fields", "1", "a") == expect(("hpersist", "h"))
    assert ev.run("hpersist", "h", "fields", "1", "a") == []
    assert ev.run("hexpireat", "h", "1", "fields", "1", "a") == expect(("hdel", "h"))
    r.execute_command("debug", "set-active-expire", "0")
    try:
        r.execute_command("hpexpire", "h", "1", "fields", "1", "b")
        ev.collect()
        time.sleep(0.05)
        assert r.hget("h", "b") is None
        assert ev.collect() == expect(("hexpired", "h"))
        r.execute_command("hpexpire", "h", "1", "fields", "1", "c")
        ev.collect()
        time.sleep(0.05)
        assert r.hget("h", "c") is None
        assert ev.collect() == expect(("hexpired", "h"), ("del", "h"))
    finally:
        r.execute_command("debug", "set-active-expire", "1")
    r.hset("h2", "f", "v")
    r.execute_command("hpexpire", "h2", "20", "fields", "1", "f")
    ev.collect()
    time.sleep(0.5)
    assert ev.collect() == expect(("hexpired", "h2"), ("del", "h2"))


def test_stream_events(r, ev):
    run_cases(r, ev, [
        ([], "xadd st 1-1 f v", [("xadd", "st")]),
        ([], "xadd st maxlen 1 2-1 f v", [("xadd", "st"), ("xtrim", "st")]),
        ([], "xadd nost nomkstream 3-1 f v", []),
        ([], "xadd st 3-1 f v", [("xadd", "st")]),
        ([], "xdel st 3-1", [("xdel", "st")]),
        ([], "xdel st 9-9", []),
        ([], "xtrim st maxlen 0", [("xtrim", "st")]),
        ([], "xtrim st maxlen 0", []),
        ([], "xsetid st 10-1", [("xsetid", "st")]),
        ([], "xgroup create st g $", [("xgroup-create", "st")]),
        ([], "xgroup create st2 g $ mkstream", [("xgroup-create", "st2")]),
        ([], "xgroup createconsumer st g bob", [("xgroup-createconsumer", "st")]),
        ([], "xgroup createconsumer st g bob", []),
        (["xadd st 11-1 f v"], "xreadgroup group g alice streams st >",
         [("xgroup-createconsumer", "st")]),
        ([], "xreadgroup group g alice streams st >", []),
        ([], "xclaim st g mike 0 11-1 force", [("xgroup-createconsumer", "st")]),
        ([], "xautoclaim st g zed 0 0", [("xgroup-createconsumer", "st")]),
        ([], "xack st g 11-1", []),
        ([], "xgroup delconsumer st g lee", []),
        ([], "xgroup delconsumer st g bob", [("xgroup-delconsumer", "st")]),
        ([], "xgroup setid st g 0", [("xgroup-setid", "st")]),
        ([], "xgroup destroy st g", [("xgroup-destroy", "st")]),
        ([], "xgroup destroy st g", []),
    ])
