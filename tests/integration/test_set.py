"""Set commands: SADD ... SSCAN, their replies (RESP2 and RESP3), errors, encodings and dirty
counts. Replies are Redis 7.0's; encodings are Redis 7.2's (listpack sets), so asserts on
encodings that 7.0 does not have are marked redis_7_2_only."""
import pytest

from conftest import NOT_INT, TARGET, WRONGTYPE, dirty, encoding, redis_7_2_only
from resp_util import as_dict, error, raw, request

ARITY = "wrong number of arguments for '{}' command"
NOT_POSITIVE = "value is out of range, must be positive"


def members(r, key):
    return sorted(r.smembers(key))


def b(*items):
    return sorted(x.encode() if isinstance(x, str) else str(x).encode() for x in items)


# ---- SADD / SREM / SCARD / SISMEMBER / SMISMEMBER / SMEMBERS --------------------------------

def test_sadd_basics(r):
    assert r.sadd("s", "a", "b", "a") == 2
    assert r.sadd("s", "b", "c") == 1
    assert r.scard("s") == 3
    assert members(r, "s") == b("a", "b", "c")
    assert r.sismember("s", "a") is True
    assert r.sismember("s", "x") is False
    assert r.smismember("s", "a", "x", "c") == [1, 0, 1]


def test_missing_key_reads_as_empty(r):
    assert r.scard("none") == 0
    assert r.sismember("none", "a") is False
    assert r.smismember("none", "a", "b") == [0, 0]
    assert r.smembers("none") == set()
    assert r.srem("none", "a") == 0


def test_srem(r):
    r.sadd("s", "a", "b", "c", "d")
    assert r.srem("s", "x", "y") == 0
    assert r.srem("s", "b", "d", "x") == 2
    assert members(r, "s") == b("a", "c")
    # Removing the last members deletes the key.
    assert r.srem("s", "a", "c", "z") == 2
    assert r.exists("s") == 0


def test_srem_more_args_than_members(r):
    r.sadd("s", 1, 2, 3)
    assert r.srem("s", 1, 2, 3, 4, 5, 6, 7, 8) == 3
    assert r.exists("s") == 0


def test_binary_safe_members(r):
    weird = [b"", b"\x00", b"a\x00b", b"\xff\xfe", b" 1", b"01", b"-0", b"+1", b"1.0"]
    assert r.sadd("s", *weird) == len(weird)
    assert sorted(r.smembers("s")) == sorted(weird)
    for w in weird:
        assert r.sismember("s", w)
    # Canonical integers and their look-alikes stay distinct.
    r.sadd("s", 1, 0)
    assert r.scard("s") == len(weird) + 2
    assert r.sismember("s", "1") and not r.sismember("s", "1 ")


def test_wrong_type(r):
    r.set("str", "x")
    r.sadd("set", "a")
    for cmd in (("SADD", "str", "a"), ("SREM", "str", "a"), ("SMEMBERS", "str"),
                ("SISMEMBER", "str", "a"), ("SMISMEMBER", "str", "a"), ("SCARD", "str"),
                ("SPOP", "str"), ("SPOP", "str", "2"), ("SRANDMEMBER", "str"),
                ("SRANDMEMBER", "str", "2"), ("SMOVE", "str", "set", "a"),
                ("SMOVE", "set", "str", "a"), ("SINTER", "set", "str"),
                ("SINTER", "none", "str"), ("SINTERCARD", "2", "str", "set"),
                ("SINTERSTORE", "d", "set", "str"), ("SUNION", "set", "str"),
                ("SUNIONSTORE", "d", "str"), ("SDIFF", "set", "str"), ("SDIFF", "str", "set"),
                ("SDIFFSTORE", "d", "none", "str"), ("SSCAN", "str", "0")):
        assert error(r, *cmd) == WRONGTYPE, cmd
    assert r.exists("d") == 0


@pytest.mark.parametrize("cmd,args", [
    ("sadd", ["k"]), ("srem", ["k"]), ("smembers", []), ("sismember", ["k"]),
    ("smismember", ["k"]), ("scard", []), ("spop", []), ("srandmember", []),
    ("smove", ["a", "b"]), ("sinter", []), ("sintercard", ["1"]), ("sinterstore", ["d"]),
    ("sunion", []), ("sunionstore", ["d"]), ("sdiff", []), ("sdiffstore", ["d"]),
    ("sscan", ["k"]),
])
def test_arity(r, cmd, args):
    assert error(r, cmd, *args) == ARITY.format(cmd)


