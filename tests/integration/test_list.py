"""List commands (non-blocking): LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET
LINSERT LREM LTRIM LPOS LMOVE RPOPLPUSH LMPOP, with Redis 7.0's replies (RESP2 and RESP3),
error texts, encodings (7.2's listpack/quicklist rules) and dirty-counter effects."""
import pytest
import redis

from conftest import I64_MAX, I64_MIN, NOT_INT, WRONGTYPE, dirty, encoding, redis_7_2_only, arity
from resp_util import error, raw, request

POSITIVE = "value is out of range, must be positive"


# --- push / length / range -------------------------------------------------------------------


def test_push_and_range(r):
    assert r.rpush("l", "a", "b") == 2
    assert r.lpush("l", "c", "d") == 4
    assert r.lrange("l", 0, -1) == [b"d", b"c", b"a", b"b"]
    assert r.llen("l") == 4
    assert r.llen("missing") == 0
    assert r.lrange("l", 1, 2) == [b"c", b"a"]
    assert r.lrange("l", -2, 100) == [b"a", b"b"]
    assert r.lrange("l", -100, 0) == [b"d"]
    assert r.lrange("l", 3, 1) == []
    assert r.lrange("l", 10, 20) == []
    assert r.lrange("missing", 0, -1) == []
    assert r.lrange("l", I64_MIN, I64_MAX) == [b"d", b"c", b"a", b"b"]


def test_pushx(r):
    assert r.lpushx("l", "a") == 0
    assert r.execute_command("RPUSHX", "l", "a", "b") == 0
    assert r.exists("l") == 0
    r.rpush("l", "x")
    assert r.lpushx("l", "a", "b") == 3
    assert r.execute_command("RPUSHX", "l", "c") == 4
    assert r.lrange("l", 0, -1) == [b"b", b"a", b"x", b"c"]


def test_push_errors(r, strkey):
    for cmd in ("LPUSH", "RPUSH", "LPUSHX", "RPUSHX"):
        assert error(r, cmd, strkey, "a") == WRONGTYPE
        assert error(r, cmd, "l") == arity(cmd.lower())
    assert error(r, "LLEN", strkey) == WRONGTYPE
    assert error(r, "LRANGE", strkey, 0, -1) == WRONGTYPE
    assert error(r, "LRANGE", strkey, "x", -1) == NOT_INT  # arguments are parsed first
    assert error(r, "LRANGE", "l", 0, "1.5") == NOT_INT
    assert error(r, "LRANGE", "l", 0, "99999999999999999999") == NOT_INT


def test_binary_safe_elements(r):
    vals = [b"a\x00b", b"\r\n", b"", bytes(range(256)), b"x" * 100000]
    r.rpush("l", *vals)
    assert r.lrange("l", 0, -1) == vals
    assert r.lpos("l", b"\r\n") == 1
    assert r.lrem("l", 0, b"a\x00b") == 1
    assert r.rpop("l") == b"x" * 100000


def test_integer_elements_keep_their_text(r):
    vals = [b"1", b"-1", b"007", b"9223372036854775807", b"-9223372036854775808",
            b"9223372036854775808", b"-0", b"1.0", b" 1"]
    r.rpush("l", *vals)
    assert r.lrange("l", 0, -1) == vals
    assert r.lindex("l", 1) == b"-1"
    assert r.lrem("l", 0, "1") == 1


# --- encodings -------------------------------------------------------------------------------


@redis_7_2_only
def test_encoding_by_count(r):
    r.config_set("list-max-listpack-size", 4)
    try:
        r.rpush("l", 1, 2, 3, 4)
        assert encoding(r, "l") == b"listpack"
        r.rpush("l", 5)
        assert encoding(r, "l") == b"quicklist"
        r.rpop("l")
        assert encoding(r, "l") == b"quicklist"  # 4 > half the cap
        r.rpop("l")
        r.rpop("l")
        assert encoding(r, "l") == b"listpack"
        # Several elements at once convert before any is added.
        r.delete("m")
        r.rpush("m", 1, 2, 3, 4, 5)
        assert encoding(r, "m") == b"quicklist"
    finally:
        r.config_set("list-max-listpack-size", -2)


