"""String commands: GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX MGET MSET MSETNX APPEND
STRLEN INCR DECR INCRBY DECRBY INCRBYFLOAT GETRANGE SUBSTR SETRANGE LCS, with Redis 7.0's
replies, encodings, error texts and dirty-counter effects."""
import time

import pytest
import redis

from conftest import I64_MAX, I64_MIN, NOT_INT, WRONGTYPE, dirty, encoding
from resp_util import error, first_reply_line, raw, raw_command

NOT_FLOAT = "value is not a valid float"


# --- GET, SET -------------------------------------------------------------------------------


def test_get(r, nonstring):
    assert r.get("k") is None
    r.set("k", "v")
    assert r.get("k") == b"v"
    assert r.get("") is None
    r.set("", "empty key")
    assert r.get("") == b"empty key"
    assert error(r, "GET", nonstring) == WRONGTYPE
    assert error(r, "GET") == "wrong number of arguments for 'get' command"
    assert error(r, "GET", "a", "b") == "wrong number of arguments for 'get' command"


def test_get_binary_and_empty_values(r):
    value = bytes(range(256)) * 3
    r.set("bin", value)
    assert r.get("bin") == value
    r.set("e", "")
    assert r.get("e") == b""
    assert r.exists("e") == 1
    assert r.strlen("e") == 0


def test_set_overwrites_any_type(r, nonstring):
    assert r.set(nonstring, "now a string") is True
    assert r.type(nonstring) == b"string"
    assert r.get(nonstring) == b"now a string"


def test_set_nx_xx(r):
    assert raw(r, "SET", "k", "1", "NX") == b"OK"
    assert raw(r, "SET", "k", "2", "NX") is None
    assert r.get("k") == b"1"
    assert raw(r, "SET", "k", "3", "XX") == b"OK"
    assert r.get("k") == b"3"
    assert raw(r, "SET", "missing", "v", "XX") is None
    assert r.exists("missing") == 0
    assert raw(r, "SET", "k", "4", "nx") is None  # options are case-insensitive
    assert error(r, "SET", "k", "v", "NX", "XX") == "syntax error"
    assert error(r, "SET", "k", "v", "XX", "NX") == "syntax error"
    # Repeating the same flag is fine.
    assert raw(r, "SET", "k", "5", "XX", "XX") == b"OK"


def test_set_get_option(r, nonstring):
    assert raw(r, "SET", "k", "a", "GET") is None
    assert r.get("k") == b"a"
    assert raw(r, "SET", "k", "b", "GET") == b"a"
    assert raw(r, "SET", "k", "c", "GET", "GET") == b"b"
    assert r.get("k") == b"c"
    # GET with NX (allowed since 7.0): replies the old value and does not set.
    assert raw(r, "SET", "k", "d", "NX", "GET") == b"c"
    assert r.get("k") == b"c"
    assert raw(r, "SET", "new", "d", "NX", "GET") is None
    assert r.get("new") == b"d"
    assert raw(r, "SET", "nokey", "d", "XX", "GET") is None
    assert r.exists("nokey") == 0
    # GET on a non-string: WRONGTYPE, and nothing is set.
    assert error(r, "SET", nonstring, "v", "GET") == WRONGTYPE
    assert r.type(nonstring) != b"string"


def test_set_expire_options(r):
    assert raw(r, "SET", "k", "v", "EX", "100") == b"OK"
    assert 99 <= r.ttl("k") <= 100
    assert raw(r, "SET", "k", "v", "PX", "100000") == b"OK"
    assert 99000 <= r.pttl("k") <= 100000
    future = int(time.time()) + 100
    assert raw(r, "SET", "k", "v", "EXAT", future) == b"OK"
    assert 98 <= r.ttl("k") <= 100
    assert raw(r, "SET", "k", "v", "PXAT", future * 1000) == b"OK"
    assert 98 <= r.ttl("k") <= 100
    # The largest accepted values.
    assert raw(r, "SET", "k", "v", "EX", "9223372036854") == b"OK"
    assert r.ttl("k") == 9223372036854
    assert raw(r, "SET", "k", "v", "PXAT", I64_MAX) == b"OK"
    assert r.pttl("k") > 0
    # A plain SET drops the TTL.
    r.set("k", "v2")
    assert r.ttl("k") == -1
    # Repeating EX is allowed: the last one wins.
    assert raw(r, "SET", "k", "v", "EX", "10", "EX", "20") == b"OK"
    assert r.ttl("k") == 20