# ---- Encodings ------------------------------------------------------------------------------

def test_intset_encoding_and_limit(r):
    r.sadd("s", *range(512))
    assert encoding(r, "s") == b"intset"
    r.sadd("s", 512)
    assert encoding(r, "s") == b"hashtable"


def test_big_integer_is_a_string(r):
    r.sadd("s", "213244124402402314402033402")
    assert r.sismember("s", "213244124402402314402033402")
    assert r.smismember("s", "213244124402402314402033402") == [1]


@redis_7_2_only
def test_listpack_encodings(r):
    r.sadd("s", "a")
    assert encoding(r, "s") == b"listpack"
    r.sadd("s", *(f"m{i}" for i in range(127)))
    assert r.scard("s") == 128 and encoding(r, "s") == b"listpack"
    r.sadd("s", "one-more")
    assert encoding(r, "s") == b"hashtable"
    # A member longer than 64 bytes.
    r.sadd("v", "x" * 64)
    assert encoding(r, "v") == b"listpack"
    r.sadd("v", "y" * 65)
    assert encoding(r, "v") == b"hashtable"
    r.sadd("w", "z" * 65)
    assert encoding(r, "w") == b"hashtable"


@redis_7_2_only
def test_intset_to_listpack_or_hashtable(r):
    r.sadd("s", 1, 2, 3)
    assert encoding(r, "s") == b"intset"
    r.sadd("s", "a")
    assert encoding(r, "s") == b"listpack"
    assert members(r, "s") == b(1, 2, 3, "a")
    # An intset of 128 members or more goes straight to hashtable.
    r.sadd("big", *range(128))
    r.sadd("big", "a")
    assert encoding(r, "big") == b"hashtable"
    r.sadd("b2", *range(127))
    r.sadd("b2", "a")
    assert encoding(r, "b2") == b"listpack"


@redis_7_2_only
def test_sadd_size_hint(r):
    # More than set-max-listpack-entries arguments: straight to hashtable.
    r.sadd("s", "a", *(f"m{i}" for i in range(128)))
    assert encoding(r, "s") == b"hashtable"
    # More than set-max-intset-entries integers at once: straight to hashtable.
    r.sadd("i", *range(513))
    assert encoding(r, "i") == b"hashtable"
    # The hint counts arguments, duplicates included.
    r.sadd("l", "a")
    r.sadd("l", *(["b"] * 129))
    assert encoding(r, "l") == b"hashtable" and r.scard("l") == 2


@redis_7_2_only
def test_config_set_listpack_params(make_server):
    s = make_server("--set-max-listpack-entries", "4", "--set-max-listpack-value", "3")
    c = s.client()
    assert c.config_get("set-max-listpack-*") == {
        "set-max-listpack-entries": "4", "set-max-listpack-value": "3"}
    c.sadd("s", "a", "b", "c", "d")
    assert encoding(c, "s") == b"listpack"
    c.sadd("s", "e")
    assert encoding(c, "s") == b"hashtable"
    c.sadd("t", "abcd")
    assert encoding(c, "t") == b"hashtable"
    c.config_set("set-max-listpack-entries", 128)
    c.config_set("set-max-listpack-value", 64)
    c.sadd("u", "abcd")
    assert encoding(c, "u") == b"listpack"
    assert c.config_get("set-max-listpack-value") == {"set-max-listpack-value": "64"}
    c.close()


def test_intset_entries_zero(make_server):
    s = make_server("--set-max-intset-entries", "0")
    c = s.client()
    c.sadd("s", 1)
    assert encoding(c, "s") != b"intset"
    c.close()


# ---- SPOP / SRANDMEMBER ---------------------------------------------------------------------

@pytest.mark.parametrize("contents", [["a", "b", "c"], [1, 2, 3]])
def test_spop_single(r, contents):
    r.sadd("s", *contents)
    popped = [r.spop("s") for _ in contents]
    assert sorted(popped) == b(*contents)
    assert r.exists("s") == 0
    assert r.spop("s") is None