@redis_7_2_only
def test_encoding_by_size(r):
    r.rpush("l", "a" * 100)
    assert encoding(r, "l") == b"listpack"
    r.rpush("l", "b" * 9000)
    assert encoding(r, "l") == b"quicklist"
    r.rpop("l")
    assert encoding(r, "l") == b"listpack"
    r.rpush("l", *(["x" * 60] * 200))  # > 8 KB in all
    assert encoding(r, "l") == b"quicklist"
    r.ltrim("l", 0, 10)
    assert encoding(r, "l") == b"listpack"


@redis_7_2_only
def test_linsert_and_lset_convert(r):
    r.rpush("l", "a", "b")
    assert r.linsert("l", "after", "zz", "c" * 9000) == -1
    assert encoding(r, "l") == b"quicklist"  # grows before looking for the pivot, as Redis
    r.delete("l")
    r.rpush("l", "a")
    r.lset("l", 0, "big" * 4000)
    assert encoding(r, "l") == b"quicklist"
    r.lset("l", 0, "small")
    assert encoding(r, "l") == b"listpack"


def test_large_list(r):
    n = 20000
    pipe = r.pipeline(transaction=False)
    for i in range(0, n, 1000):
        pipe.rpush("big", *range(i, i + 1000))
    pipe.execute()
    assert r.llen("big") == n
    assert r.lindex("big", 12345) == b"12345"
    assert r.lindex("big", -1) == str(n - 1).encode()
    assert r.lrange("big", 9998, 10001) == [b"9998", b"9999", b"10000", b"10001"]
    assert r.linsert("big", "before", "10000", "new") == n + 1
    assert r.lindex("big", 10000) == b"new"
    assert r.lrem("big", 0, "new") == 1
    assert r.lpos("big", "15000") == 15000
    r.ltrim("big", 100, 199)
    assert r.lrange("big", 0, 1) == [b"100", b"101"]
    assert r.llen("big") == 100


@redis_7_2_only
def test_large_list_encodings(r):
    r.rpush("big", *range(5000))
    assert encoding(r, "big") == b"quicklist"
    r.ltrim("big", 100, 199)
    assert encoding(r, "big") == b"listpack"


# --- LINDEX / LSET / LINSERT -----------------------------------------------------------------


def test_lindex(r, strkey):
    r.rpush("l", "a", "b", "c")
    assert r.lindex("l", 0) == b"a"
    assert r.lindex("l", -1) == b"c"
    assert r.lindex("l", 3) is None
    assert r.lindex("l", -4) is None
    assert r.lindex("missing", 0) is None
    assert error(r, "LINDEX", "l", "x") == NOT_INT
    assert error(r, "LINDEX", strkey, "x") == WRONGTYPE  # the key is checked first
    assert r.lindex("missing", "x") is None


def test_lset(r, strkey):
    r.rpush("l", "a", "b", "c")
    assert r.lset("l", 1, "B")
    assert r.lset("l", -1, "C")
    assert r.lrange("l", 0, -1) == [b"a", b"B", b"C"]
    assert error(r, "LSET", "l", 3, "x") == "index out of range"
    assert error(r, "LSET", "l", -4, "x") == "index out of range"
    assert error(r, "LSET", "missing", 0, "x") == "no such key"
    assert error(r, "LSET", "l", "x", "x") == NOT_INT
    assert error(r, "LSET", strkey, 0, "x") == WRONGTYPE


