"""Hash commands of Redis 7.0: HSET HSETNX HGET HMGET HMSET HDEL HLEN HEXISTS HSTRLEN HINCRBY
HINCRBYFLOAT HKEYS HVALS HGETALL HRANDFIELD HSCAN, with Redis's replies, encodings and
conversions, error texts, RESP3 shapes and dirty-counter effects. (Field expiry, a Redis 7.4
feature, is in test_hash_field_expiry.py.)"""
import pytest

from conftest import I64_MAX, I64_MIN, NOT_INT, WRONGTYPE, dirty, encoding, arity
from resp_util import as_dict, error, raw, request

NOT_FLOAT = "value is not a valid float"


# --- HSET, HMSET, HSETNX ---------------------------------------------------------------------


def test_hset_creates_updates_and_counts_new_fields(r):
    assert r.execute_command("HSET", "h", "a", "1", "b", "2") == 2
    assert r.execute_command("HSET", "h", "a", "10", "c", "3") == 1
    assert r.hgetall("h") == {b"a": b"10", b"b": b"2", b"c": b"3"}
    # A field repeated in one call counts once.
    assert r.execute_command("HSET", "h2", "x", "1", "x", "2") == 1
    assert r.hget("h2", "x") == b"2"


def test_hset_errors(r, strkey):
    assert error(r, "HSET", "h") == arity("hset")
    assert error(r, "HSET", "h", "a") == arity("hset")
    assert error(r, "HSET", "h", "a", "1", "b") == arity("hset")
    assert error(r, "HSET", strkey, "a", "1") == WRONGTYPE
    assert r.exists("h") == 0


def test_hmset(r, strkey):
    assert raw(r, "HMSET", "h", "a", "1", "b", "2") == b"OK"
    assert r.hgetall("h") == {b"a": b"1", b"b": b"2"}
    assert error(r, "HMSET", "h", "a") == arity("hmset")
    assert error(r, "HMSET", "h", "a", "1", "b") == arity("hmset")
    assert error(r, "HMSET", strkey, "a", "1") == WRONGTYPE


def test_hsetnx(r, strkey):
    assert r.hsetnx("h", "a", "1") == 1
    assert r.hsetnx("h", "a", "2") == 0
    assert r.hget("h", "a") == b"1"
    assert error(r, "HSETNX", "h", "a") == arity("hsetnx")
    assert error(r, "HSETNX", strkey, "a", "1") == WRONGTYPE


def test_hset_dirty_counts_pairs(r):
    before = dirty(r)
    r.execute_command("HSET", "h", "a", "1", "b", "2", "a", "3")
    assert dirty(r) - before == 3
    before = dirty(r)
    r.hsetnx("h", "a", "x")
    assert dirty(r) == before
    r.hsetnx("h", "z", "x")
    assert dirty(r) == before + 1
    r.hdel("h", "a", "b", "nope")
    assert dirty(r) == before + 3


# --- HGET, HMGET, HLEN, HEXISTS, HSTRLEN ----------------------------------------------------


def test_hget_hmget(r, strkey):
    r.hset("h", mapping={"a": "1", "b": "two"})
    assert r.hget("h", "a") == b"1"
    assert r.hget("h", "nope") is None
    assert r.hget("nokey", "a") is None
    assert r.hmget("h", "a", "nope", "b") == [b"1", None, b"two"]
    assert r.hmget("nokey", "a", "b") == [None, None]
    assert error(r, "HGET", strkey, "a") == WRONGTYPE
    assert error(r, "HMGET", strkey, "a") == WRONGTYPE
    assert error(r, "HGET", "h") == arity("hget")
    assert error(r, "HMGET", "h") == arity("hmget")


def test_hlen_hexists_hstrlen(r, strkey):
    r.hset("h", mapping={"a": "hello", "n": "-1234", "e": ""})
    assert r.hlen("h") == 3
    assert r.hlen("nokey") == 0
    assert r.hexists("h", "a") == 1
    assert r.hexists("h", "z") == 0
    assert r.hexists("nokey", "a") == 0
    assert r.hstrlen("h", "a") == 5
    assert r.hstrlen("h", "n") == 5  # an integer-encoded value has its decimal length
    assert r.hstrlen("h", "e") == 0
    assert r.hstrlen("h", "z") == 0
    assert r.hstrlen("nokey", "a") == 0
    for cmd in (("HLEN", strkey), ("HEXISTS", strkey, "a"), ("HSTRLEN", strkey, "a")):
        assert error(r, *cmd) == WRONGTYPE
    assert error(r, "HLEN") == arity("hlen")
    assert error(r, "HEXISTS", "h") == arity("hexists")
    assert error(r, "HSTRLEN", "h") == arity("hstrlen")


