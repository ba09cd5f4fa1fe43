"""DUMP and RESTORE: payloads, options (REPLACE, ABSTTL, IDLETIME, FREQ), Redis 7.0's errors,
and payloads moving both ways between the server under test and Debian's redis-server."""
import time

import pytest
import redis

from conftest import arity
from resp_util import first_reply_line
from rdb_util import RedisServer, crc64, dataset, fill_every_type, make_payload


def test_dump_restore_string(r):
    r.set("a", "hello")
    payload = r.dump("a")
    assert payload[-10:-8] == b"\x0a\x00"  # RDB version 10
    assert int.from_bytes(payload[-8:], "little") == crc64(payload[:-8])
    assert r.restore("b", 0, payload) == b"OK"
    assert r.get("b") == b"hello"
    assert r.ttl("b") == -1


def test_dump_missing_key(r):
    assert r.dump("nope") is None


def test_dump_known_payloads(r):
    # Byte for byte what redis-server 7.0 produces.
    r.set("s", "hello")
    assert r.dump("s").hex() == "000568656c6c6f0a006372df766534200a"
    r.set("i", "12345")
    assert r.dump("i").hex() == "00c139300a009d94ea2793fc08b9"
    r.sadd("si", 1, 2, 3)
    assert r.dump("si").hex() == "0b0e02000000030000000100020003000a00a5025ce26d6e4d1b"
    r.hset("h", "f", "v")
    assert r.dump("h").hex() == "100d0d0000000200816602817602ff0a0020f13d442354089d"


def test_restore_every_type(r):
    fill_every_type(r, big=100)
    before = dataset(r, dbs=[0])
    for key in list(r.scan_iter()):
        payload = r.dump(key)
        ttl = r.pttl(key)
        r.delete(key)
        assert r.restore(key, max(ttl, 0), payload) == b"OK"
    assert dataset(r, dbs=[0]) == before


def test_restore_ttl_and_absttl(r):
    r.set("a", "v")
    payload = r.dump("a")
    r.restore("t1", 5000, payload)
    assert 4000 < r.pttl("t1") <= 5000
    r.restore("t2", 2 ** 33, payload)  # overflows 32 bits
    assert r.pttl("t2") > 2 ** 32
    when = int(time.time() * 1000) + 10000
    r.restore("t3", when, payload, absttl=True)
    assert 9000 < r.pttl("t3") <= 10000
    # An absolute time in the past: OK, and no key.
    assert r.restore("t4", 1000, payload, absttl=True) == b"OK"
    assert r.exists("t4") == 0


def test_restore_busykey_and_replace(r):
    r.set("a", "1")
    r.set("b", "2")
    payload = r.dump("a")
    with pytest.raises(redis.ResponseError, match="Target key name already exists."):
        r.restore("b", 0, payload)
    assert r.restore("b", 0, payload, replace=True) == b"OK"
    assert r.get("b") == b"1"
    # REPLACE with an expired absolute TTL deletes the old key.
    assert r.restore("b", 1, payload, replace=True, absttl=True) == b"OK"
    assert r.exists("b") == 0


def test_restore_busykey_error_code(server, r):
    r.set("a", "1")
    payload = r.dump("a")
    line = first_reply_line(server.port, "RESTORE", "a", "0", payload)
    assert line == b"-BUSYKEY Target key name already exists."


def test_restore_errors(r):
    r.set("a", "1")
    payload = r.dump("a")
    with pytest.raises(redis.ResponseError, match="^Invalid TTL value, must be >= 0$"):
        r.restore("x", -1, payload)
    with pytest.raises(redis.ResponseError, match="value is not an integer or out of range"):
        r.execute_command("RESTORE", "x", "abc", payload)
    with pytest.raises(redis.ResponseError,
                       match="^DUMP payload version or checksum are wrong$"):
        r.restore("x", 0, payload[:-1] + bytes([payload[-1] ^ 1]))
    with pytest.raises(redis.ResponseError,
                       match="^DUMP payload version or checksum are wrong$"):
        r.restore("x", 0, b"short")
    with pytest.raises(redis.ResponseError,
                       match="^DUMP payload version or checksum are wrong$"):
        r.restore("x", 0, make_payload(payload[:-10], version=99))
    # A valid footer around a body that is not a value.
    with pytest.raises(redis.ResponseError, match="^Bad data format$"):
        r.restore("x", 0, make_payload(b"\x00\x10abc"))  # string longer than the data
    with pytest.raises(redis.ResponseError, match="^Bad data format$"):
        r.restore("x", 0, make_payload(b"\x63\x01a"))  # unknown type
    with pytest.raises(redis.ResponseError, match="^Bad data format$"):
        r.restore("x", 0, make_payload(b"\x02\x00"))  # empty set
    with pytest.raises(redis.ResponseError, match="^Bad data format$"):
        r.restore("x", 0, make_payload(b"\x02\x02\x01a\x01a"))  # duplicate members
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("RESTORE", "x", "0", payload, "BOGUS")
    with pytest.raises(redis.ResponseError, match="^Invalid IDLETIME value, must be >= 0$"):
        r.execute_command("RESTORE", "x", "0", payload, "IDLETIME", "-1")
    with pytest.raises(redis.ResponseError,
                       match="^Invalid FREQ value, must be >= 0 and <= 255$"):
        r.execute_command("RESTORE", "x", "0", payload, "FREQ", "256")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("RESTORE", "x", "0", payload, "IDLETIME", "1", "FREQ", "1")
    with pytest.raises(redis.ResponseError, match=arity("restore")):
        r.execute_command("RESTORE", "x", "0")
    with pytest.raises(redis.ResponseError, match=arity("dump")):
        r.execute_command("DUMP")
    assert r.exists("x") == 0


