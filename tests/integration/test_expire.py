"""Key expiry: EXPIRE PEXPIRE EXPIREAT PEXPIREAT (NX XX GT LT) TTL PTTL EXPIRETIME PEXPIRETIME
PERSIST, and lazy and active expiry."""
import time

import pytest

from conftest import I64_MAX, I64_MIN
from resp_util import error


def now_ms():
    return int(time.time() * 1000)


# --- Setting and reading TTLs ----------------------------------------------------------------


def test_expire_and_ttl(r):
    r.set("k", "v")
    assert r.ttl("k") == -1
    assert r.pttl("k") == -1
    assert r.execute_command("EXPIRE", "k", 100) == 1
    assert 99 <= r.ttl("k") <= 100
    assert 99000 < r.pttl("k") <= 100000
    assert r.ttl("nosuch") == -2
    assert r.pttl("nosuch") == -2
    assert r.execute_command("EXPIRE", "nosuch", 100) == 0
    assert r.exists("nosuch") == 0


def test_pexpire(r):
    r.set("k", "v")
    assert r.execute_command("PEXPIRE", "k", 100000) == 1
    assert 99000 < r.pttl("k") <= 100000
    assert r.ttl("k") == 100


def test_ttl_rounds_to_nearest_second(r):
    r.set("k", "v")
    r.execute_command("PEXPIRE", "k", 10400)
    assert r.ttl("k") == 10
    r.execute_command("PEXPIRE", "k", 10900)
    assert r.ttl("k") == 11


def test_expireat_and_pexpireat(r):
    r.set("k", "v")
    at = int(time.time()) + 100
    assert r.execute_command("EXPIREAT", "k", at) == 1
    assert r.execute_command("EXPIRETIME", "k") == at
    assert r.execute_command("PEXPIRETIME", "k") == at * 1000
    assert 95 <= r.ttl("k") <= 100
    at_ms = now_ms() + 50000
    assert r.execute_command("PEXPIREAT", "k", at_ms) == 1
    assert r.execute_command("PEXPIRETIME", "k") == at_ms
    assert r.execute_command("EXPIRETIME", "k") == (at_ms + 500) // 1000
    assert r.execute_command("EXPIREAT", "nosuch", at) == 0
    assert r.execute_command("PEXPIREAT", "nosuch", at_ms) == 0


def test_expiretime_without_ttl_or_key(r):
    r.set("k", "v")
    assert r.execute_command("EXPIRETIME", "k") == -1
    assert r.execute_command("PEXPIRETIME", "k") == -1
    assert r.execute_command("EXPIRETIME", "nosuch") == -2
    assert r.execute_command("PEXPIRETIME", "nosuch") == -2


def test_persist(r):
    r.set("k", "v", ex=100)
    assert r.persist("k") is True
    assert r.ttl("k") == -1
    assert r.persist("k") is False
    assert r.persist("nosuch") is False
    assert r.get("k") == b"v"


def test_expire_replaces_previous_ttl(r):
    r.set("k", "v", ex=100)
    r.execute_command("EXPIRE", "k", 1000)
    assert 999 <= r.ttl("k") <= 1000
    r.execute_command("EXPIRE", "k", 10)
    assert 9 <= r.ttl("k") <= 10


# --- Times in the past -----------------------------------------------------------------------


@pytest.mark.parametrize("cmd,when", [
    ("EXPIRE", -1), ("EXPIRE", 0), ("PEXPIRE", -100), ("PEXPIRE", 0),
    ("EXPIREAT", 1), ("PEXPIREAT", 0), ("PEXPIREAT", -5),
    ("PEXPIRE", I64_MIN), ("EXPIRE", -9223372036854775),
])
def test_time_in_the_past_deletes_the_key(r, cmd, when):
    r.set("k", "v")
    before = r.info("stats")["expired_keys"]
    assert r.execute_command(cmd, "k", when) == 1
    assert r.exists("k") == 0
    assert r.ttl("k") == -2
    # An explicit delete, not an expiry.
    assert r.info("stats")["expired_keys"] == before
    assert r.execute_command(cmd, "k", when) == 0


