"""MIGRATE between two real servers: keys, TTLs, COPY/REPLACE, KEYS, AUTH/AUTH2, errors,
timeouts and the connection cache. Every expectation holds for redis-server 7.0 too."""
import threading
import time

import pytest
import redis

from rdb_util import dataset, fill_every_type
from resp_util import raw


@pytest.fixture
def pair(make_server):
    src = make_server()
    dst = make_server("--enable-debug-command", "yes")
    return src, dst


def migrate(r, dst, *args):
    return r.execute_command("MIGRATE", "127.0.0.1", dst.port, *args)


def test_moves_a_key_with_its_ttl_into_the_target_database(pair):
    src, dst = pair
    r, t = src.client(decode_responses=True), dst.client(db=9, decode_responses=True)
    assert r.info("stats")["migrate_cached_sockets"] == 0
    r.set("k", "value", ex=1000)
    assert migrate(r, dst, "k", 9, 5000) == "OK"
    assert r.exists("k") == 0
    assert t.get("k") == "value"
    assert 990 <= t.ttl("k") <= 1000
    assert r.info("stats")["migrate_cached_sockets"] == 1
    r.set("p", "persistent")
    assert migrate(r, dst, "p", 9, 5000) == "OK"
    assert t.ttl("p") == -1
    assert r.info("stats")["migrate_cached_sockets"] == 1  # the same connection


def test_every_type_arrives_intact(pair):
    src, dst = pair
    r, t = src.client(), dst.client()
    fill_every_type(r)
    before = dataset(r, dbs=[0])
    keys = r.keys("*")
    assert migrate(r, dst, "", 0, 5000, "KEYS", *keys) == b"OK"
    assert r.dbsize() == 0
    assert dataset(t, dbs=[0]) == before


def test_copy_keeps_the_source_and_replace_overwrites(pair):
    src, dst = pair
    r, t = src.client(decode_responses=True), dst.client(decode_responses=True)
    r.rpush("l", "a", "b")
    assert migrate(r, dst, "l", 0, 5000, "COPY") == "OK"
    assert r.lrange("l", 0, -1) == ["a", "b"] == t.lrange("l", 0, -1)
    with pytest.raises(redis.ResponseError) as e:
        migrate(r, dst, "l", 0, 5000, "COPY")
    assert str(e.value) == ("Target instance replied with error: BUSYKEY Target key name "
                            "already exists.")
    assert r.exists("l") == 1
    r.rpush("l", "c")
    assert migrate(r, dst, "l", 0, 5000, "REPLACE") == "OK"
    assert t.lrange("l", 0, -1) == ["a", "b", "c"]
    assert r.exists("l") == 0


def test_keys_option_moves_the_existing_keys_and_nokey_when_none(pair):
    src, dst = pair
    r, t = src.client(decode_responses=True), dst.client(decode_responses=True)
    r.mset({"a": "1", "b": "2"})
    assert migrate(r, dst, "", 0, 5000, "KEYS", "a", "missing", "b") == "OK"
    assert t.mget("a", "b") == ["1", "2"]
    assert migrate(r, dst, "", 0, 5000, "KEYS", "a", "b") == "NOKEY"
    assert migrate(r, dst, "missing", 0, 5000) == "NOKEY"
    with pytest.raises(redis.ResponseError) as e:
        migrate(r, dst, "a", 0, 5000, "KEYS", "a")
    assert str(e.value) == ("When using MIGRATE KEYS option, the key argument must be set to "
                            "the empty string")
    assert raw(r, "COMMAND", "GETKEYS", "MIGRATE", "h", "1", "", "0", "5",
               "KEYS", "x", "y") == ["x", "y"]
    assert raw(r, "COMMAND", "GETKEYS", "MIGRATE", "h", "1", "k", "0", "5", "COPY") == ["k"]


def test_a_key_the_target_refuses_stays_while_the_others_move(pair):
    src, dst = pair
    r, t = src.client(decode_responses=True), dst.client(decode_responses=True)
    r.mset({"a": "1", "b": "2", "c": "3"})
    t.set("b", "taken")
    with pytest.raises(redis.ResponseError, match="BUSYKEY"):
        migrate(r, dst, "", 0, 5000, "KEYS", "a", "b", "c")
    assert r.keys("*") == ["b"]
    assert t.mget("a", "b", "c") == ["1", "taken", "3"]


def test_auth_and_auth2(pair):
    src, dst = pair
    r = src.client(decode_responses=True)
    t = dst.client(decode_responses=True)
    t.config_set("requirepass", "secret")
    t = dst.client(password="secret", decode_responses=True)
    r.set("k", "v")
    with pytest.raises(redis.ResponseError) as e:
        migrate(r, dst, "k", 0, 5000)
    assert "NOAUTH" in str(e.value)
    assert r.get("k") == "v"
    with pytest.raises(redis.ResponseError) as e:
        migrate(r, dst, "k", 0, 5000, "AUTH", "wrong")
    assert "WRONGPASS" in str(e.value)
    assert migrate(r, dst, "k", 0, 5000, "AUTH", "secret") == "OK"
    assert t.get("k") == "v"
    r.set("k2", "v2")
    assert migrate(r, dst, "k2", 0, 5000, "AUTH2", "default", "secret") == "OK"
    assert t.get("k2") == "v2"


def test_argument_errors(pair):
    src, dst = pair
    r = src.client(decode_responses=True)
    r.set("k", "v")
    for args, message in [(("k", "x", 1000), "value is not an integer or out of range"),
                          (("k", 0, "y"), "value is not an integer or out of range"),
                          (("k", 0, 1000, "AUTH"), "syntax error"),
                          (("k", 0, 1000, "AUTH2", "u"), "syntax error"),
                          (("k", 0, 1000, "BOGUS"), "syntax error")]:
        with pytest.raises(redis.ResponseError) as e:
            migrate(r, dst, *args)
        assert str(e.value) == message
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("MIGRATE", "127.0.0.1", dst.port, "k", 0)
    assert "wrong number of arguments" in str(e.value)


def test_unreachable_target_and_timeout_give_ioerr(pair, make_server):
    src, dst = pair
    r = src.client(decode_responses=True)
    r.set("k", "v")
    gone = make_server()
    port = gone.port
    gone.stop()
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("MIGRATE", "127.0.0.1", port, "k", 0, 1000)
    assert str(e.value).startswith("IOERR error or timeout")
    assert r.get("k") == "v"

    # A target that does not answer within the timeout.
    sleeper = threading.Thread(target=lambda: dst.client().execute_command("DEBUG", "SLEEP", 1))
    sleeper.start()
    time.sleep(0.1)
    with pytest.raises(redis.ResponseError) as e:
        migrate(r, dst, "k", 0, 300)
    sleeper.join()
    assert str(e.value).startswith("IOERR error or timeout")
    assert r.get("k") == "v"  # kept here, though the target ran the RESTORE once awake
    # The failed connection was dropped; the next MIGRATE connects afresh and works.
    assert migrate(r, dst, "k", 0, 5000, "REPLACE") == "OK"