def test_hstrlen_corner_values(r):
    values = ["-9223372036854775808", "9223372036854775807", "0", "-1", "012", "1.5", " 1"]
    for i, v in enumerate(values):
        r.hset("small", f"f{i}", v)
        r.hset("big", f"f{i}", v)
    r.hset("big", "long", "x" * 100)  # hashtable encoded
    assert encoding(r, "small") == b"listpack"
    assert encoding(r, "big") == b"hashtable"
    for key in ("small", "big"):
        for i, v in enumerate(values):
            assert r.hstrlen(key, f"f{i}") == len(v)
            assert r.hget(key, f"f{i}") == v.encode()


# --- HDEL -------------------------------------------------------------------------------------


def test_hdel(r, strkey):
    r.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
    assert r.hdel("h", "a", "nope", "a") == 1
    assert r.hdel("h", "b", "c", "x") == 2
    assert r.exists("h") == 0  # an emptied hash is deleted
    assert r.hdel("nokey", "a") == 0
    assert error(r, "HDEL", strkey, "a") == WRONGTYPE
    assert error(r, "HDEL", "h") == arity("hdel")


def test_hdel_big_hash(r):
    r.hset("h", mapping={f"f{i}": "v" for i in range(600)})
    assert encoding(r, "h") == b"hashtable"
    assert r.hdel("h", *[f"f{i}" for i in range(0, 600, 2)]) == 300
    assert r.hlen("h") == 300
    assert r.hdel("h", *[f"f{i}" for i in range(600)]) == 300
    assert r.exists("h") == 0


# --- HINCRBY, HINCRBYFLOAT ------------------------------------------------------------------


def test_hincrby(r, strkey):
    assert r.hincrby("h", "n", 5) == 5
    assert r.hincrby("h", "n", -10) == -5
    r.hset("h", "big", "17179869184")
    assert r.hincrby("h", "big", 1) == 17179869185
    assert r.hincrby("h", "big", 17179869184) == 34359738369
    r.hset("h", "max", str(I64_MAX))
    assert error(r, "HINCRBY", "h", "max", "1") == "increment or decrement would overflow"
    r.hset("h", "min", str(I64_MIN))
    assert error(r, "HINCRBY", "h", "min", "-1") == "increment or decrement would overflow"
    for bad in (" 11", "11 ", "1.5", "abc", ""):
        r.hset("h", "s", bad)
        assert error(r, "HINCRBY", "h", "s", "1") == "hash value is not an integer"
    assert error(r, "HINCRBY", "h", "n", "1.5") == NOT_INT
    assert error(r, "HINCRBY", "h", "n", "99999999999999999999") == NOT_INT
    assert error(r, "HINCRBY", strkey, "n", "1") == WRONGTYPE
    assert error(r, "HINCRBY", "h", "n") == arity("hincrby")
    # A bad increment does not create the key.
    assert error(r, "HINCRBY", "fresh", "n", "x") == NOT_INT
    assert r.exists("fresh") == 0


def test_hincrbyfloat(r, strkey):
    assert raw(r, "HINCRBYFLOAT", "h", "f", "10.5") == b"10.5"
    assert raw(r, "HINCRBYFLOAT", "h", "f", "0.1") == b"10.6"
    assert raw(r, "HINCRBYFLOAT", "h", "f", "-10.6") == b"0"
    assert raw(r, "HINCRBYFLOAT", "h", "f", "5.0e3") == b"5000"
    r.hset("h", "i", "17179869184")
    assert raw(r, "HINCRBYFLOAT", "h", "i", "1.5") == b"17179869185.5"
    assert r.hget("h", "i") == b"17179869185.5"
    for bad in (" 11", "11 ", "abc", "1\x002"):
        r.hset("h", "s", bad)
        assert error(r, "HINCRBYFLOAT", "h", "s", "1") == "hash value is not a float"
    assert error(r, "HINCRBYFLOAT", "h", "f", "abc") == NOT_FLOAT
    assert error(r, "HINCRBYFLOAT", "h", "f", "nan") == NOT_FLOAT
    assert error(r, "HINCRBYFLOAT", "h", "f", "inf") == "value is NaN or Infinity"
    assert error(r, "HINCRBYFLOAT", "h", "f", "-inf") == "value is NaN or Infinity"
    assert error(r, "HINCRBYFLOAT", strkey, "f", "1") == WRONGTYPE
    assert error(r, "HINCRBYFLOAT", "h", "f") == arity("hincrbyfloat")


