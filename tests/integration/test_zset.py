"""Sorted-set commands: ZADD ... ZSCAN, the ranges, the algebra (ZUNION/ZINTER/ZDIFF), pops and
blocking pops, with Redis 7.0's replies (RESP2 and RESP3), errors, encodings and dirty counts."""
import threading
import time

import pytest
import redis

from conftest import NOT_INT, WRONGTYPE, dirty, encoding
from resp_util import error, raw, request

ARITY = "wrong number of arguments for '{}' command"
NOT_FLOAT = "value is not a valid float"
SCORE_RANGE = "min or max is not a float"
LEX_RANGE = "min or max not valid string range item"


def zset(r, key, *pairs):
    """ZADD key with (member, score) pairs."""
    r.zadd(key, dict(pairs))


# ---- ZADD / ZINCRBY ------------------------------------------------------------------------

def test_zadd_basics_and_flags(r):
    assert raw(r, "ZADD", "z", "1", "a", "2", "b", "1", "a") == 2
    assert raw(r, "ZADD", "z", "5", "a") == 0
    assert r.zscore("z", "a") == 5.0
    assert raw(r, "ZADD", "z", "CH", "6", "a", "1", "c") == 2
    assert raw(r, "ZADD", "z", "NX", "9", "a", "3", "d") == 1
    assert r.zscore("z", "a") == 6.0
    assert raw(r, "ZADD", "z", "XX", "9", "a", "3", "e") == 0
    assert r.zscore("z", "e") is None and r.zscore("z", "a") == 9.0
    assert raw(r, "ZADD", "z", "GT", "CH", "1", "a", "10", "b") == 1
    assert raw(r, "ZADD", "z", "LT", "CH", "0", "a", "20", "b") == 1
    assert r.zscore("z", "a") == 0.0 and r.zscore("z", "b") == 10.0
    assert raw(r, "ZADD", "z", "INCR", "2.5", "a") == b"2.5"
    assert raw(r, "ZADD", "z", "NX", "INCR", "1", "a") is None
    assert raw(r, "ZADD", "z", "XX", "INCR", "1", "nope") is None
    assert raw(r, "ZADD", "none", "XX", "1", "a") == 0
    assert r.exists("none") == 0
    assert raw(r, "ZINCRBY", "z", "1.5", "a") == b"4"
    assert raw(r, "ZINCRBY", "z", "-1", "new") == b"-1"


def test_zadd_errors(r):
    assert error(r, "ZADD", "z", "NX", "1") == "syntax error"
    assert error(r, "ZADD", "z", "1", "a", "2") == "syntax error"
    assert error(r, "ZADD", "z", "NX", "XX", "1", "a") == \
        "XX and NX options at the same time are not compatible"
    assert error(r, "ZADD", "z", "GT", "LT", "1", "a") == \
        "GT, LT, and/or NX options at the same time are not compatible"
    assert error(r, "ZADD", "z", "NX", "GT", "1", "a") == \
        "GT, LT, and/or NX options at the same time are not compatible"
    assert error(r, "ZADD", "z", "INCR", "1", "a", "2", "b") == \
        "INCR option supports a single increment-element pair"
    assert error(r, "ZADD", "z", "x", "a") == NOT_FLOAT
    assert error(r, "ZADD", "z", "nan", "a") == NOT_FLOAT
    assert error(r, "ZINCRBY", "z", "x", "a") == NOT_FLOAT
    assert r.exists("z") == 0
    r.zadd("z", {"a": float("inf")})
    assert error(r, "ZINCRBY", "z", "-inf", "a") == "resulting score is not a number (NaN)"
    assert error(r, "ZADD") == ARITY.format("zadd")
    r.set("s", "x")
    assert error(r, "ZADD", "s", "1", "a") == WRONGTYPE


def test_scores_printing(r):
    r.zadd("z", {"a": 1.1, "b": 1e20, "c": float("inf"), "d": float("-inf"), "e": 100, "f": -0.0})
    assert raw(r, "ZSCORE", "z", "a") == b"1.1000000000000001"
    assert raw(r, "ZSCORE", "z", "b") == b"1e+20"
    assert raw(r, "ZSCORE", "z", "c") == b"inf"
    assert raw(r, "ZSCORE", "z", "d") == b"-inf"
    assert raw(r, "ZSCORE", "z", "e") == b"100"
    assert raw(r, "ZSCORE", "z", "f") == b"0"  # listpacks store integral scores as integers
    assert raw(r, "ZMSCORE", "z", "a", "nope", "e") == [b"1.1000000000000001", None, b"100"]
    assert raw(r, "ZMSCORE", "none", "a") == [None]
    assert raw(r, "ZSCORE", "none", "a") is None


