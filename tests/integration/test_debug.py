"""DEBUG POPULATE, DIGEST, DIGEST-VALUE, PROTOCOL and STRINGMATCH-TEST: the testing aids the
Redis test suite builds on. (DEBUG OBJECT, SLEEP, SET-ACTIVE-EXPIRE and HELP are covered in
test_server.py.) Digests are compared with the exact hex Redis 7.0 prints for the same data."""
import re
import socket
import time

import pytest
import redis

from conftest import dirty
from resp_util import encode, parse_all, raw

ZERO_DIGEST = b"0" * 40
NOT_POSITIVE = r"^value is out of range, must be positive$"


def unknown_sub(sub):
    return (rf"^unknown subcommand or wrong number of arguments for '{re.escape(sub)}'. "
            rf"Try DEBUG HELP.$")


@pytest.fixture
def dbg_server(make_server):
    return make_server("--enable-debug-command", "yes")


@pytest.fixture
def dbg(dbg_server):
    c = dbg_server.client()
    yield c
    c.close()


def exchange(port, resp, *args):
    """The raw bytes of one command's reply, in RESP2 or (after HELLO 3) RESP3. A PING sent
    behind the command marks where its reply ends."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        if resp == 3:
            s.sendall(encode("HELLO", "3"))
            data = b""
            while True:
                data += s.recv(65536)
                try:
                    if parse_all(data):
                        break
                except (ValueError, IndexError):
                    continue
        s.sendall(encode(*args) + encode("PING"))
        data = b""
        deadline = time.time() + 5
        while not data.endswith(b"+PONG\r\n") and time.time() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        assert data.endswith(b"+PONG\r\n")
        return data[:-len(b"+PONG\r\n")]


# ---- PROTOCOL --------------------------------------------------------------------------------

PROTOCOL_REPLIES = {
    # type: (RESP2 bytes, RESP3 bytes)
    "string": (b"$11\r\nHello World\r\n", b"$11\r\nHello World\r\n"),
    "integer": (b":12345\r\n", b":12345\r\n"),
    "double": (b"$5\r\n3.141\r\n", b",3.141\r\n"),
    "bignum": (b"$37\r\n1234567999999999999999999999999999999\r\n",
               b"(1234567999999999999999999999999999999\r\n"),
    "null": (b"$-1\r\n", b"_\r\n"),
    "array": (b"*3\r\n:0\r\n:1\r\n:2\r\n", b"*3\r\n:0\r\n:1\r\n:2\r\n"),
    "set": (b"*3\r\n:0\r\n:1\r\n:2\r\n", b"~3\r\n:0\r\n:1\r\n:2\r\n"),
    "map": (b"*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n",
            b"%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n"),
    "attrib": (b"$39\r\nSome real reply following the attribute\r\n",
               b"|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
               b"$39\r\nSome real reply following the attribute\r\n"),
    "push": (b"-ERR RESP2 is not supported by this command\r\n",
             b">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n"
             b"$40\r\nSome real reply following the push reply\r\n"),
    "verbatim": (b"$25\r\nThis is a verbatim\nstring\r\n",
                 b"=29\r\ntxt:This is a verbatim\nstring\r\n"),
    "true": (b":1\r\n", b"#t\r\n"),
    "false": (b":0\r\n", b"#f\r\n"),
}


def test_protocol_every_type_in_resp2_and_resp3(dbg_server):
    for name, (resp2, resp3) in PROTOCOL_REPLIES.items():
        assert exchange(dbg_server.port, 2, "DEBUG", "PROTOCOL", name) == resp2, name
        assert exchange(dbg_server.port, 3, "DEBUG", "PROTOCOL", name) == resp3, name


def test_protocol_type_is_case_insensitive(dbg_server):
    assert exchange(dbg_server.port, 3, "debug", "Protocol", "BIGNUM") == \
        PROTOCOL_REPLIES["bignum"][1]
    assert exchange(dbg_server.port, 2, "DEBUG", "PROTOCOL", "Map") == PROTOCOL_REPLIES["map"][0]


def test_protocol_unknown_type(dbg_server, dbg):
    message = (b"-ERR Wrong protocol type name. Please use one of the following: "
               b"string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|"
               b"false\r\n")
    assert exchange(dbg_server.port, 2, "DEBUG", "PROTOCOL", "nosuchtype") == message
    assert exchange(dbg_server.port, 3, "DEBUG", "PROTOCOL", "") == message


def test_protocol_arity(dbg):
    for args in (("protocol",), ("protocol", "string", "extra")):
        with pytest.raises(redis.ResponseError, match=unknown_sub("protocol")):
            raw(dbg, "DEBUG", *args)


def test_protocol_through_redis_py(dbg):
    # What a RESP2 client library makes of the fallbacks.
    assert raw(dbg, "DEBUG", "PROTOCOL", "double") == b"3.141"
    assert raw(dbg, "DEBUG", "PROTOCOL", "null") is None
    assert raw(dbg, "DEBUG", "PROTOCOL", "map") == [0, 0, 1, 1, 2, 0]
    assert raw(dbg, "DEBUG", "PROTOCOL", "attrib") == b"Some real reply following the attribute"
    with pytest.raises(redis.ResponseError, match=r"^RESP2 is not supported by this command$"):
        raw(dbg, "DEBUG", "PROTOCOL", "push")


# ---- POPULATE --------------------------------------------------------------------------------

def test_populate_default_names(dbg):
    assert raw(dbg, "DEBUG", "POPULATE", "3") == b"OK"
    assert dbg.dbsize() == 3
    assert dbg.mget("key:0", "key:1", "key:2") == [b"value:0", b"value:1", b"value:2"]
    assert raw(dbg, "OBJECT", "ENCODING", "key:1") == b"embstr"
    assert dbg.ttl("key:0") == -1


def test_populate_prefix_and_size(dbg):
    assert raw(dbg, "DEBUG", "POPULATE", "2", "p", "12") == b"OK"
    assert dbg.get("p:1") == b"value:1" + b"\x00" * 5  # padded with zero bytes
    assert raw(dbg, "DEBUG", "POPULATE", "2", "q", "3") == b"OK"
    assert dbg.get("q:0") == b"val"  # cut to size
    assert raw(dbg, "DEBUG", "POPULATE", "2", "z", "0") == b"OK"
    assert dbg.get("z:1") == b"value:1"  # size 0 means the natural length
    assert raw(dbg, "DEBUG", "POPULATE", "1", "big", "100") == b"OK"
    assert dbg.strlen("big:0") == 100
    assert raw(dbg, "OBJECT", "ENCODING", "big:0") == b"raw"
    assert sorted(dbg.keys()) == [b"big:0", b"p:0", b"p:1", b"q:0", b"q:1", b"z:0", b"z:1"]


def test_populate_keeps_existing_keys(dbg):
    dbg.set("key:1", "mine")
    assert raw(dbg, "DEBUG", "POPULATE", "3") == b"OK"
    assert dbg.mget("key:0", "key:1", "key:2") == [b"value:0", b"mine", b"value:2"]
    assert raw(dbg, "DEBUG", "POPULATE", "4") == b"OK"  # tops up: only key:3 is new
    assert dbg.dbsize() == 4
    assert dbg.get("key:3") == b"value:3"


def test_populate_uses_selected_db_and_counts_no_dirty(dbg_server):
    c = dbg_server.client(db=2)
    before = dirty(c)
    assert raw(c, "DEBUG", "POPULATE", "5") == b"OK"
    assert c.dbsize() == 5
    assert dbg_server.client(db=0).dbsize() == 0
    assert dirty(c) == before
    c.close()


def test_populate_count_zero(dbg):
    assert raw(dbg, "DEBUG", "POPULATE", "0") == b"OK"
    assert dbg.dbsize() == 0


def test_populate_long_prefix_is_cut_at_127_bytes(dbg):
    prefix = "x" * 200
    assert raw(dbg, "DEBUG", "POPULATE", "2", prefix) == b"OK"
    # Both names cut to the same 127 bytes: one key, the second skipped as existing.
    assert dbg.keys() == [b"x" * 127]
    assert dbg.get("x" * 127) == b"value:0"


def test_populate_errors(dbg):
    for args in (("-1",), ("abc",), ("1.5",), ("9223372036854775808",), ("3", "p", "-1"),
                 ("3", "p", "x")):
        with pytest.raises(redis.ResponseError, match=NOT_POSITIVE):
            raw(dbg, "DEBUG", "POPULATE", *args)
    for args in ((), ("1", "2", "3", "4")):
        with pytest.raises(redis.ResponseError, match=unknown_sub("POPULATE")):
            raw(dbg, "DEBUG", "POPULATE", *args)
    assert dbg.dbsize() == 0


# ---- DIGEST / DIGEST-VALUE -------------------------------------------------------------------

def test_digest_of_empty_dataset_is_zeros(dbg):
    assert raw(dbg, "DEBUG", "DIGEST") == ZERO_DIGEST
    dbg.set("a", "1")
    assert raw(dbg, "DEBUG", "DIGEST") != ZERO_DIGEST
    dbg.flushall()
    assert raw(dbg, "DEBUG", "DIGEST") == ZERO_DIGEST


def test_digest_matches_redis(dbg_server, dbg):
    dbg.set("a", "1")
    assert raw(dbg, "DEBUG", "DIGEST") == b"943d800368fb9c0e951138f1bc0e313ac769d91f"
    dbg.set("b", "hello", px=100000)
    assert raw(dbg, "DEBUG", "DIGEST") == b"669dc7955c0119edb82e7cfeb40ea4a28f89f902"
    dbg_server.client(db=3).set("a", "1")
    assert raw(dbg, "DEBUG", "DIGEST") == b"cf61fb80c90dca22cfbb5a5f017cfb290fe0411d"
    # The digest covers every database whichever one the client selected.
    assert raw(dbg_server.client(db=5), "DEBUG", "DIGEST") == \
        b"cf61fb80c90dca22cfbb5a5f017cfb290fe0411d"


def test_digest_follows_data_not_history(dbg):
    dbg.mset({"x": "1", "y": "2", "z": "3"})
    first = raw(dbg, "DEBUG", "DIGEST")
    dbg.flushall()
    dbg.mset({"z": "3", "x": "1", "y": "2"})  # same data, another insertion order
    assert raw(dbg, "DEBUG", "DIGEST") == first
    dbg.set("x", "changed")
    assert raw(dbg, "DEBUG", "DIGEST") != first
    dbg.set("x", "1")
    assert raw(dbg, "DEBUG", "DIGEST") == first
    dbg.expire("x", 1000)  # a TTL is part of the digest...
    with_ttl = raw(dbg, "DEBUG", "DIGEST")
    assert with_ttl != first
    dbg.expire("y", 50000)  # ...but not its value
    dbg.persist("y")
    dbg.expire("x", 2000)
    assert raw(dbg, "DEBUG", "DIGEST") == with_ttl
    dbg.persist("x")
    assert raw(dbg, "DEBUG", "DIGEST") == first


def test_digest_depends_on_database(dbg_server, dbg):
    dbg.set("k", "v")
    in_db0 = raw(dbg, "DEBUG", "DIGEST")
    dbg.move("k", 1)
    assert raw(dbg, "DEBUG", "DIGEST") != in_db0
    dbg_server.client(db=1).move("k", 0)
    assert raw(dbg, "DEBUG", "DIGEST") == in_db0


def test_digest_arity(dbg):
    with pytest.raises(redis.ResponseError, match=unknown_sub("DIGEST")):
        raw(dbg, "DEBUG", "DIGEST", "key")


def test_digest_value(dbg):
    assert raw(dbg, "DEBUG", "DIGEST-VALUE") == []
    dbg.set("a", "1")
    dbg.set("b", "hello", px=100000)
    dbg.set("c", "value:0")
    assert raw(dbg, "DEBUG", "DIGEST-VALUE", "a", "nokey", "b", "c", "a") == [
        b"b4fc66738120fba0b5aa500ab5c2bf89cea1c5da", ZERO_DIGEST,
        b"d037c4eb8a8b36b602fbced4000daeab0714c1e3",
        b"c15f34c747bf411833c10208c03e1da1bb7da7cf",
        b"b4fc66738120fba0b5aa500ab5c2bf89cea1c5da"]


def test_digest_value_ignores_key_name_and_encoding(dbg):
    dbg.set("int", "12345")
    dbg.set("raw", "123")
    dbg.append("raw", "45")
    assert raw(dbg, "OBJECT", "ENCODING", "int") == b"int"
    assert raw(dbg, "OBJECT", "ENCODING", "raw") == b"raw"
    int_digest, raw_digest = raw(dbg, "DEBUG", "DIGEST-VALUE", "int", "raw")
    assert int_digest == raw_digest
    # The dataset digest does depend on key names.
    before = raw(dbg, "DEBUG", "DIGEST")
    dbg.rename("raw", "other")
    assert raw(dbg, "DEBUG", "DIGEST") != before


def test_digest_value_uses_selected_db(dbg_server, dbg):
    dbg_server.client(db=1).set("k", "1")
    assert raw(dbg, "DEBUG", "DIGEST-VALUE", "k") == [ZERO_DIGEST]
    assert raw(dbg_server.client(db=1), "DEBUG", "DIGEST-VALUE", "k") == [
        b"b4fc66738120fba0b5aa500ab5c2bf89cea1c5da"]


def test_digest_does_not_touch_keys(dbg):
    dbg.set("a", "1")
    hits = dbg.info("stats")["keyspace_hits"]
    raw(dbg, "DEBUG", "DIGEST")
    raw(dbg, "DEBUG", "DIGEST-VALUE", "a", "missing")
    stats = dbg.info("stats")
    assert stats["keyspace_hits"] == hits
    assert stats["keyspace_misses"] == 0


def test_populated_dataset_digest_matches_redis(dbg):
    assert raw(dbg, "DEBUG", "POPULATE", "100", "big", "100") == b"OK"
    dbg.set("n", "12345678901234567890123")
    dbg.set("m", "-5")
    assert raw(dbg, "DEBUG", "DIGEST") == b"535f4b5ba863312ab417d3b0df9ec267cda4efd2"
    assert raw(dbg, "DEBUG", "DIGEST-VALUE", "n", "m") == [
        b"67d86598428ee63b3c4be74548d09515328d66dd", b"b8fe4ac02b2f7e40537890f8b06b1107798d89e1"]


# ---- STRINGMATCH-TEST ------------------------------------------------------------------------

def test_stringmatch_test(dbg):
    assert raw(dbg, "DEBUG", "STRINGMATCH-TEST") == b"Apparently Redis did not crash: test passed"
    with pytest.raises(redis.ResponseError, match=unknown_sub("STRINGMATCH-TEST")):
        raw(dbg, "DEBUG", "STRINGMATCH-TEST", "extra")