@pytest.mark.parametrize("contents", [[f"m{i}" for i in range(26)], list(range(26)),
                                      [f"m{i}" for i in range(300)], list(range(600))])
def test_spop_with_count(r, contents):
    r.sadd("s", *contents)
    got = []
    for count in (11, 9, 0, 4, 1, 0, 1, 0, 200, 1000):
        part = r.spop("s", count)
        assert len(part) == min(count, len(contents) - len(got))
        got += part
    assert sorted(got) == b(*contents)
    assert r.exists("s") == 0


@pytest.mark.parametrize("n,count", [(20, 2), (20, 18), (20, 30), (1000, 999), (1000, 10),
                                     (300, 290)])
@pytest.mark.parametrize("kind", ["int", "str"])
def test_spop_strategies(r, n, count, kind):
    contents = [i if kind == "int" else f"m{i}" for i in range(n)]
    r.sadd("s", *contents)
    before = dirty(r)
    res = r.spop("s", count)
    assert len(res) == min(n, count) and len(set(res)) == len(res)
    assert dirty(r) - before == min(n, count)
    assert sorted(res + list(r.smembers("s"))) == b(*contents)


def test_spop_count_errors_and_missing(r):
    assert r.spop("none", 100) == []
    r.sadd("s", "a")
    assert error(r, "SPOP", "s", "-1") == NOT_POSITIVE
    assert error(r, "SPOP", "s", "abc") == NOT_POSITIVE
    assert error(r, "SPOP", "none", "-1") == NOT_POSITIVE
    assert error(r, "SPOP", "s", "1", "2") == "syntax error"
    assert r.spop("s", 0) == []
    assert r.scard("s") == 1


def test_spop_keeps_ttl(r):
    r.sadd("s", *range(20))
    r.expire("s", 100)
    r.spop("s", 18)
    assert r.ttl("s") > 0 and r.scard("s") == 2


@pytest.mark.parametrize("contents", [
    list(range(50)), [f"m{i}" for i in range(50)], [f"m{i}" for i in range(200)]])
def test_srandmember_with_count(r, contents):
    r.sadd("s", *contents)
    everything = set(b(*contents))
    res = r.srandmember("s", -100)
    assert len(res) == 100 and set(res) <= everything
    for size in (len(contents), len(contents) * 2):
        res = r.srandmember("s", size)
        assert sorted(res) == sorted(everything)
    for size in (len(contents) - 5, 5, 1):
        seen = set()
        for _ in range(5000):
            res = r.srandmember("s", size)
            assert len(res) == size == len(set(res))
            assert set(res) <= everything
            seen |= set(res)
            if seen == everything:
                break
        assert seen == everything
    assert r.srandmember("s", 0) == []
    assert r.scard("s") == len(contents)


def test_srandmember_single_and_missing(r):
    assert r.srandmember("none") is None
    assert r.srandmember("none", 5) == []
    assert r.srandmember("none", -5) == []
    r.sadd("s", "a")
    assert r.srandmember("s") == b"a"
    assert r.srandmember("s", -3) == [b"a"] * 3


def test_srandmember_errors(r):
    r.sadd("s", "a")
    assert error(r, "SRANDMEMBER", "s", "-9223372036854775808") == (
        "value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807")
    assert error(r, "SRANDMEMBER", "s", "abc") == NOT_INT
    assert error(r, "SRANDMEMBER", "s", "9223372036854775808") == NOT_INT
    assert error(r, "SRANDMEMBER", "s", "1", "2") == "syntax error"
    assert error(r, "SRANDMEMBER", "none", "abc") == NOT_INT


def test_srandmember_distribution(r):
    r.sadd("s", *range(10))
    counts = {}
    for m in r.srandmember("s", -10000):
        counts[m] = counts.get(m, 0) + 1
    assert len(counts) == 10 and min(counts.values()) > 800


# ---- SMOVE ----------------------------------------------------------------------------------