def test_set_expire_in_the_past_deletes_the_key(r):
    assert raw(r, "SET", "k", "v", "EXAT", "1") == b"OK"
    assert r.get("k") is None
    assert r.exists("k") == 0
    assert raw(r, "SET", "k", "v", "PXAT", "1000") == b"OK"
    assert r.exists("k") == 0


def test_set_px_expires(r):
    raw(r, "SET", "k", "v", "PX", "50")
    assert r.get("k") == b"v"
    time.sleep(0.15)
    assert r.get("k") is None


@pytest.mark.parametrize("opt,value", [
    ("EX", "0"), ("EX", "-1"), ("PX", "0"), ("PX", "-5"), ("EXAT", "0"), ("PXAT", "-1"),
    # Overflows: seconds * 1000, or now + the relative time.
    ("EX", "9223372036854776"), ("EX", "9223372036854775"), ("PX", str(I64_MAX)),
    ("EXAT", str(I64_MAX)),
])
def test_set_invalid_expire(r, opt, value):
    r.set("k", "old")
    assert error(r, "SET", "k", "v", opt, value) == "invalid expire time in 'set' command"
    assert r.get("k") == b"old"


@pytest.mark.parametrize("opt", ["EX", "PX", "EXAT", "PXAT"])
def test_set_expire_not_an_integer(r, opt):
    assert error(r, "SET", "k", "v", opt, "abc") == NOT_INT
    assert error(r, "SET", "k", "v", opt, "1.5") == NOT_INT
    assert error(r, "SET", "k", "v", opt, "") == NOT_INT
    assert r.exists("k") == 0


def test_set_expire_checked_before_get_type(r, nonstring):
    # Redis validates the time before GET looks at the old value.
    assert error(r, "SET", nonstring, "v", "GET", "EX", "0") == \
        "invalid expire time in 'set' command"


def test_set_keepttl(r):
    r.set("k", "v", ex=100)
    assert raw(r, "SET", "k", "v2", "KEEPTTL") == b"OK"
    assert r.get("k") == b"v2"
    assert 99 <= r.ttl("k") <= 100
    assert raw(r, "SET", "nottl", "v", "KEEPTTL") == b"OK"
    assert r.ttl("nottl") == -1


@pytest.mark.parametrize("args", [
    ["EX", "10", "PX", "10"], ["PX", "10", "EX", "10"], ["EX", "10", "EXAT", "10"],
    ["EXAT", "10", "PXAT", "10"], ["PXAT", "10", "PX", "10"], ["EX", "10", "KEEPTTL"],
    ["KEEPTTL", "EX", "10"], ["KEEPTTL", "PXAT", "10"], ["EX"], ["PX"], ["EXAT"], ["PXAT"],
    ["NX", "EX"], ["PERSIST"], ["FOO"], ["EX", "10", "FOO"], ["GETX"], ["N"], ["NXX"],
])
def test_set_syntax_errors(r, args):
    assert error(r, "SET", "k", "v", *args) == "syntax error"
    assert r.exists("k") == 0


def test_set_arity(r):
    assert error(r, "SET", "k") == "wrong number of arguments for 'set' command"
    assert error(r, "SET") == "wrong number of arguments for 'set' command"


def test_error_replies_carry_err_prefix(server):
    assert first_reply_line(server.port, "SET", "k", "v", "FOO") == b"-ERR syntax error"
    assert first_reply_line(server.port, "SET", "k", "v", "EX", "0") == \
        b"-ERR invalid expire time in 'set' command"
    assert first_reply_line(server.port, "INCRBY", "k", "x") == \
        b"-ERR value is not an integer or out of range"


# --- Encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize("value,enc", [
    ("123", "int"), ("-5", "int"), ("0", "int"), (str(I64_MAX), "int"), (str(I64_MIN), "int"),
    ("9223372036854775808", "embstr"), ("0123", "embstr"), ("-0", "embstr"), ("+1", "embstr"),
    (" 1", "embstr"), ("1.5", "embstr"), ("hello", "embstr"), ("x" * 44, "embstr"),
    ("x" * 45, "raw"), ("", "embstr"),
])
def test_set_encoding(r, value, enc):
    r.set("k", value)
    assert encoding(r, "k") == enc.encode()
    r.mset({"m": value})
    assert encoding(r, "m") == enc.encode()
    r.getset("g", value)
    assert encoding(r, "g") == enc.encode()
    r.setex("e", 100, value)
    assert encoding(r, "e") == enc.encode()


# --- SETNX, SETEX, PSETEX, GETSET, GETDEL ---------------------------------------------------