# --- Errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("cmd", ["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"])
def test_expire_errors(r, cmd):
    r.set("k", "v")
    name = cmd.lower()
    assert error(r, cmd, "k", "abc") == "value is not an integer or out of range"
    assert error(r, cmd, "k", "1.5") == "value is not an integer or out of range"
    assert error(r, cmd, "k", "") == "value is not an integer or out of range"
    assert error(r, cmd, "k", "9223372036854775808") == "value is not an integer or out of range"
    assert error(r, cmd, "k") == f"wrong number of arguments for '{name}' command"
    assert error(r, cmd, "k", "10", "FOO") == "Unsupported option FOO"
    # Options are checked before the time.
    assert error(r, cmd, "k", "abc", "bar") == "Unsupported option bar"
    assert error(r, cmd, "k", "10", "NX", "XX") == \
        "NX and XX, GT or LT options at the same time are not compatible"
    assert error(r, cmd, "k", "10", "nx", "gt") == \
        "NX and XX, GT or LT options at the same time are not compatible"
    assert error(r, cmd, "k", "10", "lt", "NX") == \
        "NX and XX, GT or LT options at the same time are not compatible"
    assert error(r, cmd, "k", "10", "GT", "LT") == \
        "GT and LT options at the same time are not compatible"
    assert r.ttl("k") == -1


@pytest.mark.parametrize("cmd,when", [
    ("EXPIRE", I64_MAX), ("EXPIRE", 9223372036854775), ("EXPIRE", I64_MIN),
    ("EXPIRE", -9223372036854776), ("EXPIREAT", 9223372036854776),
    ("EXPIREAT", I64_MIN), ("PEXPIRE", I64_MAX), ("PEXPIRE", I64_MAX - 1000),
])
def test_expire_time_overflow(r, cmd, when):
    r.set("k", "v")
    assert error(r, cmd, "k", when) == f"invalid expire time in '{cmd.lower()}' command"
    assert r.ttl("k") == -1
    # Checked even when the key does not exist.
    assert error(r, cmd, "nosuch", when) == f"invalid expire time in '{cmd.lower()}' command"


def test_expire_far_future_boundaries(r):
    r.set("k", "v")
    assert r.execute_command("PEXPIREAT", "k", I64_MAX) == 1
    assert r.execute_command("PEXPIRETIME", "k") == I64_MAX
    assert r.execute_command("EXPIRETIME", "k") == 9223372036854776
    assert r.pttl("k") > I64_MAX - now_ms() - 10000
    assert r.execute_command("EXPIREAT", "k", 9223372036854775) == 1
    assert r.execute_command("PEXPIRETIME", "k") == 9223372036854775000
    assert r.execute_command("EXPIRE", "k", 9223372036854) == 1
    assert r.ttl("k") == 9223372036854


def test_ttl_family_arity(r):
    for cmd in ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME", "PERSIST"]:
        assert error(r, cmd) == f"wrong number of arguments for '{cmd.lower()}' command"
        assert error(r, cmd, "a", "b") == f"wrong number of arguments for '{cmd.lower()}' command"


# --- NX XX GT LT -----------------------------------------------------------------------------


def test_expire_nx(r):
    r.set("k", "v")
    assert r.execute_command("EXPIRE", "k", 100, "NX") == 1
    assert r.execute_command("EXPIRE", "k", 200, "NX") == 0
    assert 99 <= r.ttl("k") <= 100
    assert r.execute_command("EXPIRE", "nosuch", 100, "NX") == 0


def test_expire_xx(r):
    r.set("k", "v")
    assert r.execute_command("EXPIRE", "k", 100, "XX") == 0
    assert r.ttl("k") == -1
    r.execute_command("EXPIRE", "k", 100)
    assert r.execute_command("EXPIRE", "k", 200, "xx") == 1
    assert 199 <= r.ttl("k") <= 200


def test_expire_gt(r):
    r.set("k", "v")
    # No TTL counts as infinite: nothing is greater.
    assert r.execute_command("EXPIRE", "k", 100, "GT") == 0
    assert r.ttl("k") == -1
    r.execute_command("EXPIRE", "k", 100)
    assert r.execute_command("EXPIRE", "k", 50, "GT") == 0
    assert r.execute_command("PEXPIRE", "k", r.pttl("k") - 5000, "GT") == 0
    assert r.execute_command("EXPIRE", "k", 200, "GT") == 1
    assert 199 <= r.ttl("k") <= 200
    at = r.execute_command("PEXPIRETIME", "k")
    assert r.execute_command("PEXPIREAT", "k", at, "GT") == 0
    assert r.execute_command("PEXPIREAT", "k", at + 1, "GT") == 1