def test_smove(r):
    r.sadd("src", 1, "a", "b")
    r.sadd("dst", 2, 3, 4)
    assert r.smove("src", "dst", "a") is True
    assert members(r, "src") == b(1, "b")
    assert members(r, "dst") == b(2, 3, 4, "a")
    assert r.smove("src", "dst", "zzz") is False
    assert r.smove("none", "dst", "a") is False
    # Into a missing destination; the emptied source disappears.
    r.sadd("one", 5)
    assert r.smove("one", "new", 5) is True
    assert r.exists("one") == 0 and members(r, "new") == b(5)
    assert encoding(r, "new") == b"intset"
    # Same source and destination: membership only.
    assert r.smove("src", "src", "b") is True
    assert r.smove("src", "src", "q") is False
    assert members(r, "src") == b(1, "b")


def test_smove_dirty(r):
    r.sadd("src", "a", "b")
    r.sadd("dst", "a")
    before = dirty(r)
    r.smove("src", "dst", "a")  # removed from src, already in dst
    assert dirty(r) - before == 1
    r.smove("src", "dst", "b")
    assert dirty(r) - before == 3


def test_smove_wrong_dst_type_keeps_source(r):
    r.sadd("src", "a")
    r.set("str", "x")
    assert error(r, "SMOVE", "src", "str", "a") == WRONGTYPE
    assert members(r, "src") == b("a")


def test_smove_encodings(r):
    r.sadd("src", 1, "a", "b")
    r.sadd("dst", 2, 3, 4)
    r.smove("src", "dst", 1)
    assert encoding(r, "dst") == b"intset"
    r.smove("src", "dst", "a")
    assert encoding(r, "dst") == (b"hashtable" if TARGET == "redis" else b"listpack")


# ---- SINTER / SINTERCARD / SINTERSTORE ------------------------------------------------------

def fill_sets(r, large):
    for i in range(200):
        r.sadd("set1", i)
        r.sadd("set2", i + 195)
    r.sadd("set3", 199, 195, 1000, 2000)
    r.sadd("set4", *range(5, 200))
    r.sadd("set5", 0)
    for k in ("set1", "set2", "set3", "set4", "set5"):
        r.sadd(k, large)


@pytest.mark.parametrize("large", ["200", "foo"])
def test_set_algebra(r, large):
    fill_sets(r, large)
    inter = b(195, 196, 197, 198, 199, large)
    assert sorted(r.sinter("set1", "set2")) == inter
    assert r.sintercard(2, ["set1", "set2"]) == 6
    assert r.sintercard(2, ["set1", "set2"], limit=3) == 3
    assert r.sintercard(2, ["set1", "set2"], limit=0) == 6
    assert r.sintercard(2, ["set1", "set2"], limit=10) == 6
    assert r.sinterstore("res", "set1", "set2") == 6
    assert members(r, "res") == inter
    assert sorted(r.sinter("set1", "set2", "set3")) == b(195, 199, large)
    assert r.sintercard(3, ["set1", "set2", "set3"], limit=2) == 2
    union = sorted(set(r.smembers("set1")) | set(r.smembers("set2")))
    assert sorted(r.sunion("set1", "set2")) == union
    assert sorted(r.sunion("nokey1", "set1", "set2", "nokey2")) == union
    assert r.sunionstore("res", "set1", "set2") == len(union)
    assert members(r, "res") == union
    assert sorted(r.sdiff("set1", "set4")) == b(0, 1, 2, 3, 4)
    assert sorted(r.sdiff("set1", "set4", "set5")) == b(1, 2, 3, 4)
    assert r.sdiffstore("res", "set1", "set4", "set5") == 4
    assert members(r, "res") == b(1, 2, 3, 4)
    if large == "200":
        assert encoding(r, "res") == b"intset"
    same = members(r, "set1")
    assert sorted(r.sinter("set1", "set1", "set1")) == same
    assert sorted(r.sunion("set1", "set1", "set1")) == same
    assert r.sdiff("set1", "set1", "set1") == set()


@pytest.mark.parametrize("large", ["200", "foo"])
def test_store_encodings(r, large):
    fill_sets(r, large)
    want = b"intset" if large == "200" else b"hashtable"
    r.sinterstore("res", "set1", "set2")
    # A 6-member result: intset for integers; 7.0 keeps the hashtable, 7.2 makes a listpack.
    if large == "200":
        assert encoding(r, "res") == b"intset"
    elif TARGET != "redis":
        assert encoding(r, "res") == b"listpack"
    r.sunionstore("res", "set1", "set2")
    assert encoding(r, "res") == want


