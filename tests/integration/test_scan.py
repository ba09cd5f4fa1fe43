"""SCAN: cursor iteration over the keyspace, MATCH, COUNT and TYPE, guarantees under change."""
import random
import time

import pytest

from resp_util import error, raw_scan


def full_scan(r, **kwargs):
    """Every key a complete SCAN returns, with duplicates, and the number of calls."""
    cursor, keys, calls = 0, [], 0
    while True:
        cursor, batch = r.scan(cursor, **kwargs)
        keys.extend(batch)
        calls += 1
        if cursor == 0:
            return keys, calls


def fill(r, n, prefix="key:", **set_kwargs):
    p = r.pipeline(transaction=False)
    for i in range(n):
        p.set(f"{prefix}{i}", i, **set_kwargs)
    p.execute()


def test_scan_empty_database(r):
    assert r.scan(0) == (0, [])


def test_scan_returns_every_key(r):
    fill(r, 1000)
    keys, calls = full_scan(r)
    assert set(keys) == {f"key:{i}".encode() for i in range(1000)}
    assert calls > 1


def test_scan_cursor_is_a_bulk_string(server, r):
    r.set("k", "v")
    assert raw_scan(server.port, 0) == b"*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n"
    fill(r, 100)
    reply = raw_scan(server.port, 0)
    lines = reply.split(b"\r\n")
    assert lines[0] == b"*2"
    assert lines[1] == b"$%d" % len(lines[2])
    assert int(lines[2]) > 0


def test_scan_count(r):
    fill(r, 1000)
    cursor, batch = r.scan(0, count=200)
    # COUNT is a hint: whole buckets are returned, so a little more is possible.
    assert 150 <= len(batch) <= 300
    assert cursor != 0
    keys, calls = full_scan(r, count=5000)
    assert calls == 1
    assert len(set(keys)) == 1000


def test_scan_count_errors(r):
    assert error(r, "SCAN", 0, "COUNT", 0) == "syntax error"
    assert error(r, "SCAN", 0, "COUNT", -1) == "syntax error"
    assert error(r, "SCAN", 0, "COUNT", "x") == "value is not an integer or out of range"
    assert error(r, "SCAN", 0, "COUNT") == "syntax error"
    assert error(r, "SCAN", 0, "MATCH") == "syntax error"
    assert error(r, "SCAN", 0, "TYPE") == "syntax error"
    assert error(r, "SCAN", 0, "FOO", "bar") == "syntax error"
    assert error(r, "SCAN", 0, "COUNT", 10, "MATCH") == "syntax error"
    assert error(r, "SCAN") == "wrong number of arguments for 'scan' command"


@pytest.mark.parametrize("cursor", ["abc", " 1", "1 ", "1.0", "0x1", "18446744073709551616",
                                    "-", "+", "1a"])
def test_scan_invalid_cursor(r, cursor):
    assert error(r, "SCAN", cursor) == "invalid cursor"
    # The cursor is checked before the options.
    assert error(r, "SCAN", cursor, "COUNT", 0) == "invalid cursor"


@pytest.mark.parametrize("cursor", ["", "+0", "-0", "007", "-1", "18446744073709551615"])
def test_scan_cursors_strtoul_accepts(r, cursor):
    r.set("k", "v")
    reply = r.execute_command("SCAN", cursor)
    assert len(reply) == 2


def test_scan_match(r):
    fill(r, 200, prefix="user:")
    fill(r, 200, prefix="item:")
    keys, _ = full_scan(r, match="user:1*")
    expected = {f"user:{i}".encode() for i in range(200) if str(i).startswith("1")}
    assert set(keys) == expected
    keys, _ = full_scan(r, match="*")
    assert len(set(keys)) == 400
    keys, _ = full_scan(r, match="nomatch*")
    assert keys == []


def test_scan_match_filters_after_count(r):
    # COUNT bounds the keys visited, not the keys returned: a selective MATCH may return
    # empty pages with a non-zero cursor.
    fill(r, 1000)
    r.set("needle", "1")
    cursor, batch = r.scan(0, match="needle", count=10)
    assert len(batch) <= 1
    keys, _ = full_scan(r, match="needle", count=10)
    assert keys == [b"needle"]


def test_scan_type(r):
    fill(r, 50)
    keys, _ = full_scan(r, _type="string")
    assert len(set(keys)) == 50
    keys, _ = full_scan(r, _type="STRING")
    assert len(set(keys)) == 50
    keys, _ = full_scan(r, _type="list")
    assert keys == []
    # An unknown type matches nothing rather than failing.
    keys, _ = full_scan(r, _type="nosuchtype")
    assert keys == []
    keys, _ = full_scan(r, match="key:1*", _type="string")
    assert set(keys) == {f"key:{i}".encode() for i in range(50) if str(i).startswith("1")}


def test_scan_never_returns_expired_keys(r):
    fill(r, 300, prefix="dead:", px=1)
    fill(r, 300, prefix="live:")
    time.sleep(0.02)
    keys, _ = full_scan(r)
    assert set(keys) == {f"live:{i}".encode() for i in range(300)}
    # The expired keys SCAN met are gone now.
    assert r.dbsize() == 300


def test_scan_only_current_database(server, r):
    fill(r, 20)
    r1 = server.client(db=1)
    try:
        r1.set("other", "1")
        keys, _ = full_scan(r1)
        assert keys == [b"other"]
    finally:
        r1.close()


def test_scan_guarantee_under_concurrent_changes(r):
    """Keys present for the whole scan are returned at least once, while the keyspace grows,
    shrinks and rehashes between calls."""
    rng = random.Random(1234)
    n = 10000
    fill(r, n, prefix="stable:")
    fill(r, 3000, prefix="gone:")
    seen = set()
    cursor = 0
    added = 0
    removed = 0
    calls = 0
    while True:
        cursor, batch = r.scan(cursor, count=rng.choice([10, 50, 200]))
        seen.update(batch)
        calls += 1
        # Between calls: add keys (forcing the table to grow) and delete others (letting it
        # shrink), never touching the stable ones.
        p = r.pipeline(transaction=False)
        for _ in range(rng.randint(0, 60)):
            p.set(f"new:{added}", 1)
            added += 1
        if removed < 3000:
            batch_remove = [f"gone:{i}" for i in range(removed, min(removed + 40, 3000))]
            removed += len(batch_remove)
            p.delete(*batch_remove)
        p.execute()
        if cursor == 0:
            break
    missing = [i for i in range(n) if f"stable:{i}".encode() not in seen]
    assert missing == []
    assert calls > 10


def test_scan_guarantee_while_shrinking(r):
    """A table that shrinks a lot mid-scan still yields every surviving key."""
    fill(r, 10000, prefix="stable:")
    fill(r, 40000, prefix="gone:")
    seen = set()
    cursor, batch = r.scan(0, count=100)
    seen.update(batch)
    removed = 0
    while cursor != 0:
        if removed < 40000:
            p = r.pipeline(transaction=False)
            p.delete(*[f"gone:{i}" for i in range(removed, removed + 2000)])
            p.execute()
            removed += 2000
        cursor, batch = r.scan(cursor, count=100)
        seen.update(batch)
    missing = [i for i in range(10000) if f"stable:{i}".encode() not in seen]
    assert missing == []