def test_setnx(r, nonstring):
    assert r.setnx("k", "1") is True
    assert r.setnx("k", "2") is False
    assert r.get("k") == b"1"
    assert raw(r, "SETNX", nonstring, "x") == 0
    assert error(r, "SETNX", "k") == "wrong number of arguments for 'setnx' command"


def test_setex_psetex(r):
    assert r.setex("k", 100, "v") is True
    assert r.get("k") == b"v"
    assert 99 <= r.ttl("k") <= 100
    assert r.psetex("p", 100000, "v") is True
    assert 99000 <= r.pttl("p") <= 100000
    for cmd in ("SETEX", "PSETEX"):
        name = cmd.lower()
        assert error(r, cmd, "k", "0", "v") == f"invalid expire time in '{name}' command"
        assert error(r, cmd, "k", "-10", "v") == f"invalid expire time in '{name}' command"
        assert error(r, cmd, "k", "abc", "v") == NOT_INT
        assert error(r, cmd, "k", "v") == f"wrong number of arguments for '{name}' command"
    assert error(r, "SETEX", "k", "9223372036854776", "v") == \
        "invalid expire time in 'setex' command"
    assert error(r, "PSETEX", "k", str(I64_MAX), "v") == "invalid expire time in 'psetex' command"
    assert r.get("k") == b"v"


def test_getset(r, nonstring):
    assert r.getset("k", "1") is None
    assert r.getset("k", "2") == b"1"
    assert r.get("k") == b"2"
    r.expire("k", 100)
    assert r.getset("k", "3") == b"2"
    assert r.ttl("k") == -1  # GETSET drops the TTL like SET
    assert error(r, "GETSET", nonstring, "v") == WRONGTYPE
    assert r.type(nonstring) != b"string"
    assert error(r, "GETSET", "k") == "wrong number of arguments for 'getset' command"


def test_getdel(r, nonstring):
    r.set("k", "v")
    assert r.getdel("k") == b"v"
    assert r.exists("k") == 0
    assert r.getdel("k") is None
    r.set("n", 42)
    assert r.getdel("n") == b"42"
    assert error(r, "GETDEL", nonstring) == WRONGTYPE
    assert r.exists(nonstring) == 1
    assert error(r, "GETDEL", "a", "b") == "wrong number of arguments for 'getdel' command"


# --- GETEX ----------------------------------------------------------------------------------


def test_getex_without_options_is_get(r):
    assert r.getex("k") is None
    r.set("k", "v", ex=100)
    assert r.getex("k") == b"v"
    assert 99 <= r.ttl("k") <= 100


def test_getex_sets_and_removes_ttl(r):
    r.set("k", "v")
    assert raw(r, "GETEX", "k", "EX", "100") == b"v"
    assert 99 <= r.ttl("k") <= 100
    assert raw(r, "GETEX", "k", "PX", "200000") == b"v"
    assert 199 <= r.ttl("k") <= 200
    future = int(time.time()) + 300
    assert raw(r, "GETEX", "k", "EXAT", future) == b"v"
    assert 298 <= r.ttl("k") <= 300
    assert raw(r, "GETEX", "k", "PXAT", (future + 100) * 1000) == b"v"
    assert 398 <= r.ttl("k") <= 400
    assert raw(r, "GETEX", "k", "PERSIST") == b"v"
    assert r.ttl("k") == -1
    assert raw(r, "GETEX", "k", "persist") == b"v"  # no TTL: nothing to do
    assert raw(r, "GETEX", "k", "ex", "5", "ex", "50") == b"v"
    assert 49 <= r.ttl("k") <= 50


def test_getex_past_time_deletes(r):
    r.set("k", "v")
    assert raw(r, "GETEX", "k", "EXAT", "1") == b"v"
    assert r.exists("k") == 0
    r.set("k", "v")
    assert raw(r, "GETEX", "k", "PXAT", "1") == b"v"
    assert r.exists("k") == 0