def test_sinter_mixed_encodings(r):
    r.sadd("a", 1, 2, 3)
    r.sadd("b", 1, 2, 3, "x")
    r.srem("b", "x")
    assert sorted(r.sinter("a", "b")) == b(1, 2, 3)
    assert r.sinterstore("c", "b", "a") == 3
    assert encoding(r, "c") == b"intset"


def test_store_empty_result_deletes_destination(r):
    r.set("res", "x")
    assert r.sinterstore("res", "none1", "none2") == 0
    assert r.exists("res") == 0
    r.sadd("a", "x", "y")
    r.sadd("b", "z")
    for cmd in (("SINTERSTORE", "res", "a", "b"), ("SDIFFSTORE", "res", "a", "a"),
                ("SUNIONSTORE", "res", "n1", "n2"), ("SDIFFSTORE", "res", "none", "a"),
                ("SINTERSTORE", "res", "a", "none")):
        r.sadd("res", "old")
        before = dirty(r)
        assert r.execute_command(*cmd) == 0
        assert r.exists("res") == 0
        assert dirty(r) - before == 1
    before = dirty(r)
    assert r.sinterstore("res", "a", "b") == 0
    assert dirty(r) == before


def test_store_overwrites_and_clears_ttl(r):
    r.set("res", "string value")
    r.expire("res", 100)
    r.sadd("a", "x", "y")
    assert r.sunionstore("res", "a") == 2
    assert r.type("res") == b"set" and r.ttl("res") == -1
    # The destination may be a source.
    assert r.sdiffstore("a", "a", "none") == 2
    r.sadd("c", "y")
    assert r.sinterstore("a", "a", "c") == 1
    assert members(r, "a") == b("y")


def test_sdiff_cases(r):
    r.sadd("s2", 1, 2, 3, 4)
    r.sadd("s3", "a", "b", "c", "d")
    assert r.sdiff("s1", "s2", "s3") == set()
    r.sadd("x", "a", "b", "c", 1, 2, 3)
    assert r.sdiff("x", "x") == set()
    r.sadd("y", "b", "c", "d")
    assert sorted(r.sdiff("x", "y", "nokey")) == b("a", 1, 2, 3)
    assert r.sdiff("nokey", "y", "x") == set()


def test_sdiff_fuzz(r):
    import random
    rnd = random.Random(7)
    for _ in range(30):
        keys = [f"k{i}" for i in range(rnd.randint(1, 6))]
        model = []
        for k in keys:
            r.delete(k)
            vals = {rnd.choice([str(rnd.randint(0, 50)), f"s{rnd.randint(0, 50)}"])
                    for _ in range(rnd.randint(0, 60))}
            if vals:
                r.sadd(k, *vals)
            model.append(vals)
        want = model[0].difference(*model[1:])
        assert sorted(r.sdiff(*keys)) == sorted(v.encode() for v in want)
        inter = model[0].intersection(*model[1:])
        assert sorted(r.sinter(*keys)) == sorted(v.encode() for v in inter)
        assert r.sintercard(len(keys), keys) == len(inter)
        union = set().union(*model)
        assert sorted(r.sunion(*keys)) == sorted(v.encode() for v in union)


def test_sintercard_errors(r):
    r.sadd("s", "a")
    assert error(r, "SINTERCARD", "0", "s") == "numkeys should be greater than 0"
    assert error(r, "SINTERCARD", "a", "s") == "numkeys should be greater than 0"
    assert error(r, "SINTERCARD", "-1", "s") == "numkeys should be greater than 0"
    assert error(r, "SINTERCARD", "2", "s") == "Number of keys can't be greater than number of args"
    assert error(r, "SINTERCARD", "3", "s", "t") == (
        "Number of keys can't be greater than number of args")
    assert error(r, "SINTERCARD", "1", "s", "t") == "syntax error"
    assert error(r, "SINTERCARD", "1", "s", "LIMIT") == "syntax error"
    assert error(r, "SINTERCARD", "1", "s", "LIMIT", "-1") == "LIMIT can't be negative"
    assert error(r, "SINTERCARD", "1", "s", "LIMIT", "a") == "LIMIT can't be negative"
    assert r.sintercard(1, ["none"]) == 0
    assert r.sintercard(1, ["none"], limit=10) == 0
    assert r.execute_command("SINTERCARD", "1", "s", "limit", "5", "LIMIT", "0") == 1