def test_expire_lt(r):
    r.set("k", "v")
    # No TTL counts as infinite: any time is less.
    assert r.execute_command("EXPIRE", "k", 100, "LT") == 1
    assert 99 <= r.ttl("k") <= 100
    assert r.execute_command("EXPIRE", "k", 200, "LT") == 0
    assert r.execute_command("EXPIRE", "k", 50, "LT") == 1
    assert 49 <= r.ttl("k") <= 50
    at = r.execute_command("PEXPIRETIME", "k")
    assert r.execute_command("PEXPIREAT", "k", at, "LT") == 0
    assert r.execute_command("PEXPIREAT", "k", at - 1, "LT") == 1


def test_expire_xx_with_gt_and_lt(r):
    r.set("k", "v")
    assert r.execute_command("EXPIRE", "k", 100, "XX", "GT") == 0
    assert r.execute_command("EXPIRE", "k", 100, "XX", "LT") == 0
    assert r.ttl("k") == -1
    r.execute_command("EXPIRE", "k", 100)
    assert r.execute_command("EXPIRE", "k", 200, "XX", "GT") == 1
    assert r.execute_command("EXPIRE", "k", 50, "LT", "XX") == 1
    assert 49 <= r.ttl("k") <= 50


def test_options_with_time_in_the_past(r):
    r.set("k", "v", ex=100)
    # GT refuses a smaller (past) time: the key survives.
    assert r.execute_command("EXPIRE", "k", -1, "GT") == 0
    assert r.exists("k") == 1
    assert r.execute_command("EXPIRE", "k", -1, "LT") == 1
    assert r.exists("k") == 0
    r.set("k", "v")
    assert r.execute_command("EXPIRE", "k", -1, "NX") == 1
    assert r.exists("k") == 0


def test_repeated_options_are_accepted(r):
    r.set("k", "v")
    assert r.execute_command("EXPIRE", "k", 100, "NX", "nx") == 1
    assert r.execute_command("EXPIRE", "k", 200, "GT", "XX", "gt") == 1


# --- Lazy and active expiry ------------------------------------------------------------------


def test_lazy_expiry(r):
    r.set("k", "v")
    r.execute_command("PEXPIRE", "k", 50)
    assert r.get("k") == b"v"
    time.sleep(0.1)
    assert r.get("k") is None
    assert r.exists("k") == 0
    assert r.ttl("k") == -2
    assert r.persist("k") is False
    assert r.execute_command("EXPIRE", "k", 100) == 0


def test_lazy_expiry_counts_expired_keys(r):
    before = r.info("stats")["expired_keys"]
    r.set("k", "v", px=30)
    time.sleep(0.06)
    assert r.exists("k") == 0
    assert r.info("stats")["expired_keys"] == before + 1


def test_active_expiry(r):
    p = r.pipeline(transaction=False)
    for i in range(200):
        p.set(f"volatile:{i}", "x", px=100)
    for i in range(50):
        p.set(f"stable:{i}", "x")
    p.execute()
    assert r.dbsize() == 250
    # Never touched again: only the cron's active expiry can remove them.
    deadline = time.time() + 3
    while time.time() < deadline and r.dbsize() > 50:
        time.sleep(0.1)
    assert r.dbsize() == 50
    assert r.info("keyspace")["db0"]["expires"] == 0


def test_expire_survives_value_reads(r):
    r.set("k", "v")
    r.execute_command("EXPIRE", "k", 100)
    r.get("k")
    r.exists("k")
    assert 99 <= r.ttl("k") <= 100


def test_expire_dirty_counts(r):
    def dirty():
        return r.info("persistence")["rdb_changes_since_last_save"]

    r.set("k", "v")
    base = dirty()
    r.execute_command("EXPIRE", "k", 100)
    assert dirty() == base + 1
    r.execute_command("EXPIRE", "k", 100, "NX")  # refused: no change
    r.execute_command("EXPIRE", "nosuch", 100)
    assert dirty() == base + 1
    r.persist("k")
    assert dirty() == base + 2
    r.persist("k")
    assert dirty() == base + 2
    r.execute_command("EXPIRE", "k", -1)
    assert dirty() == base + 3
