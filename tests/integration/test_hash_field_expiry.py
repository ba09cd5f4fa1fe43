"""Hash-field expiry, a Redis 7.4 feature: HEXPIRE HPEXPIRE HEXPIREAT HPEXPIREAT HTTL HPTTL
HEXPIRETIME HPEXPIRETIME HPERSIST, lazy and active expiry of fields, and how field TTLs follow
the key through RENAME, MOVE, COPY and SWAPDB. Expectations come from Redis 7.4's command
documentation; the reference redis-server is 7.0, so every test here runs against Basalt
only."""
import time


from conftest import WRONGTYPE, dirty, encoding, redis_7_4_only, arity
from resp_util import error, raw

pytestmark = redis_7_4_only

FIELDS_MISSING = "Mandatory argument FIELDS is missing or not at the right position"
NUMFIELDS_MISMATCH = "The `numfields` parameter must match the number of arguments"


def hexpire(r, cmd, key, t, *fields, cond=None):
    args = [cmd, key, str(t)] + ([cond] if cond else []) + ["FIELDS", str(len(fields))]
    return raw(r, *args, *fields)


def ttl(r, cmd, key, *fields):
    return raw(r, cmd, key, "FIELDS", str(len(fields)), *fields)


def wait_for(pred, timeout=3.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(0.02)
    return False


# --- setting and reading TTLs ------------------------------------------------------------------


def test_hexpire_and_httl(r):
    r.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
    assert hexpire(r, "HEXPIRE", "h", 100, "a", "b", "nope") == [1, 1, -2]
    assert ttl(r, "HTTL", "h", "a", "c", "nope") == [100, -1, -2]
    pttl = ttl(r, "HPTTL", "h", "a")[0]
    assert 99_000 < pttl <= 100_000
    now = time.time()
    [when] = ttl(r, "HEXPIRETIME", "h", "a")
    assert abs(when - (now + 100)) <= 2
    [pwhen] = ttl(r, "HPEXPIRETIME", "h", "b")
    assert abs(pwhen - (now + 100) * 1000) <= 2000
    # Fields keep their values.
    assert r.hgetall("h") == {b"a": b"1", b"b": b"2", b"c": b"3"}
    assert r.hlen("h") == 3


def test_absolute_and_millisecond_variants(r):
    r.hset("h", mapping={"a": "1", "b": "2"})
    at = int(time.time()) + 1000
    assert hexpire(r, "HEXPIREAT", "h", at, "a") == [1]
    assert ttl(r, "HEXPIRETIME", "h", "a") == [at]
    assert ttl(r, "HPEXPIRETIME", "h", "a") == [at * 1000]
    pat = int(time.time() * 1000) + 500_000
    assert hexpire(r, "HPEXPIREAT", "h", pat, "b") == [1]
    assert ttl(r, "HPEXPIRETIME", "h", "b") == [pat]
    assert hexpire(r, "HPEXPIRE", "h", 5000, "b") == [1]
    assert 4000 < ttl(r, "HPTTL", "h", "b")[0] <= 5000


def test_missing_key_and_listpack_hash(r):
    assert hexpire(r, "HEXPIRE", "nokey", 10, "a", "b") == [-2, -2]
    for cmd in ("HTTL", "HPTTL", "HEXPIRETIME", "HPEXPIRETIME", "HPERSIST"):
        assert ttl(r, cmd, "nokey", "a") == [-2]
    r.hset("h", "a", "1")
    assert encoding(r, "h") == b"listpack"
    assert ttl(r, "HTTL", "h", "a", "b") == [-1, -2]
    assert ttl(r, "HPERSIST", "h", "a", "b") == [-1, -2]
    assert r.exists("nokey") == 0


def test_conditions(r):
    r.hset("h", mapping={"a": "1", "b": "2"})
    # No TTL yet: XX and GT do nothing; NX sets; LT sets (no TTL counts as infinite).
    assert hexpire(r, "HEXPIRE", "h", 100, "a", cond="XX") == [0]
    assert hexpire(r, "HEXPIRE", "h", 100, "a", cond="GT") == [0]
    assert ttl(r, "HTTL", "h", "a") == [-1]
    assert hexpire(r, "HEXPIRE", "h", 100, "a", cond="NX") == [1]
    assert hexpire(r, "HEXPIRE", "h", 100, "b", cond="lt") == [1]
    # With a TTL: NX fails; XX passes; GT/LT compare.
    assert hexpire(r, "HEXPIRE", "h", 200, "a", cond="NX") == [0]
    assert hexpire(r, "HEXPIRE", "h", 200, "a", cond="XX") == [1]
    assert hexpire(r, "HEXPIRE", "h", 150, "a", cond="GT") == [0]
    assert hexpire(r, "HEXPIRE", "h", 300, "a", cond="GT") == [1]
    assert hexpire(r, "HEXPIRE", "h", 400, "a", cond="LT") == [0]
    assert hexpire(r, "HEXPIRE", "h", 50, "a", cond="LT") == [1]
    assert ttl(r, "HTTL", "h", "a", "b") == [50, 100]


def test_time_in_the_past_deletes_fields(r):
    r.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
    assert hexpire(r, "HEXPIRE", "h", 0, "a") == [2]
    assert r.hexists("h", "a") == 0
    assert hexpire(r, "HPEXPIREAT", "h", 1000, "b", "zz") == [2, -2]
    assert r.hgetall("h") == {b"c": b"3"}
    # Deleting the last field deletes the key; later fields of the same call are gone too.
    assert hexpire(r, "HEXPIREAT", "h", 1, "c", "c") == [2, -2]
    assert r.exists("h") == 0


def test_hpersist(r):
    r.hset("h", mapping={"a": "1", "b": "2"})
    hexpire(r, "HEXPIRE", "h", 100, "a")
    before = dirty(r)
    assert ttl(r, "HPERSIST", "h", "a", "b", "nope") == [1, -1, -2]
    assert dirty(r) == before + 1
    assert ttl(r, "HTTL", "h", "a") == [-1]
    assert ttl(r, "HPERSIST", "h", "a") == [-1]
    assert dirty(r) == before + 1


def test_dirty_counts_changed_fields(r):
    r.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
    before = dirty(r)
    hexpire(r, "HEXPIRE", "h", 100, "a", "b", "nope")
    assert dirty(r) == before + 2
    hexpire(r, "HEXPIRE", "h", 100, "a", cond="NX")
    assert dirty(r) == before + 2
    hexpire(r, "HEXPIRE", "h", 0, "c")
    assert dirty(r) == before + 3


# --- what removes or keeps a TTL ------------------------------------------------------------


def test_hset_clears_ttl_hincrby_keeps_it(r):
    r.hset("h", mapping={"a": "1", "b": "2", "c": "x"})
    hexpire(r, "HEXPIRE", "h", 100, "a", "b", "c")
    r.hset("h", "a", "10")
    assert ttl(r, "HTTL", "h", "a") == [-1]
    assert r.hincrby("h", "b", 5) == 7
    assert ttl(r, "HTTL", "h", "b") == [100]
    r.hincrbyfloat("h", "b", 0.5)
    assert ttl(r, "HTTL", "h", "b") == [100]
    assert r.hsetnx("h", "c", "y") == 0
    assert ttl(r, "HTTL", "h", "c") == [100]
    r.hdel("h", "c")
    r.hset("h", "c", "again")
    assert ttl(r, "HTTL", "h", "c") == [-1]


def test_key_expiry_and_field_expiry_are_independent(r):
    r.hset("h", mapping={"a": "1", "b": "2"})
    hexpire(r, "HEXPIRE", "h", 100, "a")
    r.expire("h", 1000)
    assert r.ttl("h") == 1000
    assert ttl(r, "HTTL", "h", "a") == [100]
    r.persist("h")
    assert ttl(r, "HTTL", "h", "a") == [100]


# --- expiry ------------------------------------------------------------------------------------


def test_expired_fields_are_invisible(r):
    r.hset("h", mapping={"a": "1", "b": "2", "c": "x" * 100})
    hexpire(r, "HPEXPIRE", "h", 50, "a", "c")
    time.sleep(0.12)
    assert r.hget("h", "a") is None
    assert r.hmget("h", "a", "b") == [None, b"2"]
    assert r.hexists("h", "a") == 0
    assert r.hstrlen("h", "a") == 0
    assert r.hlen("h") == 1
    assert r.hkeys("h") == [b"b"]
    assert r.hvals("h") == [b"2"]
    assert r.hgetall("h") == {b"b": b"2"}
    assert r.hrandfield("h", -5) == [b"b"] * 5
    assert r.hscan("h", 0) == (0, {b"b": b"2"})
    assert ttl(r, "HTTL", "h", "a", "b") == [-2, -1]
    assert hexpire(r, "HEXPIRE", "h", 10, "a") == [-2]


def test_hash_whose_last_field_expires_is_deleted(r):
    r.hset("h", mapping={"a": "1", "b": "2"})
    hexpire(r, "HPEXPIRE", "h", 50, "a", "b")
    time.sleep(0.12)
    assert r.exists("h") == 0
    assert r.type("h") == b"none"
    assert r.hgetall("h") == {}


def test_active_expiry_removes_fields_without_access(r):
    r.hset("h", mapping={"a": "1", "b": "2"})
    r.hset("gone", "only", "1")
    hexpire(r, "HPEXPIRE", "h", 50, "a")
    hexpire(r, "HPEXPIRE", "gone", 50, "only")
    # DBSIZE and KEYS do not look at values: the key disappears only by active expiry.
    assert wait_for(lambda: r.dbsize() == 1)
    assert r.keys("*") == [b"h"]
    assert r.hgetall("h") == {b"b": b"2"}


def test_many_fields_expire_actively(r):
    r.hset("h", mapping={f"f{i}": "v" for i in range(3000)})
    for start in range(0, 3000, 500):
        hexpire(r, "HPEXPIRE", "h", 30, *[f"f{i}" for i in range(start, start + 500)])
    assert wait_for(lambda: r.dbsize() == 0, timeout=5)


def test_field_ttls_follow_rename_move_copy_swapdb(r, server):
    # Each hash has one field, with a TTL: active expiry must delete every one of them, in
    # whichever database and under whichever name it ended up (DBSIZE does not read values,
    # so only the active cycle can bring it to 0).
    def make(key):
        r.hset(key, "go", "1")
        assert hexpire(r, "HPEXPIRE", key, 200, "go") == [1]

    make("src")
    r.rename("src", "renamed")
    make("m")
    r.move("m", 1)
    make("orig")
    r.copy("orig", "copied")
    make("s")
    r.swapdb(0, 2)
    db1 = server.client(db=1)
    db2 = server.client(db=2)
    assert r.dbsize() == 0
    assert db1.dbsize() == 1 and db2.dbsize() == 4
    for key in ("renamed", "orig", "copied", "s"):
        assert 0 < ttl(db2, "HPTTL", key, "go")[0] <= 200
    assert wait_for(lambda: db1.dbsize() == 0 and db2.dbsize() == 0)
    db1.close()
    db2.close()


def test_flushdb_forgets_field_ttls(r):
    r.hset("h", mapping={"a": "1", "b": "2"})
    hexpire(r, "HPEXPIRE", "h", 50, "a")
    r.flushdb()
    r.hset("h", mapping={"a": "new", "b": "2"})
    time.sleep(0.15)
    assert r.hgetall("h") == {b"a": b"new", b"b": b"2"}


# --- errors ------------------------------------------------------------------------------------


def test_hexpire_errors(r):
    r.hset("h", "a", "1")
    r.set("str", "x")
    assert error(r, "HEXPIRE", "str", "10", "FIELDS", "1", "a") == WRONGTYPE
    assert error(r, "HTTL", "str", "FIELDS", "1", "a") == WRONGTYPE
    assert error(r, "HPERSIST", "str", "FIELDS", "1", "a") == WRONGTYPE
    assert error(r, "HEXPIRE", "h", "abc", "FIELDS", "1", "a") == \
        "value is not an integer or out of range"
    assert error(r, "HEXPIRE", "h", "-1", "FIELDS", "1", "a") == \
        "invalid expire time, must be >= 0"
    assert error(r, "HEXPIRE", "h", str(2**46), "FIELDS", "1", "a") == \
        "invalid expire time in 'hexpire' command"
    assert error(r, "HPEXPIREAT", "h", str(2**46), "FIELDS", "1", "a") == \
        "invalid expire time in 'hpexpireat' command"
    assert error(r, "HEXPIRE", "h", "10", "FIELD", "1", "a") == FIELDS_MISSING
    assert error(r, "HEXPIRE", "h", "10", "XY", "FIELDS", "1", "a") == FIELDS_MISSING
    assert error(r, "HEXPIRE", "h", "10", "FIELDS", "0", "a") == \
        "Parameter `numFields` should be greater than 0"
    assert error(r, "HEXPIRE", "h", "10", "FIELDS", "x", "a") == \
        "Parameter `numFields` should be greater than 0"
    assert error(r, "HEXPIRE", "h", "10", "FIELDS", "2", "a") == NUMFIELDS_MISMATCH
    assert error(r, "HEXPIRE", "h", "10", "FIELDS", "1", "a", "b") == NUMFIELDS_MISMATCH
    assert error(r, "HEXPIRE", "h", "10", "NX", "FIELDS", "2", "a") == NUMFIELDS_MISMATCH
    assert error(r, "HEXPIRE", "h", "10", "FIELDS", "1") == arity("hexpire")
    # Errors on a missing key too (arguments are checked before the key is looked at).
    assert error(r, "HEXPIRE", "nokey", "10", "FIELDS", "2", "a") == NUMFIELDS_MISMATCH


def test_httl_hpersist_errors(r):
    r.hset("h", "a", "1")
    for cmd in ("HTTL", "HPTTL", "HEXPIRETIME", "HPEXPIRETIME", "HPERSIST"):
        assert error(r, cmd, "h", "FIELD", "1", "a") == FIELDS_MISSING
        assert error(r, cmd, "h", "FIELDS", "0", "a") == \
            "Number of fields must be a positive integer"
        assert error(r, cmd, "h", "FIELDS", "-1", "a") == \
            "Number of fields must be a positive integer"
        assert error(r, cmd, "h", "FIELDS", "2", "a") == NUMFIELDS_MISMATCH
        assert error(r, cmd, "h", "FIELDS", "1") == arity(cmd.lower())


def test_command_info_rows(r):
    rows = {
        "hexpire": (-6, {"write", "denyoom", "fast"}), "hpexpire": (-6, {"write", "denyoom", "fast"}),
        "hexpireat": (-6, {"write", "denyoom", "fast"}),
        "hpexpireat": (-6, {"write", "denyoom", "fast"}),
        "httl": (-5, {"readonly", "fast"}), "hpttl": (-5, {"readonly", "fast"}),
        "hexpiretime": (-5, {"readonly", "fast"}), "hpexpiretime": (-5, {"readonly", "fast"}),
        "hpersist": (-5, {"write", "fast"}),
    }
    for name, (ar, flags) in rows.items():
        [row] = raw(r, "COMMAND", "INFO", name)
        assert row[1] == ar
        assert {f.decode() for f in row[2]} == flags
        assert row[3:6] == [1, 1, 1]
        assert b"@hash" in row[6]


def test_hscan_novalues(r):
    r.hset("small", mapping={"a": "1", "b": "2"})
    assert raw(r, "HSCAN", "small", "0", "NOVALUES") == [b"0", [b"a", b"b"]]
    r.hset("big", mapping={f"f{i}": "v" for i in range(600)})
    seen = []
    cursor = b"0"
    while True:
        cursor, items = raw(r, "HSCAN", "big", cursor, "NOVALUES", "COUNT", "50")
        seen += items
        if cursor == b"0":
            break
    assert sorted(set(seen)) == sorted(f"f{i}".encode() for i in range(600))