def test_getex_errors(r, nonstring):
    # A missing key answers nil before the time is even looked at.
    assert raw(r, "GETEX", "nokey", "EX", "abc") is None
    assert raw(r, "GETEX", "nokey", "EX", "0") is None
    r.set("k", "v")
    assert error(r, "GETEX", "k", "EX", "abc") == NOT_INT
    assert error(r, "GETEX", "k", "EX", "0") == "invalid expire time in 'getex' command"
    assert error(r, "GETEX", "k", "PX", "-1") == "invalid expire time in 'getex' command"
    assert error(r, "GETEX", "k", "EX", "9223372036854776") == \
        "invalid expire time in 'getex' command"
    assert error(r, "GETEX", "k", "EXAT", str(I64_MAX)) == "invalid expire time in 'getex' command"
    for args in (["EX", "10", "PX", "10"], ["PERSIST", "EX", "10"], ["EX", "10", "PERSIST"],
                 ["EX"], ["KEEPTTL"], ["NX"], ["XX"], ["GET"], ["FOO"], ["PXAT", "1", "EXAT", "1"]):
        assert error(r, "GETEX", "k", *args) == "syntax error", args
    assert r.ttl("k") == -1
    assert error(r, "GETEX", nonstring) == WRONGTYPE
    # The type is checked before the time.
    assert error(r, "GETEX", nonstring, "EX", "0") == WRONGTYPE
    assert error(r, "GETEX") == "wrong number of arguments for 'getex' command"


# --- MGET, MSET, MSETNX ---------------------------------------------------------------------


def test_mget(r, nonstring):
    r.mset({"a": "1", "b": "2"})
    assert r.mget("a", "nokey", "b", nonstring, "a") == [b"1", None, b"2", None, b"1"]
    assert error(r, "MGET") == "wrong number of arguments for 'mget' command"


def test_mset(r, nonstring):
    r.set("a", "old", ex=100)
    assert raw(r, "MSET", "a", "1", "b", "2", nonstring, "3") == b"OK"
    assert r.mget("a", "b", nonstring) == [b"1", b"2", b"3"]
    assert r.ttl("a") == -1
    # The last of repeated keys wins.
    assert raw(r, "MSET", "d", "1", "d", "2") == b"OK"
    assert r.get("d") == b"2"
    assert error(r, "MSET", "a", "1", "b") == "wrong number of arguments for 'mset' command"
    assert error(r, "MSET", "a") == "wrong number of arguments for 'mset' command"
    assert r.get("b") == b"2"


def test_msetnx(r):
    assert raw(r, "MSETNX", "a", "1", "b", "2") == 1
    assert raw(r, "MSETNX", "c", "3", "a", "x") == 0
    assert r.exists("c") == 0
    assert r.get("a") == b"1"
    assert raw(r, "MSETNX", "d", "1", "d", "2") == 1
    assert r.get("d") == b"2"
    assert error(r, "MSETNX", "a", "1", "b") == "wrong number of arguments for 'msetnx' command"
    assert error(r, "MSETNX", "a") == "wrong number of arguments for 'msetnx' command"


# --- APPEND, STRLEN -------------------------------------------------------------------------


def test_append(r, nonstring):
    assert r.append("k", "Hello") == 5
    assert encoding(r, "k") == b"embstr"
    assert r.append("k", " World") == 11
    assert r.get("k") == b"Hello World"
    assert encoding(r, "k") == b"raw"
    assert r.append("k", "") == 11
    assert error(r, "APPEND", nonstring, "x") == WRONGTYPE
    assert error(r, "APPEND", "k") == "wrong number of arguments for 'append' command"


def test_append_encodings(r):
    # A new key stores the argument like SET does; appending to an int makes it raw.
    assert r.append("n", "123") == 3
    assert encoding(r, "n") == b"int"
    assert r.append("n", "4") == 4
    assert r.get("n") == b"1234"
    assert encoding(r, "n") == b"raw"
    assert r.incr("n") == 1235
    assert encoding(r, "n") == b"int"


def test_append_keeps_ttl(r):
    r.set("k", "a", ex=100)
    r.append("k", "b")
    assert 99 <= r.ttl("k") <= 100


def test_strlen(r, nonstring):
    assert r.strlen("nokey") == 0
    r.set("k", "hello")
    assert r.strlen("k") == 5
    r.set("n", -12345)
    assert r.strlen("n") == 6
    r.set("b", "x" * 1000)
    assert r.strlen("b") == 1000
    assert error(r, "STRLEN", nonstring) == WRONGTYPE
    assert error(r, "STRLEN") == "wrong number of arguments for 'strlen' command"


# --- INCR family ----------------------------------------------------------------------------


def test_incr_decr(r):
    assert r.incr("k") == 1
    assert r.incr("k") == 2
    assert r.decr("k") == 1
    assert r.decr("d") == -1
    assert r.incrby("k", 10) == 11
    assert r.incrby("k", -20) == -9
    assert r.decrby("k", 1) == -10
    assert r.decrby("k", -100) == 90
    assert r.get("k") == b"90"
    assert encoding(r, "k") == b"int"