def test_linsert(r, strkey):
    r.rpush("l", "a", "b", "c")
    assert r.linsert("l", "before", "b", "x") == 4
    assert r.linsert("l", "AFTER", "c", "y") == 5
    assert r.linsert("l", "after", "zz", "y") == -1
    assert r.lrange("l", 0, -1) == [b"a", b"x", b"b", b"c", b"y"]
    assert r.linsert("missing", "before", "a", "b") == 0
    assert error(r, "LINSERT", "l", "middle", "a", "b") == "syntax error"
    assert error(r, "LINSERT", strkey, "before", "a", "b") == WRONGTYPE
    assert error(r, "LINSERT", strkey, "inside", "a", "b") == "syntax error"


# --- LREM / LTRIM ----------------------------------------------------------------------------


def test_lrem(r, strkey):
    r.rpush("l", "a", "b", "a", "c", "a", "b")
    assert r.lrem("l", 1, "a") == 1
    assert r.lrange("l", 0, -1) == [b"b", b"a", b"c", b"a", b"b"]
    assert r.lrem("l", -1, "b") == 1
    assert r.lrange("l", 0, -1) == [b"b", b"a", b"c", b"a"]
    assert r.lrem("l", 0, "a") == 2
    assert r.lrem("l", 0, "nope") == 0
    assert r.lrem("missing", 0, "a") == 0
    assert r.lrem("l", I64_MIN, "b") == 1
    assert r.lrem("l", 0, "c") == 1
    assert r.exists("l") == 0
    assert error(r, "LREM", "l", "x", "a") == NOT_INT
    assert error(r, "LREM", strkey, 0, "a") == WRONGTYPE


def test_ltrim(r, strkey):
    r.rpush("l", *range(10))
    assert r.ltrim("l", 2, -3)
    assert r.lrange("l", 0, -1) == [b"2", b"3", b"4", b"5", b"6", b"7"]
    assert r.ltrim("l", -100, 100)
    assert r.llen("l") == 6
    assert r.ltrim("l", 5, 1)
    assert r.exists("l") == 0
    assert r.ltrim("missing", 0, 1)
    assert error(r, "LTRIM", "l", 0, "x") == NOT_INT
    assert error(r, "LTRIM", strkey, 0, 1) == WRONGTYPE


# --- LPOP / RPOP -----------------------------------------------------------------------------


def test_pop(r, strkey):
    r.rpush("l", "a", "b", "c", "d")
    assert r.lpop("l") == b"a"
    assert r.rpop("l") == b"d"
    assert r.lpop("l", 0) == []
    assert r.rpop("l", 5) == [b"c", b"b"]
    assert r.exists("l") == 0
    assert r.lpop("l") is None
    assert raw(r, "LPOP", "l", 1) is None
    r.rpush("l", "a", "b", "c")
    assert r.lpop("l", 2) == [b"a", b"b"]
    assert error(r, "LPOP", "l", -1) == POSITIVE
    assert error(r, "LPOP", "l", "x") == POSITIVE
    assert error(r, "RPOP", "l", 1, 2) == arity("rpop")
    assert error(r, "LPOP", strkey) == WRONGTYPE
    assert error(r, "RPOP", strkey, 1) == WRONGTYPE
    assert error(r, "LPOP", strkey, -1) == POSITIVE  # count parsed before the lookup


def test_pop_resp3_shapes(server, r):
    r.rpush("l", "a", "b", "c")
    replies = request(server.port, ("LPOP", "missing"), ("LPOP", "missing", 2), ("LPOP", "l", 0),
                      ("RPOP", "l", 2), ("LMPOP", 1, "missing", "LEFT"), resp3=True)
    assert [x.kind for x in replies] == ["_", "_", "*", "*", "_"]
    replies = request(server.port, ("LPOP", "missing"), ("LPOP", "missing", 2),
                      ("LMPOP", 1, "missing", "LEFT"))
    assert [(x.kind, x.value) for x in replies] == [("$", None), ("*", None), ("*", None)]


# --- LPOS ------------------------------------------------------------------------------------


