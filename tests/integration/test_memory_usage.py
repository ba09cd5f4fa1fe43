"""MEMORY USAGE: per-key sizes that follow what the key holds, and Redis's argument errors."""
import pytest
import redis

from conftest import NOT_INT


def usage(r, key, *args):
    return r.execute_command("MEMORY", "USAGE", key, *args)


def test_missing_key_is_nil(r):
    assert usage(r, "missing") is None


def test_grows_with_the_value(r):
    r.set("small", "x")
    r.set("big", "x" * 100000)
    assert 16 < usage(r, "small") < 200
    assert 100000 <= usage(r, "big") < 140000
    r.rpush("l10", *range(10))
    r.rpush("l10k", *[f"element:{i:010d}" for i in range(10000)])
    assert usage(r, "l10k") > 10000 * 18 > usage(r, "l10")
    r.hset("h", mapping={f"f{i}": "v" * 100 for i in range(1000)})
    assert usage(r, "h") > 1000 * 100


def test_samples_argument(r):
    r.set("k", "v")
    assert usage(r, "k", "SAMPLES", "0") == usage(r, "k")
    assert usage(r, "k", "samples", "5") == usage(r, "k")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        usage(r, "k", "SAMPLES", "-1")
    with pytest.raises(redis.ResponseError, match=NOT_INT):
        usage(r, "k", "SAMPLES", "x")
    for args in (["SAMPLES"], ["foo"], ["SAMPLES", "1", "extra"]):
        with pytest.raises(redis.ResponseError, match="syntax error"):
            usage(r, "k", *args)
    with pytest.raises(redis.ResponseError, match="wrong number of arguments"):
        r.execute_command("MEMORY", "USAGE")