def test_sintercard_getkeys(r):
    assert raw(r, "COMMAND", "GETKEYS", "SINTERCARD", "2", "a", "b", "LIMIT", "1") == [b"a", b"b"]


# ---- SSCAN ----------------------------------------------------------------------------------

def test_sscan_compact_and_hashtable(r):
    r.sadd("small", *range(10))
    cursor, got = r.sscan("small", 0)
    assert cursor == 0 and sorted(got) == b(*range(10))
    r.sadd("big", *(f"m{i}" for i in range(1000)))
    cursor, seen = 0, []
    calls = 0
    while True:
        cursor, batch = r.sscan("big", cursor, count=20)
        seen += batch
        calls += 1
        if cursor == 0:
            break
    assert set(seen) == set(b(*(f"m{i}" for i in range(1000)))) and calls > 10
    cursor, seen = 0, set()
    while True:
        cursor, batch = r.sscan("big", cursor, match="m1*", count=100)
        seen |= set(batch)
        if cursor == 0:
            break
    assert seen == {m for m in b(*(f"m{i}" for i in range(1000))) if m.startswith(b"m1")}


def test_sscan_errors(r):
    r.sadd("s", "a")
    assert raw(r, "SSCAN", "none", "0", "FOO", "bar") == [b"0", []]
    assert error(r, "SSCAN", "none", "abc") == "invalid cursor"
    assert error(r, "SSCAN", "s", "abc") == "invalid cursor"
    assert error(r, "SSCAN", "s", "0", "COUNT", "0") == "syntax error"
    assert error(r, "SSCAN", "s", "0", "COUNT", "x") == NOT_INT
    assert error(r, "SSCAN", "s", "0", "NOVALUES") == "syntax error"
    assert error(r, "SSCAN", "s", "0", "TYPE", "set") == "syntax error"
    assert raw(r, "SSCAN", "s", "0", "MATCH", "a", "COUNT", "5") == [b"0", [b"a"]]


# ---- Replies in RESP3, dirty counts, COMMAND INFO -------------------------------------------

def test_resp3_reply_types(server, r):
    r.sadd("s", "a", "b", "c")
    r.sadd("t", "b", "c")
    replies = request(server.port, ("SMEMBERS", "s"), ("SINTER", "s", "t"), ("SUNION", "s", "t"),
                      ("SDIFF", "s", "t"), ("SMEMBERS", "none"), ("SINTER", "s", "none"),
                      ("SRANDMEMBER", "s", "2"), ("SRANDMEMBER", "none", "2"),
                      ("SRANDMEMBER", "none"), ("SPOP", "none"), ("SPOP", "none", "2"),
                      ("SMISMEMBER", "s", "a"), ("SPOP", "s", "0"), ("SPOP", "s", "2"),
                      ("SPOP", "s", "5"), resp3=True)
    kinds = [x.kind for x in replies]
    assert kinds == ["~", "~", "~", "~", "~", "~", "*", "*", "_", "_", "~", "*", "~", "~", "~"]
    assert len(replies[-2].value) == 2 and len(replies[-1].value) == 1
    resp2 = request(server.port, ("SMEMBERS", "none"), ("SPOP", "none", "2"), ("SPOP", "none"))
    assert [x.kind for x in resp2] == ["*", "*", "$"]


def test_dirty_counts(r):
    before = dirty(r)
    r.sadd("s", "a", "b", "a")
    assert dirty(r) - before == 2
    r.sadd("s", "a")
    assert dirty(r) - before == 2
    r.srem("s", "a", "x")
    assert dirty(r) - before == 3
    r.sadd("p", *range(10))
    before = dirty(r)
    r.spop("p", 3)
    assert dirty(r) - before == 3
    r.spop("p", 100)
    assert dirty(r) - before == 10
    before = dirty(r)
    r.spop("s")
    assert dirty(r) - before == 1