# ---- reads ---------------------------------------------------------------------------------

def test_card_count_lexcount_rank(r):
    zset(r, "z", ("a", 1), ("b", 2), ("c", 3), ("d", 3))
    assert r.zcard("z") == 4 and r.zcard("none") == 0
    assert raw(r, "ZCOUNT", "z", "(1", "3") == 3
    assert raw(r, "ZCOUNT", "z", "-inf", "+inf") == 4
    assert raw(r, "ZCOUNT", "z", "3", "(3") == 0
    assert raw(r, "ZCOUNT", "none", "0", "1") == 0
    assert error(r, "ZCOUNT", "z", "a", "1") == SCORE_RANGE
    assert error(r, "ZCOUNT", "z", "(nan", "1") == SCORE_RANGE
    zset(r, "l", ("a", 0), ("b", 0), ("c", 0), ("d", 0))
    assert raw(r, "ZLEXCOUNT", "l", "[b", "(d") == 2
    assert raw(r, "ZLEXCOUNT", "l", "-", "+") == 4
    assert raw(r, "ZLEXCOUNT", "l", "+", "-") == 0
    assert error(r, "ZLEXCOUNT", "l", "b", "[d") == LEX_RANGE
    assert raw(r, "ZRANK", "z", "c") == 2
    assert raw(r, "ZREVRANK", "z", "c") == 1
    assert raw(r, "ZRANK", "z", "x") is None
    assert raw(r, "ZRANK", "none", "x") is None