def test_incr_on_strings(r):
    r.set("k", "10")
    assert r.incr("k") == 11
    r.set("big", "x" * 50)
    r.setrange("raw", 0, "41")  # a raw-encoded number
    assert encoding(r, "raw") == b"raw"
    assert r.incr("raw") == 42
    assert encoding(r, "raw") == b"int"
    for bad in ("abc", "1.5", " 1", "1 ", "", "01", "+1", "9223372036854775808", "1e3", "-0"):
        r.set("bad", bad)
        assert error(r, "INCR", "bad") == NOT_INT, bad
        assert error(r, "INCRBY", "bad", "1") == NOT_INT
        assert error(r, "DECR", "bad") == NOT_INT
        assert r.get("bad") == bad.encode()
    assert error(r, "INCR", "big") == NOT_INT


def test_incr_wrongtype_and_arity(r, nonstring):
    for cmd in (["INCR", nonstring], ["DECR", nonstring], ["INCRBY", nonstring, "1"],
                ["DECRBY", nonstring, "1"], ["INCRBYFLOAT", nonstring, "1"]):
        assert error(r, *cmd) == WRONGTYPE
    # The type check comes before the increment's parse (except for INCRBY/DECRBY, which
    # parse their argument first).
    assert error(r, "INCRBYFLOAT", nonstring, "abc") == WRONGTYPE
    assert error(r, "INCRBY", nonstring, "abc") == NOT_INT
    assert error(r, "INCR") == "wrong number of arguments for 'incr' command"
    assert error(r, "INCRBY", "k") == "wrong number of arguments for 'incrby' command"
    assert error(r, "DECRBY", "k", "1", "2") == "wrong number of arguments for 'decrby' command"
    assert error(r, "INCRBYFLOAT", "k") == "wrong number of arguments for 'incrbyfloat' command"


def test_incr_overflow(r):
    r.set("k", I64_MAX)
    assert error(r, "INCR", "k") == "increment or decrement would overflow"
    assert error(r, "INCRBY", "k", "1") == "increment or decrement would overflow"
    assert r.get("k") == str(I64_MAX).encode()
    assert r.decrby("k", I64_MAX) == 0
    r.set("k", I64_MIN)
    assert error(r, "DECR", "k") == "increment or decrement would overflow"
    assert error(r, "INCRBY", "k", "-1") == "increment or decrement would overflow"
    assert r.incrby("k", I64_MAX) == -1
    r.set("z", 0)
    assert error(r, "DECRBY", "z", str(I64_MIN)) == "decrement would overflow"
    assert r.incrby("z", I64_MIN) == I64_MIN
    assert r.decrby("z", -1) == I64_MIN + 1


def test_incrby_argument_errors(r):
    for bad in ("abc", "1.0", "", " 1", "9223372036854775808"):
        assert error(r, "INCRBY", "k", bad) == NOT_INT
        assert error(r, "DECRBY", "k", bad) == NOT_INT
    assert r.exists("k") == 0


def test_incr_keeps_ttl(r):
    r.set("k", "1", ex=100)
    r.incr("k")
    r.incrby("k", 5)
    r.decr("k")
    assert 99 <= r.ttl("k") <= 100
    assert r.get("k") == b"6"


def test_incrbyfloat(r):
    assert r.incrbyfloat("k", 10.5) == 10.5
    assert raw(r, "INCRBYFLOAT", "k", "0.1") == b"10.6"
    assert raw(r, "INCRBYFLOAT", "k", "-5") == b"5.6"
    r.set("e", "5.0e3")
    assert raw(r, "INCRBYFLOAT", "e", "2.0e2") == b"5200"
    assert raw(r, "INCRBYFLOAT", "x", "1.1") == b"1.1"
    assert raw(r, "INCRBYFLOAT", "x", "0.00000000000000001") == b"1.10000000000000001"
    assert raw(r, "INCRBYFLOAT", "z", "-0") == b"0"
    assert raw(r, "INCRBYFLOAT", "big", "1e30") == \
        b"1000000000000000000024696061952"
    r.set("i", 3)
    assert raw(r, "INCRBYFLOAT", "i", "1.5") == b"4.5"
    assert r.get("i") == b"4.5"
    assert raw(r, "INCRBYFLOAT", "h", "0x10") == b"16"


def test_incrbyfloat_stores_a_string(r):
    # Redis stores the printed result as a string, never int-encoded, even when integral.
    assert raw(r, "INCRBYFLOAT", "k", "1") == b"1"
    assert encoding(r, "k") == b"embstr"
    assert r.incr("k") == 2
    assert encoding(r, "k") == b"int"


def test_incrbyfloat_keeps_ttl(r):
    r.set("k", "1", ex=100)
    r.incrbyfloat("k", 1.5)
    assert 99 <= r.ttl("k") <= 100