def test_lpos(r, strkey):
    r.rpush("l", "a", "b", "c", "1", "2", "3", "c", "c")
    assert r.lpos("l", "c") == 2
    assert r.lpos("l", "c", rank=2) == 6
    assert r.lpos("l", "c", rank=-1) == 7
    assert r.lpos("l", "c", rank=-3) == 2
    assert r.lpos("l", "c", count=0) == [2, 6, 7]
    assert r.lpos("l", "c", count=2) == [2, 6]
    assert r.lpos("l", "c", count=2, rank=-1) == [7, 6]
    assert r.lpos("l", "c", maxlen=2) is None
    assert r.lpos("l", "c", count=0, maxlen=7) == [2, 6]
    assert r.lpos("l", "c", rank=-1, maxlen=1) == 7
    assert r.lpos("l", "x") is None
    assert r.lpos("l", "x", count=5) == []
    assert r.lpos("missing", "x") is None
    assert r.lpos("missing", "x", count=1) == []
    assert r.lpos("l", "c", rank=4) is None
    assert raw(r, "LPOS", "l", "c", "RANK", I64_MIN) == 7
    assert raw(r, "LPOS", "l", "c", "RANK", I64_MIN, "COUNT", 1) == [7, 6, 2]
    assert error(r, "LPOS", "l", "c", "RANK", 0) == (
        "RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
        "or use negative to start from the end of the list")
    assert error(r, "LPOS", "l", "c", "RANK", "x") == NOT_INT
    assert error(r, "LPOS", "l", "c", "COUNT", -1) == "COUNT can't be negative"
    assert error(r, "LPOS", "l", "c", "COUNT", "x") == "COUNT can't be negative"
    assert error(r, "LPOS", "l", "c", "MAXLEN", -1) == "MAXLEN can't be negative"
    assert error(r, "LPOS", "l", "c", "RANK") == "syntax error"
    assert error(r, "LPOS", "l", "c", "FOO", 1) == "syntax error"
    assert error(r, "LPOS", strkey, "c") == WRONGTYPE
    assert error(r, "LPOS", strkey, "c", "RANK", 0).startswith("RANK can't be zero")


# --- LMOVE / RPOPLPUSH -----------------------------------------------------------------------


def test_lmove(r, strkey):
    r.rpush("src", "a", "b", "c")
    assert r.lmove("src", "dst", "LEFT", "RIGHT") == b"a"
    assert r.lmove("src", "dst", "right", "left") == b"c"
    assert r.lrange("dst", 0, -1) == [b"c", b"a"]
    assert r.rpoplpush("src", "dst") == b"b"
    assert r.exists("src") == 0
    assert r.lrange("dst", 0, -1) == [b"b", b"c", b"a"]
    assert r.lmove("src", "dst", "LEFT", "LEFT") is None
    assert r.rpoplpush("src", "dst") is None
    # Rotation on one key.
    assert r.lmove("dst", "dst", "LEFT", "RIGHT") == b"b"
    assert r.lrange("dst", 0, -1) == [b"c", b"a", b"b"]
    r.rpush("one", "x")
    assert r.rpoplpush("one", "one") == b"x"
    assert r.lrange("one", 0, -1) == [b"x"]
    assert error(r, "LMOVE", "dst", "x", "UP", "LEFT") == "syntax error"
    assert error(r, "LMOVE", "dst", "x", "LEFT", "DOWN") == "syntax error"
    assert error(r, "LMOVE", strkey, "x", "LEFT", "LEFT") == WRONGTYPE
    assert error(r, "LMOVE", "dst", strkey, "LEFT", "LEFT") == WRONGTYPE
    assert r.lrange("dst", 0, -1) == [b"c", b"a", b"b"]  # untouched by the failed move
    assert error(r, "RPOPLPUSH", "dst", strkey) == WRONGTYPE
    assert r.lmove("missing", strkey, "LEFT", "LEFT") is None


# --- LMPOP -----------------------------------------------------------------------------------