def test_restore_idletime(r):
    r.set("a", "1")
    payload = r.dump("a")
    r.execute_command("RESTORE", "b", "0", payload, "IDLETIME", "1000")
    assert r.object("idletime", "b") >= 1000


def test_restore_freq(make_server):
    s = make_server("--maxmemory-policy", "allkeys-lfu")
    r = s.client()
    r.set("a", "1")
    payload = r.dump("a")
    r.execute_command("RESTORE", "b", "0", payload, "FREQ", "100")
    assert r.object("freq", "b") == 100


def test_restore_counts_as_a_change(r):
    r.set("a", "1")
    payload = r.dump("a")
    before = r.info("persistence")["rdb_changes_since_last_save"]
    r.restore("b", 0, payload)
    assert r.info("persistence")["rdb_changes_since_last_save"] == before + 1


def test_payloads_move_between_servers(r, tmp_path):
    rs = RedisServer(str(tmp_path))
    try:
        other = rs.client()
        fill_every_type(other, big=100)
        fill_every_type(r, big=100)
        expected = dataset(other, dbs=[0])
        assert dataset(r, dbs=[0]) == expected
        keys = [k for (db, k) in expected]
        # Redis -> server under test
        r.flushall()
        for k in keys:
            r.restore(k, 0, other.dump(k))
        got = dataset(r, dbs=[0])
        assert {k: v[:2] for k, v in got.items()} == {k: v[:2] for k, v in expected.items()}
        # server under test -> Redis
        other.flushall()
        for k in keys:
            assert other.restore(k, 0, r.dump(k)) == b"OK"
        got = dataset(other, dbs=[0])
        assert {k: v[:2] for k, v in got.items()} == {k: v[:2] for k, v in expected.items()}
    finally:
        rs.stop()


def test_corrupt_payloads_never_crash_the_server(make_server):
    # With the checksum check off (DEBUG SET-SKIP-CHECKSUM-VALIDATION, as Redis's corrupt-dump
    # fuzzer does), payloads of every type and encoding with random bytes changed, cut short
    # or extended must be refused or loaded, never crash the server, and a value that loaded
    # must be readable. redis-server is safe here with sanitize-dump-payload yes.
    import random
    s = make_server("--enable-debug-command", "yes", "--sanitize-dump-payload", "yes")
    r = s.client()
    fill_every_type(r, big=150)
    payloads = [r.dump(k) for k in sorted(r.keys("*"))]
    r.execute_command("DEBUG", "SET-SKIP-CHECKSUM-VALIDATION", 1)
    rng = random.Random(7)
    readers = {b"string": ("GET",), b"list": ("LRANGE", 0, -1), b"set": ("SMEMBERS",),
               b"zset": ("ZRANGE", 0, -1, "WITHSCORES"), b"hash": ("HGETALL",),
               b"stream": ("XRANGE", "-", "+")}
    for i in range(3000):
        p = bytearray(rng.choice(payloads))
        for _ in range(rng.randint(1, 4)):
            if len(p) <= 11:
                break
            op = rng.random()
            at = rng.randrange(len(p) - 10)  # in the body, before the footer
            if op < 0.7:
                p[at] = rng.randrange(256)
            elif op < 0.85:
                del p[at:at + rng.randint(1, 8)]
            else:
                p[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        try:
            r.restore("fuzz", 0, bytes(p), replace=True)
        except redis.ResponseError:
            continue
        kind = r.type("fuzz")
        try:
            r.execute_command(readers[kind][0], "fuzz", *readers[kind][1:])
        except redis.ResponseError:
            pass
    assert r.ping()
    assert s.alive()