def test_incrbyfloat_errors(r):
    for bad in ("abc", "", " 1", "1 ", "nan", "1.5x"):
        assert error(r, "INCRBYFLOAT", "k", bad) == NOT_FLOAT, bad
    r.set("s", "abc")
    assert error(r, "INCRBYFLOAT", "s", "1") == NOT_FLOAT
    r.set("f", "1")
    assert error(r, "INCRBYFLOAT", "f", "inf") == "increment would produce NaN or Infinity"
    assert error(r, "INCRBYFLOAT", "f", "-inf") == "increment would produce NaN or Infinity"
    assert r.get("f") == b"1"
    assert r.exists("k") == 0


# --- GETRANGE, SUBSTR, SETRANGE -------------------------------------------------------------


@pytest.mark.parametrize("cmd", ["GETRANGE", "SUBSTR"])
def test_getrange(r, cmd, nonstring):
    r.set("k", "This is a string")
    cases = [
        (0, 3, b"This"), (-3, -1, b"ing"), (0, -1, b"This is a string"), (10, 100, b"string"),
        (5, 3, b""), (-1, -5, b""), (100, 200, b""), (-100, -200, b""), (-200, -100, b"T"),
        (-100, 2, b"Thi"), (15, 15, b"g"), (16, 20, b""), (I64_MIN, I64_MAX, b"This is a string"),
    ]
    for start, end, expected in cases:
        assert raw(r, cmd, "k", start, end) == expected, (start, end)
    assert raw(r, cmd, "nokey", 0, -1) == b""
    r.set("n", 12345)
    assert raw(r, cmd, "n", 1, 2) == b"23"
    r.set("empty", "")
    assert raw(r, cmd, "empty", 0, -1) == b""
    assert error(r, cmd, "k", "a", "1") == NOT_INT
    assert error(r, cmd, "k", "0", "1.5") == NOT_INT
    assert error(r, cmd, "nokey", "x", "1") == NOT_INT  # parsed before the lookup
    assert error(r, cmd, nonstring, 0, 1) == WRONGTYPE
    assert error(r, cmd, "k", 0) == f"wrong number of arguments for '{cmd.lower()}' command"


def test_setrange(r, nonstring):
    r.set("k", "Hello World")
    assert r.setrange("k", 6, "Redis") == 11
    assert r.get("k") == b"Hello Redis"
    assert encoding(r, "k") == b"raw"
    assert r.setrange("k", 11, "!") == 12
    assert r.get("k") == b"Hello Redis!"
    assert r.setrange("pad", 5, "x") == 6
    assert r.get("pad") == b"\x00" * 5 + b"x"
    assert encoding(r, "pad") == b"raw"
    assert r.setrange("s", 0, "a") == 1
    assert encoding(r, "s") == b"raw"
    assert r.setrange("k", 20, "end") == 23
    assert r.get("k") == b"Hello Redis!" + b"\x00" * 8 + b"end"


def test_setrange_empty_value(r):
    assert r.setrange("nokey", 10, "") == 0
    assert r.exists("nokey") == 0
    r.set("n", 123)
    assert r.setrange("n", 100, "") == 3
    assert encoding(r, "n") == b"int"  # untouched
    assert r.setrange("n", 1, "9") == 3
    assert r.get("n") == b"193"
    assert encoding(r, "n") == b"raw"


def test_setrange_keeps_ttl(r):
    r.set("k", "abc", ex=100)
    r.setrange("k", 1, "X")
    assert 99 <= r.ttl("k") <= 100


def test_setrange_errors(r, nonstring):
    assert error(r, "SETRANGE", "k", "-1", "x") == "offset is out of range"
    assert error(r, "SETRANGE", "k", "abc", "x") == NOT_INT
    assert error(r, "SETRANGE", "k", "1.5", "x") == NOT_INT
    too_big = "string exceeds maximum allowed size (proto-max-bulk-len)"
    assert error(r, "SETRANGE", "k", "536870912", "x") == too_big
    assert error(r, "SETRANGE", "k", "536870911", "ab") == too_big
    assert error(r, "SETRANGE", "k", str(I64_MAX), "ab") == too_big
    r.set("k", "v")
    assert error(r, "SETRANGE", "k", "536870912", "x") == too_big
    assert r.get("k") == b"v"
    # Nothing to write: no size check (and no key created).
    assert r.setrange("nokey", "536870912", "") == 0
    assert error(r, "SETRANGE", nonstring, "0", "x") == WRONGTYPE
    assert error(r, "SETRANGE", nonstring, "0", "") == WRONGTYPE
    assert error(r, "SETRANGE", "k", "0") == "wrong number of arguments for 'setrange' command"