@pytest.mark.parametrize("big", [False, True])
def test_ranges(r, big):
    pairs = [(f"m{i}", i // 2) for i in range(10)]
    if big:
        pairs += [(f"x{i:03d}", 100 + i) for i in range(200)]
    zset(r, "z", *pairs)
    assert encoding(r, "z") == (b"skiplist" if big else b"listpack")
    assert raw(r, "ZRANGE", "z", "0", "2") == [b"m0", b"m1", b"m2"]
    assert raw(r, "ZRANGE", "z", "-2", "-1")[-1] == (b"x199" if big else b"m9")
    assert raw(r, "ZRANGE", "z", "5", "1") == []
    assert raw(r, "ZRANGE", "z", "0", "1", "WITHSCORES") == [b"m0", b"0", b"m1", b"0"]
    assert raw(r, "ZREVRANGE", "z", "0", "0") == [b"x199" if big else b"m9"]
    assert raw(r, "ZRANGE", "z", "0", "1", "REV") == raw(r, "ZREVRANGE", "z", "0", "1")
    assert raw(r, "ZRANGEBYSCORE", "z", "(1", "2") == [b"m4", b"m5"]
    assert raw(r, "ZRANGEBYSCORE", "z", "1", "2", "LIMIT", "1", "2") == [b"m3", b"m4"]
    assert raw(r, "ZRANGEBYSCORE", "z", "1", "2", "LIMIT", "-1", "2") == []
    assert raw(r, "ZRANGEBYSCORE", "z", "1", "2", "LIMIT", "1", "-1") == [b"m3", b"m4", b"m5"]
    assert raw(r, "ZREVRANGEBYSCORE", "z", "2", "1", "LIMIT", "1", "2") == [b"m4", b"m3"]
    assert raw(r, "ZRANGE", "z", "2", "1", "BYSCORE", "REV", "WITHSCORES") == \
        [b"m5", b"2", b"m4", b"2", b"m3", b"1", b"m2", b"1"]
    assert raw(r, "ZRANGE", "z", "(4", "+inf", "BYSCORE", "LIMIT", "0", "1") == \
        ([b"x000"] if big else [])
    assert raw(r, "ZRANGEBYSCORE", "z", "-inf", "(0") == []
    zset(r, "l", ("a", 0), ("b", 0), ("c", 0), ("d", 0))
    assert raw(r, "ZRANGEBYLEX", "l", "[b", "+") == [b"b", b"c", b"d"]
    assert raw(r, "ZRANGEBYLEX", "l", "-", "(c", "LIMIT", "1", "5") == [b"b"]
    assert raw(r, "ZREVRANGEBYLEX", "l", "+", "(b") == [b"d", b"c"]
    assert raw(r, "ZRANGE", "l", "[d", "[a", "BYLEX", "REV", "LIMIT", "1", "2") == [b"c", b"b"]
    assert raw(r, "ZRANGE", "none", "0", "-1") == []


def test_range_errors(r):
    zset(r, "z", ("a", 1))
    assert error(r, "ZRANGE", "z", "0", "1", "LIMIT", "0", "1") == \
        "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
    assert error(r, "ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES") == \
        "syntax error, WITHSCORES not supported in combination with BYLEX"
    assert error(r, "ZRANGE", "z", "0", "1", "FOO") == "syntax error"
    assert error(r, "ZRANGE", "z", "a", "1") == NOT_INT.removeprefix("ERR ")
    assert error(r, "ZRANGE", "z", "0", "1", "BYSCORE", "LIMIT", "x", "1") == \
        NOT_INT.removeprefix("ERR ")
    assert error(r, "ZRANGEBYSCORE", "z", "x", "1") == SCORE_RANGE
    assert error(r, "ZRANGEBYLEX", "z", "x", "+") == LEX_RANGE
    assert error(r, "ZRANGEBYSCORE", "z", "0", "1", "REV") == "syntax error"
    assert error(r, "ZRANGESTORE", "d", "z", "0", "1", "WITHSCORES") == "syntax error"
    r.set("s", "x")
    assert error(r, "ZRANGE", "s", "0", "1") == WRONGTYPE


def test_rangestore(r):
    zset(r, "z", *[(f"m{i}", i) for i in range(5)])
    assert raw(r, "ZRANGESTORE", "d", "z", "1", "3") == 3
    assert raw(r, "ZRANGE", "d", "0", "-1", "WITHSCORES") == \
        [b"m1", b"1", b"m2", b"2", b"m3", b"3"]
    assert raw(r, "ZRANGESTORE", "d", "z", "+inf", "3", "BYSCORE", "REV", "LIMIT", "0", "1") == 1
    assert raw(r, "ZRANGE", "d", "0", "-1") == [b"m4"]
    assert encoding(r, "d") == "listpack".encode()
    assert raw(r, "ZRANGESTORE", "d", "z", "10", "20") == 0
    assert r.exists("d") == 0
    assert raw(r, "ZRANGESTORE", "d", "none", "0", "-1") == 0


# ---- removal -------------------------------------------------------------------------------

def test_zrem_and_remrange(r):
    zset(r, "z", *[(f"m{i}", i) for i in range(10)])
    assert raw(r, "ZREM", "z", "m0", "x", "m1") == 2
    assert raw(r, "ZREMRANGEBYRANK", "z", "0", "1") == 2
    assert raw(r, "ZREMRANGEBYSCORE", "z", "(4", "5") == 1
    assert raw(r, "ZRANGE", "z", "0", "-1") == [b"m4", b"m6", b"m7", b"m8", b"m9"]
    assert raw(r, "ZREMRANGEBYRANK", "z", "-1", "-1") == 1
    assert raw(r, "ZREMRANGEBYRANK", "z", "10", "20") == 0
    zset(r, "l", ("a", 0), ("b", 0), ("c", 0))
    assert raw(r, "ZREMRANGEBYLEX", "l", "[a", "(c") == 2
    assert raw(r, "ZREMRANGEBYLEX", "l", "-", "+") == 1
    assert r.exists("l") == 0
    assert raw(r, "ZREM", "none", "a") == 0
    assert error(r, "ZREMRANGEBYSCORE", "z", "x", "1") == SCORE_RANGE
    assert error(r, "ZREMRANGEBYLEX", "z", "x", "+") == LEX_RANGE
    assert error(r, "ZREMRANGEBYRANK", "z", "x", "1") == NOT_INT.removeprefix("ERR ")
    assert raw(r, "ZREMRANGEBYSCORE", "z", "-inf", "+inf") == 4
    assert r.exists("z") == 0


# ---- pops ----------------------------------------------------------------------------------

def test_pops(r):
    zset(r, "z", ("a", 1), ("b", 2), ("c", 3), ("d", 4))
    assert raw(r, "ZPOPMIN", "z") == [b"a", b"1"]
    assert raw(r, "ZPOPMAX", "z", "2") == [b"d", b"4", b"c", b"3"]
    assert raw(r, "ZPOPMIN", "z", "0") == []
    assert raw(r, "ZPOPMIN", "none") == []
    assert raw(r, "ZPOPMIN", "z", "10") == [b"b", b"2"]
    assert r.exists("z") == 0
    assert error(r, "ZPOPMIN", "z", "-1") == "value is out of range, must be positive"
    assert error(r, "ZPOPMIN", "z", "1", "2") == "syntax error"
    zset(r, "z", ("a", 1), ("b", 2))
    assert raw(r, "ZMPOP", "2", "none", "z", "MAX", "COUNT", "5") == \
        [b"z", [[b"b", b"2"], [b"a", b"1"]]]
    assert raw(r, "ZMPOP", "1", "z", "MIN") is None
    assert error(r, "ZMPOP", "0", "z", "MIN") == "numkeys should be greater than 0"
    assert error(r, "ZMPOP", "1", "z", "LEFT") == "syntax error"
    assert error(r, "ZMPOP", "2", "z", "MIN") == "syntax error"
    assert error(r, "ZMPOP", "1", "z", "MIN", "COUNT", "0") == "count should be greater than 0"


def test_blocking_pops(server, r):
    zset(r, "z", ("a", 1), ("b", 2))
    assert raw(r, "BZPOPMIN", "none", "z", "0") == [b"z", b"a", b"1"]
    assert raw(r, "BZPOPMAX", "z", "0.01") == [b"z", b"b", b"2"]
    assert raw(r, "BZPOPMAX", "z", "0.01") is None
    assert raw(r, "BZMPOP", "0.01", "1", "z", "MIN") is None
    assert error(r, "BZPOPMIN", "z", "x") == "timeout is not a float or out of range"
    result = {}

    def waiter():
        c = redis.Redis(port=server.port)
        result["v"] = raw(c, "BZPOPMIN", "q", "5")

    t = threading.Thread(target=waiter)
    t.start()
    time.sleep(0.3)
    r.zadd("q", {"x": 7})
    t.join(5)
    assert result["v"] == [b"q", b"x", b"7"]
    assert r.exists("q") == 0

    def mwaiter():
        c = redis.Redis(port=server.port)
        result["m"] = raw(c, "BZMPOP", "5", "2", "q1", "q2", "MAX", "COUNT", "2")

    t = threading.Thread(target=mwaiter)
    t.start()
    time.sleep(0.3)
    r.zadd("src", {"u": 1, "v": 2, "w": 3})
    raw(r, "ZUNIONSTORE", "q2", "1", "src")
    t.join(5)
    assert result["m"] == [b"q2", [[b"w", b"3"], [b"v", b"2"]]]


# ---- ZRANDMEMBER / ZSCAN -------------------------------------------------------------------

def test_zrandmember(r):
    zset(r, "z", ("a", 1), ("b", 2), ("c", 3))
    assert raw(r, "ZRANDMEMBER", "z") in (b"a", b"b", b"c")
    assert raw(r, "ZRANDMEMBER", "none") is None
    assert sorted(raw(r, "ZRANDMEMBER", "z", "5")) == [b"a", b"b", b"c"]
    assert len(set(raw(r, "ZRANDMEMBER", "z", "2"))) == 2
    assert len(raw(r, "ZRANDMEMBER", "z", "-7")) == 7
    ws = raw(r, "ZRANDMEMBER", "z", "-4", "WITHSCORES")
    assert len(ws) == 8 and all(ws[i + 1] == {b"a": b"1", b"b": b"2", b"c": b"3"}[ws[i]]
                                for i in range(0, 8, 2))
    assert raw(r, "ZRANDMEMBER", "z", "0") == []
    assert raw(r, "ZRANDMEMBER", "none", "3") == []
    assert error(r, "ZRANDMEMBER", "z", "1", "foo") == "syntax error"
    assert error(r, "ZRANDMEMBER", "z", "x") == NOT_INT.removeprefix("ERR ")
    assert error(r, "ZRANDMEMBER", "z", "-9223372036854775808") == \
        "value is out of range, value must between -9223372036854775807 and 9223372036854775807"
    assert error(r, "ZRANDMEMBER", "z", "-9223372036854775807", "WITHSCORES") == \
        "value is out of range"


@pytest.mark.parametrize("big", [False, True])
def test_zscan(r, big):
    n = 300 if big else 20
    zset(r, "z", *[(f"m{i}", i + 0.5) for i in range(n)])
    seen = {}
    cursor = b"0"
    while True:
        cursor, items = raw(r, "ZSCAN", "z", cursor, "COUNT", "20")
        for i in range(0, len(items), 2):
            seen[items[i]] = items[i + 1]
        if cursor == b"0":
            break
    assert len(seen) == n and seen[b"m3"] == b"3.5"
    assert raw(r, "ZSCAN", "z", "0", "MATCH", "m1", "COUNT", "1000") == [b"0", [b"m1", b"1.5"]]
    assert raw(r, "ZSCAN", "none", "0") == [b"0", []]
    assert error(r, "ZSCAN", "z", "x") == "invalid cursor"


# ---- algebra -------------------------------------------------------------------------------

def test_union_inter_diff(r):
    zset(r, "a", ("x", 1), ("y", 2), ("z", 3))
    zset(r, "b", ("y", 10), ("z", 20), ("w", 30))
    r.sadd("s", "z", "w", "v")
    assert raw(r, "ZUNION", "2", "a", "b", "WITHSCORES") == \
        [b"x", b"1", b"y", b"12", b"z", b"23", b"w", b"30"]
    assert raw(r, "ZINTER", "2", "a", "b", "AGGREGATE", "MAX", "WITHSCORES") == \
        [b"y", b"10", b"z", b"20"]
    assert raw(r, "ZINTER", "2", "a", "b", "WEIGHTS", "2", "0.5", "AGGREGATE", "MIN") == \
        [b"y", b"z"]
    assert raw(r, "ZDIFF", "2", "a", "b", "WITHSCORES") == [b"x", b"1"]
    assert raw(r, "ZUNION", "2", "a", "s", "WITHSCORES") == \
        [b"v", b"1", b"w", b"1", b"x", b"1", b"y", b"2", b"z", b"4"]
    assert raw(r, "ZINTER", "3", "a", "b", "s") == [b"z"]
    assert raw(r, "ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "-1") == 4
    assert raw(r, "ZRANGE", "d", "0", "-1", "WITHSCORES") == \
        [b"w", b"-30", b"z", b"-17", b"y", b"-8", b"x", b"1"]
    assert raw(r, "ZINTERSTORE", "d", "2", "a", "none") == 0
    assert r.exists("d") == 0
    assert raw(r, "ZDIFFSTORE", "d", "1", "a") == 3
    assert raw(r, "ZINTERCARD", "2", "a", "b") == 2
    assert raw(r, "ZINTERCARD", "2", "a", "b", "LIMIT", "1") == 1
    zset(r, "inf", ("x", float("inf")))
    zset(r, "ninf", ("x", float("-inf")))
    assert raw(r, "ZUNION", "2", "inf", "ninf", "WITHSCORES") == [b"x", b"0"]
    assert raw(r, "ZUNION", "1", "inf", "WEIGHTS", "0", "WITHSCORES") == [b"x", b"0"]


def test_algebra_errors(r):
    zset(r, "a", ("x", 1))
    r.set("str", "v")
    assert error(r, "ZUNION", "0", "a") == "at least 1 input key is needed for 'zunion' command"
    assert error(r, "ZUNIONSTORE", "d", "0", "a") == \
        "at least 1 input key is needed for 'zunionstore' command"
    assert error(r, "ZUNION", "x", "a") == NOT_INT.removeprefix("ERR ")
    assert error(r, "ZUNION", "3", "a") == "syntax error"
    assert error(r, "ZUNION", "1", "a", "WEIGHTS", "x") == "weight value is not a float"
    assert error(r, "ZUNION", "1", "a", "WEIGHTS") == "syntax error"
    assert error(r, "ZUNION", "1", "a", "AGGREGATE", "avg") == "syntax error"
    assert error(r, "ZDIFF", "1", "a", "WEIGHTS", "1") == "syntax error"
    assert error(r, "ZUNIONSTORE", "d", "1", "a", "WITHSCORES") == "syntax error"
    assert error(r, "ZINTERCARD", "1", "a", "LIMIT", "-1") == "LIMIT can't be negative"
    assert error(r, "ZINTERCARD", "0", "a") == \
        "at least 1 input key is needed for 'zintercard' command"
    assert error(r, "ZUNION", "2", "a", "str") == WRONGTYPE


# ---- encodings, conversions, SORT, RESP3, dirty, COMMAND ----------------------------------

def test_encodings_and_conversions(r):
    r.config_set("zset-max-listpack-entries", "4")
    r.config_set("zset-max-listpack-value", "8")
    try:
        zset(r, "z", *[(f"m{i}", i) for i in range(4)])
        assert encoding(r, "z") == "listpack".encode()
        r.zadd("z", {"m9": 9})
        assert encoding(r, "z") == "skiplist".encode()
        r.zrem("z", "m9")
        assert encoding(r, "z") == "skiplist".encode()
        r.zadd("long", {"a-very-long-member": 1})
        assert encoding(r, "long") == "skiplist".encode()
        raw(r, "ZUNIONSTORE", "u", "1", "z")
        assert encoding(r, "u") == "listpack".encode()
        raw(r, "ZRANGESTORE", "rs", "z", "0", "-1")
        assert encoding(r, "rs") == "listpack".encode()
        assert raw(r, "ZRANGE", "rs", "0", "-1") == [b"m0", b"m1", b"m2", b"m3"]
    finally:
        r.config_set("zset-max-listpack-entries", "128")
        r.config_set("zset-max-listpack-value", "64")


def test_sort_sorted_sets(r):
    zset(r, "z", ("c", 1), ("a", 2), ("b", 3))
    assert raw(r, "SORT", "z", "ALPHA") == [b"a", b"b", b"c"]
    assert raw(r, "SORT", "z", "BY", "nosort") == [b"c", b"a", b"b"]
    assert raw(r, "SORT", "z", "BY", "nosort", "DESC") == [b"b", b"a", b"c"]
    assert raw(r, "SORT", "z", "BY", "nosort", "LIMIT", "1", "5") == [b"a", b"b"]
    assert raw(r, "SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "1") == [b"a"]


def test_resp3_shapes(server, r):
    zset(r, "z", ("a", 1), ("b", 2.5))
    replies = request(server.port, ("ZSCORE", "z", "b"), ("ZRANGE", "z", "0", "-1", "WITHSCORES"),
                      ("ZPOPMIN", "z"), ("ZADD", "z", "1", "a"), ("ZPOPMIN", "z", "1"),
                      ("ZSCORE", "z", "x"), ("ZMSCORE", "z", "b", "x"),
                      ("ZINCRBY", "z", "1", "b"), ("ZRANDMEMBER", "z", "1", "WITHSCORES"),
                      resp3=True)
    assert replies[0].kind == "," and replies[0].value == b"2.5"
    assert [[x.kind for x in p.value] for p in replies[1].value] == [["$", ","], ["$", ","]]
    assert [x.kind for x in replies[2].value] == ["$", ","]
    assert replies[4].kind == "*" and replies[4].value[0].kind == "*"
    assert replies[5].kind == "_"
    assert [x.kind for x in replies[6].value] == [",", "_"]
    assert replies[7].kind == "," and replies[7].value == b"3.5"
    assert replies[8].value[0].kind == "*"


def test_dirty_counts(r):
    before = dirty(r)
    r.zadd("z", {"a": 1, "b": 2})
    assert dirty(r) - before == 2
    r.zadd("z", {"a": 1})
    assert dirty(r) - before == 2
    r.zadd("z", {"a": 5})
    assert dirty(r) - before == 3
    r.zrem("z", "a", "x")
    assert dirty(r) - before == 4
    r.zadd("p", {f"m{i}": i for i in range(10)})
    before = dirty(r)
    r.zpopmin("p", 3)
    assert dirty(r) - before == 3
    r.zremrangebyrank("p", 0, 1)
    assert dirty(r) - before == 5


def test_command_info(r):
    info = raw(r, "COMMAND", "INFO", "zadd", "zunionstore", "bzmpop")
    assert info[0][1] == -4 and info[1][1] == -4 and info[2][1] == -5
    assert raw(r, "COMMAND", "GETKEYS", "ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2") \
        == [b"d", b"a", b"b"]
    assert raw(r, "COMMAND", "GETKEYS", "BZMPOP", "0", "2", "a", "b", "MIN") == [b"a", b"b"]