def test_hincrbyfloat_overflow_to_infinity(r):
    r.hset("h", "f", "1e4932")  # near the long double maximum
    assert error(r, "HINCRBYFLOAT", "h", "f", "1e4932") == \
        "increment would produce NaN or Infinity"


def test_hincr_dirty(r):
    before = dirty(r)
    r.hincrby("h", "a", 1)
    r.hincrbyfloat("h", "b", 1.5)
    assert dirty(r) - before == 2


def test_hincrbyfloat_past_listpack_value_converts(r):
    r.config_set("hash-max-listpack-value", "8")
    try:
        r.hset("h", "f", "1")
        assert encoding(r, "h") == b"listpack"
        r.hincrbyfloat("h", "f", 0.123456789)
        assert encoding(r, "h") == b"hashtable"
    finally:
        r.config_set("hash-max-listpack-value", "64")


# --- HKEYS, HVALS, HGETALL -------------------------------------------------------------------


@pytest.mark.parametrize("n", [5, 600])
def test_hkeys_hvals_hgetall(r, n):
    data = {f"field{i}".encode(): f"value{i}".encode() for i in range(n)}
    r.hset("h", mapping=data)
    assert encoding(r, "h") == (b"listpack" if n <= 512 else b"hashtable")
    assert sorted(r.hkeys("h")) == sorted(data)
    assert sorted(r.hvals("h")) == sorted(data.values())
    assert r.hgetall("h") == data


def test_listing_missing_and_wrong_type(r, strkey):
    assert r.hkeys("nokey") == []
    assert r.hvals("nokey") == []
    assert r.hgetall("nokey") == {}
    for cmd in ("HKEYS", "HVALS", "HGETALL"):
        assert error(r, cmd, strkey) == WRONGTYPE
        assert error(r, cmd) == arity(cmd.lower())


def test_hgetall_resp3_is_a_map(r, server):
    r.hset("h", mapping={"a": "1", "b": "2"})
    [reply] = request(server.port, ("HGETALL", "h"), resp3=True)
    assert reply.kind == "%"
    assert reply.plain() == {b"a": b"1", b"b": b"2"}
    [empty] = request(server.port, ("HGETALL", "nokey"), resp3=True)
    assert empty.kind == "%" and empty.value == []


# --- encodings ---------------------------------------------------------------------------------


def test_encoding_conversion_boundaries(r):
    r.hset("h", mapping={f"f{i}": "v" for i in range(512)})
    assert encoding(r, "h") == b"listpack"
    r.hset("h", "f0", "updated")
    assert encoding(r, "h") == b"listpack"
    r.hset("h", "f512", "v")
    assert encoding(r, "h") == b"hashtable"
    r.hset("v64", "f", "x" * 64)
    assert encoding(r, "v64") == b"listpack"
    r.hset("v65", "f", "x" * 65)
    assert encoding(r, "v65") == b"hashtable"
    r.hset("f65", "x" * 65, "v")
    assert encoding(r, "f65") == b"hashtable"
    r.hsetnx("nx", "f", "x" * 65)
    assert encoding(r, "nx") == b"hashtable"
    # Deleting fields never converts back.
    r.hdel("v65", "f")
    r.hset("v65", mapping={"a": "1", "f": "x" * 65})
    r.hdel("v65", "f")
    assert encoding(r, "v65") == b"hashtable"