def test_proto_max_bulk_len_limits_strings(make_server):
    s = make_server("--proto-max-bulk-len", "1mb")
    c = s.client()
    too_big = "string exceeds maximum allowed size (proto-max-bulk-len)"
    assert c.setrange("k", 1024 * 1024 - 1, "x") == 1024 * 1024
    assert error(c, "SETRANGE", "k2", 1024 * 1024 - 1, "xy") == too_big
    assert error(c, "APPEND", "k", "x") == too_big
    assert c.strlen("k") == 1024 * 1024
    c.close()


# --- LCS ------------------------------------------------------------------------------------


def test_lcs(r):
    r.mset({"key1": "ohmytext", "key2": "mynewtext"})
    assert raw(r, "LCS", "key1", "key2") == b"mytext"
    assert raw(r, "LCS", "key1", "key2", "LEN") == 6
    assert raw(r, "LCS", "key1", "key2", "IDX") == \
        [b"matches", [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], b"len", 6]
    assert raw(r, "LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4") == \
        [b"matches", [[[4, 7], [5, 8]]], b"len", 6]
    assert raw(r, "LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4",
                             "WITHMATCHLEN") == [b"matches", [[[4, 7], [5, 8], 4]], b"len", 6]
    assert raw(r, "LCS", "key1", "key2", "idx", "withmatchlen") == \
        [b"matches", [[[4, 7], [5, 8], 4], [[2, 3], [0, 1], 2]], b"len", 6]
    # A negative MINMATCHLEN counts as 0; options may repeat.
    assert raw(r, "LCS", "key1", "key2", "IDX", "MINMATCHLEN", "-5", "IDX") == \
        [b"matches", [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], b"len", 6]
    # WITHMATCHLEN and MINMATCHLEN without IDX change nothing.
    assert raw(r, "LCS", "key1", "key2", "WITHMATCHLEN") == b"mytext"
    assert raw(r, "LCS", "key1", "key2", "LEN", "MINMATCHLEN", "100") == 6


def test_lcs_tie_breaks_and_special_inputs(r):
    r.mset({"a": "ABCBDAB", "b": "BDCABA", "n1": 12345, "n2": 2345})
    assert raw(r, "LCS", "a", "b") == b"BDAB"
    assert raw(r, "LCS", "a", "b", "IDX", "WITHMATCHLEN") == \
        [b"matches", [[[5, 6], [3, 4], 2], [[3, 4], [0, 1], 2]], b"len", 4]
    assert raw(r, "LCS", "n1", "n2") == b"2345"
    assert raw(r, "LCS", "a", "nokey") == b""
    assert raw(r, "LCS", "nokey", "nokey2", "LEN") == 0
    assert raw(r, "LCS", "nokey", "a", "IDX") == [b"matches", [], b"len", 0]
    assert raw(r, "LCS", "a", "a") == b"ABCBDAB"


def test_lcs_errors(r, nonstring):
    r.mset({"a": "abc", "b": "abd"})
    assert error(r, "LCS", "a", "b", "LEN", "IDX") == \
        "If you want both the length and indexes, please just use IDX."
    assert error(r, "LCS", "a", "b", "FOO") == "syntax error"
    assert error(r, "LCS", "a", "b", "MINMATCHLEN") == "syntax error"
    assert error(r, "LCS", "a", "b", "MINMATCHLEN", "x") == NOT_INT
    assert error(r, "LCS", "a", nonstring) == "The specified keys must contain string values"
    assert error(r, "LCS", nonstring, "a") == "The specified keys must contain string values"
    # The key types are checked before the options.
    assert error(r, "LCS", nonstring, "a", "FOO") == "The specified keys must contain string values"
    assert error(r, "LCS", "a") == "wrong number of arguments for 'lcs' command"


def test_lcs_table_limit(make_server):
    s = make_server("--proto-max-bulk-len", "1mb")
    c = s.client()
    c.mset({"a": "x" * 600, "b": "y" * 600, "c": "x" * 400})
    # 601 * 601 cells of 4 bytes exceed 1 MB; 401 * 601 do not.
    assert error(c, "LCS", "a", "b") == \
        "Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
    assert raw(c, "LCS", "a", "c", "LEN") == 400
    c.close()