def test_lmpop(r, strkey):
    r.rpush("b", "1", "2", "3")
    assert r.execute_command("LMPOP", 2, "a", "b", "LEFT") == [b"b", [b"1"]]
    assert r.execute_command("LMPOP", 2, "a", "b", "RIGHT", "COUNT", 10) == [b"b", [b"3", b"2"]]
    assert r.exists("b") == 0
    assert r.execute_command("LMPOP", 2, "a", "b", "LEFT") is None
    r.rpush("b", "x")
    assert error(r, "LMPOP", 2, strkey, "b", "LEFT") == WRONGTYPE
    assert r.execute_command("LMPOP", 2, "b", strkey, "LEFT") == [b"b", [b"x"]]
    assert error(r, "LMPOP", 0, "b", "LEFT") == "numkeys should be greater than 0"
    assert error(r, "LMPOP", "x", "b", "LEFT") == "numkeys should be greater than 0"
    assert error(r, "LMPOP", 1, "b", "LEFT", "COUNT", 0) == "count should be greater than 0"
    assert error(r, "LMPOP", 1, "b", "LEFT", "COUNT", "x") == "count should be greater than 0"
    assert error(r, "LMPOP", 1, "b", "MIDDLE") == "syntax error"
    assert error(r, "LMPOP", 5, "b", "LEFT") == "syntax error"
    assert error(r, "LMPOP", 1, "b", "LEFT", "COUNT", 1, "COUNT", 1) == "syntax error"
    assert error(r, "LMPOP", 1, "b", "LEFT", "COUNT") == "syntax error"
    assert error(r, "LMPOP", 1, "b") == arity("lmpop")


# --- dirty counter, COMMAND INFO -------------------------------------------------------------


def test_dirty_counts(r):
    d = dirty(r)
    r.rpush("l", "a", "b", "c")
    assert dirty(r) == d + 3
    r.lpop("l", 2)
    assert dirty(r) == d + 5
    r.lrem("l", 0, "zz")
    assert dirty(r) == d + 5
    r.rpush("l", "x", "y", "z")
    r.ltrim("l", 1, 1)
    assert dirty(r) == d + 11
    r.lset("l", 0, "q")
    r.linsert("l", "before", "q", "p")
    assert dirty(r) == d + 13


def test_command_info(r):
    info = raw(r, "COMMAND", "INFO", "lpush", "blpop", "lmpop", "lmove", "lrange")
    rows = {row[0]: row for row in info}
    assert rows[b"lpush"][1:6] == [-3, [b"write", b"denyoom", b"fast"], 1, 1, 1]
    assert rows[b"blpop"][1:6] == [-3, [b"write", b"noscript", b"blocking"], 1, -2, 1]
    assert rows[b"lmpop"][1:6] == [-4, [b"write", b"movablekeys"], 0, 0, 0]
    assert rows[b"lmove"][1:6] == [5, [b"write", b"denyoom"], 1, 2, 1]
    assert rows[b"lrange"][1:6] == [4, [b"readonly"], 1, 1, 1]
    assert sorted(rows[b"blpop"][6]) == sorted([b"@write", b"@list", b"@slow", b"@blocking"])


def test_digest_matches_redis(make_server):
    dbg = make_server("--enable-debug-command", "yes").client()
    dbg.rpush("a", "x", "1", "y", "")
    # The values redis-server 7.0 reports for the same list.
    assert raw(dbg, "DEBUG", "DIGEST-VALUE", "a") == [b"c1319b6c48a617ce8af6ed9ee871125096707c69"]
    assert raw(dbg, "DEBUG", "DIGEST") == b"a76456b3ba7edaeb96b649126f3cf8be41050254"
    dbg.rpush("b", *range(3000))  # a quicklist digests the same way
    dbg.rpush("c", *range(3000))
    assert raw(dbg, "DEBUG", "DIGEST-VALUE", "b") == raw(dbg, "DEBUG", "DIGEST-VALUE", "c")