def test_encoding_follows_config(r):
    try:
        r.config_set("hash-max-listpack-entries", "4")
        r.hset("h", mapping={f"f{i}": "v" for i in range(4)})
        assert encoding(r, "h") == b"listpack"
        r.hset("h", "f4", "v")
        assert encoding(r, "h") == b"hashtable"
        r.config_set("hash-max-ziplist-entries", "0")  # the old name is an alias
        r.hset("z", "f", "v")
        assert encoding(r, "z") == b"hashtable"
    finally:
        r.config_set("hash-max-listpack-entries", "512")


def test_binary_safe_fields_and_values(r):
    for key, pad in (("small", b""), ("big", b"y" * 100)):
        r.hset(key, b"a\x00b", b"\x00\xff\r\n" + pad)
        r.hset(key, b"", b"empty field")
        assert r.hget(key, b"a\x00b") == b"\x00\xff\r\n" + pad
        assert r.hget(key, b"") == b"empty field"
        assert r.hget(key, b"a") is None
        assert r.hexists(key, b"a\x00") == 0


def test_copy_rename_move_keep_hashes(r):
    r.hset("h", mapping={"a": "1", "b": "x" * 100})
    assert r.copy("h", "c") == 1
    r.hset("c", "a", "changed")
    assert r.hget("h", "a") == b"1"
    r.rename("h", "h2")
    assert r.hgetall("h2") == {b"a": b"1", b"b": b"x" * 100}
    assert r.move("h2", 1) == 1
    r.execute_command("SELECT", "1")
    assert r.type("h2") == b"hash"


def test_debug_digest_value_matches_across_encodings(make_server):
    r = make_server("--enable-debug-command", "yes").client()
    r.hset("a", mapping={"x": "1", "y": "2"})
    r.hset("b", mapping={"y": "2", "x": "1", "z": "z" * 100})
    r.hdel("b", "z")
    assert encoding(r, "a") != encoding(r, "b")
    da = r.execute_command("DEBUG", "DIGEST-VALUE", "a")
    db = r.execute_command("DEBUG", "DIGEST-VALUE", "b")
    assert da == db


# --- HRANDFIELD ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [5, 600])
def test_hrandfield(r, n):
    data = {f"f{i}".encode(): f"v{i}".encode() for i in range(n)}
    r.hset("h", mapping=data)
    assert r.hrandfield("h") in data
    # Positive count: distinct fields, at most the whole hash.
    for count in (1, 3, n - 1, n, n + 10):
        got = r.hrandfield("h", count)
        assert len(got) == min(count, n)
        assert len(set(got)) == len(got)
        assert set(got) <= set(data)
    pairs = r.hrandfield("h", 3, withvalues=True)
    assert len(pairs) == 6
    for f, v in as_dict(pairs).items():
        assert data[f] == v
    # Negative count: exactly |count| fields, repetitions allowed.
    got = r.hrandfield("h", -(n * 3))
    assert len(got) == n * 3
    assert set(got) <= set(data)
    pairs = r.hrandfield("h", -7, withvalues=True)
    assert len(pairs) == 14
    for i in range(0, 14, 2):
        assert data[pairs[i]] == pairs[i + 1]
    assert r.hrandfield("h", 0) == []
    assert r.hrandfield("h", 0, withvalues=True) == []


def test_hrandfield_missing_key_and_errors(r, strkey):
    assert r.hrandfield("nokey") is None
    assert r.hrandfield("nokey", 5) == []
    assert r.hrandfield("nokey", -5, withvalues=True) == []
    assert error(r, "HRANDFIELD", strkey) == WRONGTYPE
    assert error(r, "HRANDFIELD", strkey, "0") == WRONGTYPE
    assert error(r, "HRANDFIELD", "h", "abc") == NOT_INT
    assert error(r, "HRANDFIELD", "nokey", "abc") == NOT_INT
    assert error(r, "HRANDFIELD", "h", "1", "withvalue") == "syntax error"
    assert error(r, "HRANDFIELD", "h", "1", "withvalues", "x") == "syntax error"
    assert error(r, "HRANDFIELD", "h", str(I64_MIN)) == (
        "value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807")
    assert error(r, "HRANDFIELD", "h", "-4611686018427387904", "withvalues") == \
        "value is out of range"
    assert error(r, "HRANDFIELD", "h", "4611686018427387904", "withvalues") == \
        "value is out of range"
    assert error(r, "HRANDFIELD") == arity("hrandfield")


