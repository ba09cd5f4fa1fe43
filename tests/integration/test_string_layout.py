"""Strings at the sizes where Basalt's key entry changes shape: values held in the payload
(up to 8 bytes), in the entry (up to 44), or in their own buffer; keys with a short or a
4-byte length; entries that move when a key first gets a TTL or a longer value. Whatever the
layout, clients see what Redis shows: the same bytes, TTLs, encodings and lengths."""
import pytest

from conftest import encoding

LENGTHS = [0, 1, 8, 9, 16, 43, 44, 45, 100]
KEYS = ["k", "key:000000000001", "x" * 254, "y" * 255, "z" * 300]


def text(n, seed="v"):
    return (seed + "abcdefghij" * 20)[:n]


@pytest.mark.parametrize("n", LENGTHS)
def test_value_bytes_and_encoding_by_length(r, n):
    r.set("k", text(n))
    assert r.get("k") == text(n).encode()
    assert r.strlen("k") == n
    assert encoding(r, "k") == (b"embstr" if n <= 44 else b"raw")


@pytest.mark.parametrize("key", KEYS)
def test_keys_of_every_length_keep_value_and_ttl(r, key):
    r.set(key, text(16), ex=1000)
    assert r.get(key) == text(16).encode()
    assert 990 <= r.ttl(key) <= 1000
    assert r.persist(key)
    assert r.ttl(key) == -1
    assert r.get(key) == text(16).encode()
    assert set(r.scan_iter(match=key[:3] + "*")) == {key.encode()}


@pytest.mark.parametrize("n", [5, 16, 44])
def test_first_ttl_then_persist_then_ttl_again(r, n):
    r.set("a", text(n))
    r.set("b", "other", ex=500)
    assert r.expire("a", 100)
    assert r.get("a") == text(n).encode()
    assert 95 <= r.ttl("a") <= 100
    assert r.persist("a")
    assert r.expire("a", 200)
    assert 195 <= r.ttl("a") <= 200
    assert r.get("a") == text(n).encode()
    assert encoding(r, "a") == b"embstr"
    assert 495 <= r.ttl("b") <= 500


def test_overwrite_with_longer_and_shorter_values_keeps_ttl_on_keepttl(r):
    r.set("k", "short", ex=300)
    for n in [16, 44, 3, 45, 30]:
        r.set("k", text(n, "w"), keepttl=True)
        assert r.get("k") == text(n, "w").encode()
        assert 295 <= r.ttl("k") <= 300
    r.set("k", text(20))  # a plain SET drops the TTL
    assert r.ttl("k") == -1
    r.set("k", text(40), px=50000)
    assert 49000 <= r.pttl("k") <= 50000
    assert r.getex("k", ex=70) == text(40).encode()
    assert 65 <= r.ttl("k") <= 70
    assert r.getex("k", persist=True) == text(40).encode()
    assert r.ttl("k") == -1


def test_edits_turn_an_embedded_string_raw(r):
    r.set("k", text(16))
    assert r.append("k", "++") == 18
    assert r.get("k") == (text(16) + "++").encode()
    assert encoding(r, "k") == b"raw"
    r.set("s", text(12))
    assert r.setrange("s", 14, "zz") == 16
    assert r.get("s") == text(12).encode() + b"\x00\x00zz"
    r.set("n", "41")
    assert r.incr("n") == 42
    assert encoding(r, "n") == b"int"
    r.set("f", "abcdefghijklmnop")
    assert r.getrange("f", 4, 11) == b"efghijkl"


def test_rename_move_copy_keep_value_and_ttl(server, r):
    r.set("src", text(30), ex=400)
    assert r.rename("src", "dst")
    assert r.get("dst") == text(30).encode()
    assert 395 <= r.ttl("dst") <= 400
    assert r.copy("dst", "cpy")
    assert r.get("cpy") == text(30).encode()
    assert 395 <= r.ttl("cpy") <= 400
    assert r.move("dst", 1)
    r1 = server.client(db=1)
    assert r1.get("dst") == text(30).encode()
    assert 395 <= r1.ttl("dst") <= 400
    assert encoding(r1, "dst") == b"embstr"


def test_many_keys_gaining_ttls_during_a_scan_are_all_returned(r):
    keys = [f"key:{i:012d}" for i in range(2000)]
    for i in range(0, len(keys), 500):
        r.mset({k: f"val:{k[4:]}" for k in keys[i:i + 500]})
    seen = set()
    cursor = 0
    step = 0
    while True:
        cursor, batch = r.scan(cursor, count=50)
        seen.update(batch)
        for k in keys[step * 40:(step + 1) * 40]:
            r.expire(k, 1000)  # each key's first TTL
        r.set(f"new:{step}", "x" * 16)
        step += 1
        if cursor == 0:
            break
    assert {k.encode() for k in keys} <= seen
    assert all(r.get(k) == f"val:{k[4:]}".encode() for k in keys[::97])