def test_lcs_resp3_map(server):
    r = server.client()
    r.flushall()
    r.mset({"key1": "ohmytext", "key2": "mynewtext"})
    out = raw_command(server.port, b"HELLO 3\r\nLCS key1 key2 IDX MINMATCHLEN 4\r\n")
    assert out.endswith(b"%2\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
                        b"$3\r\nlen\r\n:6\r\n")
    r.close()


# --- RESP3, dirty counter, command metadata -------------------------------------------------


def test_resp3_null_replies(server):
    r = server.client()
    r.flushall()
    out = raw_command(server.port, b"HELLO 3\r\nGET nokey\r\nSET k v XX\r\nMGET nokey\r\n"
                                   b"GETDEL nokey\r\nGETEX nokey\r\n")
    assert out.endswith(b"_\r\n_\r\n*1\r\n_\r\n_\r\n_\r\n")
    r.close()


def test_dirty_counter(r, nonstring):
    def delta(*cmd):
        before = dirty(r)
        try:
            r.execute_command(*cmd)
        except redis.ResponseError:
            pass
        return dirty(r) - before

    assert delta("SET", "k", "1") == 1
    assert delta("SET", "k", "1", "NX") == 0
    assert delta("SET", "k", "1", "XX", "GET") == 1
    assert delta("SET", "k", "1", "EX", "0") == 0
    assert delta("SETNX", "k", "1") == 0
    assert delta("SETEX", "k", "100", "1") == 1
    assert delta("GETSET", "k", "2") == 1
    assert delta("MSET", "a", "1", "b", "2", "c", "3") == 3
    assert delta("MSETNX", "a", "1", "z", "2") == 0
    assert delta("MSETNX", "y", "1", "z", "2") == 2
    assert delta("APPEND", "k", "x") == 1
    assert delta("INCR", "a") == 1
    assert delta("INCR", "k") == 0  # error
    assert delta("INCRBYFLOAT", "a", "1.5") == 1
    assert delta("SETRANGE", "k", "0", "") == 0
    assert delta("SETRANGE", "k", "0", "z") == 1
    assert delta("GETEX", "k") == 0
    assert delta("GETEX", "k", "PERSIST") == 0
    assert delta("GETEX", "k", "EX", "100") == 1
    assert delta("GETEX", "k", "PERSIST") == 1
    assert delta("GETEX", "k", "EXAT", "1") == 1
    assert delta("GETDEL", "k") == 0
    assert delta("GETDEL", "a") == 1
    assert delta("GET", "b") == 0
    assert delta("LCS", "b", "c") == 0
    assert delta("SET", nonstring, "x", "GET") == 0


def command_info(r, name):
    """(arity, flags, first key, last key, step, ACL categories) from COMMAND INFO."""
    info = raw(r, "COMMAND", "INFO", name)[0]
    return (info[1], {f.decode() for f in info[2]}, info[3], info[4], info[5],
            {c.decode() for c in info[6]})


@pytest.mark.parametrize("name,arity,flags,keys,acl", [
    ("get", 2, {"readonly", "fast"}, (1, 1, 1), {"@read", "@string", "@fast"}),
    ("set", -3, {"write", "denyoom"}, (1, 1, 1), {"@write", "@string", "@slow"}),
    ("setnx", 3, {"write", "denyoom", "fast"}, (1, 1, 1), {"@write", "@string", "@fast"}),
    ("getex", -2, {"write", "fast"}, (1, 1, 1), {"@write", "@string", "@fast"}),
    ("getdel", 2, {"write", "fast"}, (1, 1, 1), {"@write", "@string", "@fast"}),
    ("mget", -2, {"readonly", "fast"}, (1, -1, 1), {"@read", "@string", "@fast"}),
    ("mset", -3, {"write", "denyoom"}, (1, -1, 2), {"@write", "@string", "@slow"}),
    ("msetnx", -3, {"write", "denyoom"}, (1, -1, 2), {"@write", "@string", "@slow"}),
    ("incrbyfloat", 3, {"write", "denyoom", "fast"}, (1, 1, 1), {"@write", "@string", "@fast"}),
    ("getrange", 4, {"readonly"}, (1, 1, 1), {"@read", "@string", "@slow"}),
    ("substr", 4, {"readonly"}, (1, 1, 1), {"@read", "@string", "@slow"}),
    ("setrange", 4, {"write", "denyoom"}, (1, 1, 1), {"@write", "@string", "@slow"}),
    ("lcs", -3, {"readonly"}, (1, 2, 1), {"@read", "@string", "@slow"}),
])
def test_command_info(r, name, arity, flags, keys, acl):
    got = command_info(r, name)
    assert got[0] == arity
    assert got[1] == flags
    assert got[2:5] == keys
    assert got[5] == acl