def test_hrandfield_resp3_shapes(r, server):
    r.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
    with_values, plain, single, missing = request(
        server.port, ("HRANDFIELD", "h", "-4", "WITHVALUES"), ("HRANDFIELD", "h", "2"),
        ("HRANDFIELD", "h"), ("HRANDFIELD", "nokey"), resp3=True)
    assert with_values.kind == "*" and len(with_values.value) == 4
    for pair in with_values.value:
        assert pair.kind == "*"
        f, v = pair.plain()
        assert {b"a": b"1", b"b": b"2", b"c": b"3"}[f] == v
    assert plain.kind == "*" and len(plain.value) == 2
    assert single.kind == "$"
    assert missing.kind == "_"
    [whole] = request(server.port, ("HRANDFIELD", "h", "10", "WITHVALUES"), resp3=True)
    assert sorted(tuple(p.plain()) for p in whole.value) == [(b"a", b"1"), (b"b", b"2"),
                                                             (b"c", b"3")]


# --- HSCAN ----------------------------------------------------------------------------------


def test_hscan_small_hash_in_one_call(r):
    r.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
    cursor, items = r.hscan("h", 0)
    assert cursor == 0
    assert items == {b"a": b"1", b"b": b"2", b"c": b"3"}
    assert r.hscan("h", 0, match="a*") == (0, {b"a": b"1"})
    assert raw(r, "HSCAN", "nokey", "0") == [b"0", []]


def test_hscan_big_hash_iterates_everything(r):
    data = {f"key:{i}".encode(): str(i).encode() for i in range(1000)}
    r.hset("h", mapping=data)
    seen = {}
    cursor = 0
    calls = 0
    while True:
        cursor, items = r.hscan("h", cursor, count=20)
        seen.update(items)
        calls += 1
        if cursor == 0:
            break
    assert seen == data
    assert calls > 1
    matched = {}
    cursor = 0
    while True:
        cursor, items = r.hscan("h", cursor, match="key:1*", count=100)
        matched.update(items)
        if cursor == 0:
            break
    assert matched == {k: v for k, v in data.items() if k.startswith(b"key:1")}


def test_hscan_errors(r, strkey):
    r.hset("h", "a", "1")
    assert error(r, "HSCAN", "h", "abc") == "invalid cursor"
    assert error(r, "HSCAN", "nokey", "abc") == "invalid cursor"
    assert error(r, "HSCAN", strkey, "0") == WRONGTYPE
    assert error(r, "HSCAN", "h", "0", "COUNT", "0") == "syntax error"
    assert error(r, "HSCAN", "h", "0", "COUNT", "x") == NOT_INT
    assert error(r, "HSCAN", "h", "0", "MATCH") == "syntax error"
    assert error(r, "HSCAN", "h", "0", "TYPE", "string") == "syntax error"
    assert error(r, "HSCAN", "h") == arity("hscan")
    # A missing key only has its cursor checked, as in Redis.
    assert raw(r, "HSCAN", "nokey", "0", "COUNT", "0") == [b"0", []]


# --- COMMAND INFO ------------------------------------------------------------------------------


def test_command_info_rows(r):
    expect = {
        "hset": (-4, {"write", "denyoom", "fast"}), "hsetnx": (4, {"write", "denyoom", "fast"}),
        "hget": (3, {"readonly", "fast"}), "hmget": (-3, {"readonly", "fast"}),
        "hmset": (-4, {"write", "denyoom", "fast"}), "hdel": (-3, {"write", "fast"}),
        "hlen": (2, {"readonly", "fast"}), "hexists": (3, {"readonly", "fast"}),
        "hstrlen": (3, {"readonly", "fast"}), "hincrby": (4, {"write", "denyoom", "fast"}),
        "hincrbyfloat": (4, {"write", "denyoom", "fast"}), "hkeys": (2, {"readonly"}),
        "hvals": (2, {"readonly"}), "hgetall": (2, {"readonly"}),
        "hrandfield": (-2, {"readonly"}), "hscan": (-3, {"readonly"}),
    }
    for name, (ar, flags) in expect.items():
        [row] = raw(r, "COMMAND", "INFO", name)
        assert row[0] == name.encode()
        assert row[1] == ar
        assert {f.decode() for f in row[2]} == flags
        assert row[3:6] == [1, 1, 1]
        assert b"@hash" in row[6]