COMMANDS = {
    # name: (arity, flags, (first, last, step), acl, since)
    "sadd": (-3, {"write", "denyoom", "fast"}, (1, 1, 1), {"@write", "@set", "@fast"}, "1.0.0"),
    "srem": (-3, {"write", "fast"}, (1, 1, 1), {"@write", "@set", "@fast"}, "1.0.0"),
    "smembers": (2, {"readonly"}, (1, 1, 1), {"@read", "@set", "@slow"}, "1.0.0"),
    "sismember": (3, {"readonly", "fast"}, (1, 1, 1), {"@read", "@set", "@fast"}, "1.0.0"),
    "smismember": (-3, {"readonly", "fast"}, (1, 1, 1), {"@read", "@set", "@fast"}, "6.2.0"),
    "scard": (2, {"readonly", "fast"}, (1, 1, 1), {"@read", "@set", "@fast"}, "1.0.0"),
    "spop": (-2, {"write", "fast"}, (1, 1, 1), {"@write", "@set", "@fast"}, "1.0.0"),
    "srandmember": (-2, {"readonly"}, (1, 1, 1), {"@read", "@set", "@slow"}, "1.0.0"),
    "smove": (4, {"write", "fast"}, (1, 2, 1), {"@write", "@set", "@fast"}, "1.0.0"),
    "sinter": (-2, {"readonly"}, (1, -1, 1), {"@read", "@set", "@slow"}, "1.0.0"),
    "sintercard": (-3, {"readonly", "movablekeys"}, (0, 0, 0), {"@read", "@set", "@slow"},
                   "7.0.0"),
    "sinterstore": (-3, {"write", "denyoom"}, (1, -1, 1), {"@write", "@set", "@slow"}, "1.0.0"),
    "sunion": (-2, {"readonly"}, (1, -1, 1), {"@read", "@set", "@slow"}, "1.0.0"),
    "sunionstore": (-3, {"write", "denyoom"}, (1, -1, 1), {"@write", "@set", "@slow"}, "1.0.0"),
    "sdiff": (-2, {"readonly"}, (1, -1, 1), {"@read", "@set", "@slow"}, "1.0.0"),
    "sdiffstore": (-3, {"write", "denyoom"}, (1, -1, 1), {"@write", "@set", "@slow"}, "1.0.0"),
    "sscan": (-3, {"readonly"}, (1, 1, 1), {"@read", "@set", "@slow"}, "2.8.0"),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_info_and_docs(r, name):
    arity, flags, keys, acl, since = COMMANDS[name]
    [entry] = raw(r, "COMMAND", "INFO", name)
    assert entry[0] == name.encode()
    assert entry[1] == arity
    assert {f.decode() for f in entry[2]} == flags
    assert tuple(entry[3:6]) == keys
    assert {a.decode() for a in entry[6]} == acl
    docs = raw(r, "COMMAND", "DOCS", name)
    doc = as_dict(docs[1])
    assert doc[b"group"] == b"set" and doc[b"since"] == since.encode()
    assert doc[b"summary"] and doc[b"complexity"]


def test_digest(make_server):
    c = make_server("--enable-debug-command", "yes").client()
    c.sadd("a", "x", "y", 1, 2)
    c.sadd("b", 2, "y", 1, "x")
    c.sadd("h", *(f"m{i}" for i in range(1, 201)))
    # Values from redis-server 7.0: members XORed in, whatever the encoding.
    assert c.execute_command("DEBUG", "DIGEST-VALUE", "a") == [
        b"d9a5e496512416d64a1c5e6d33afd9f2f9c366c5"]
    assert c.execute_command("DEBUG", "DIGEST-VALUE", "b") == [
        b"d9a5e496512416d64a1c5e6d33afd9f2f9c366c5"]
    assert c.execute_command("DEBUG", "DIGEST-VALUE", "h") == [
        b"ceb10dff55893ab967c6da35a875f76b3b9d8b5d"]
    c.close()


def test_large_set(r):
    p = r.pipeline(transaction=False)
    for i in range(0, 20000, 1000):
        p.sadd("s", *(f"member:{j}" for j in range(i, i + 1000)))
    p.execute()
    assert r.scard("s") == 20000
    assert r.sismember("s", "member:19999")
    assert len(r.spop("s", 19990)) == 19990
    assert r.scard("s") == 10
