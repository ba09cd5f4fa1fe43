"""MEMORY STATS / DOCTOR / PURGE / MALLOC-STATS / HELP."""
import pytest
import redis

from conftest import arity

STATS_FIELDS = ["peak.allocated", "total.allocated", "startup.allocated", "replication.backlog",
                "clients.slaves", "clients.normal", "cluster.links", "aof.buffer", "lua.caches",
                "functions.caches", "overhead.total", "keys.count", "keys.bytes-per-key",
                "dataset.bytes", "dataset.percentage", "peak.percentage", "allocator.allocated",
                "allocator.active", "allocator.resident", "allocator-fragmentation.ratio",
                "allocator-fragmentation.bytes", "allocator-rss.ratio", "allocator-rss.bytes",
                "rss-overhead.ratio", "rss-overhead.bytes", "fragmentation",
                "fragmentation.bytes"]


def memory(r, *args):
    return r.execute_command("MEMORY", *args)


def stats(r):
    reply = memory(r, "STATS")
    return [k.decode() for k in reply[::2]], dict(zip((k.decode() for k in reply[::2]),
                                                       reply[1::2]))


def test_stats_fields_in_order(r):
    names, values = stats(r)
    assert names == STATS_FIELDS  # empty server: no db.N entry
    assert values["keys.count"] == 0
    assert values["total.allocated"] > 0
    assert values["startup.allocated"] > 0
    assert values["peak.allocated"] >= values["total.allocated"]
    float(values["dataset.percentage"])
    float(values["fragmentation"])


def test_stats_per_database(r):
    r.set("a", "1")
    r.set("b", "2", ex=100)
    r.select(2)
    r.set("c", "3")
    names, values = stats(r)
    assert names[10:12] == ["db.0", "db.2"]
    db0 = values["db.0"]
    assert db0[0::2] == [b"overhead.hashtable.main", b"overhead.hashtable.expires",
                         b"overhead.hashtable.slot-to-keys"]
    assert db0[1] > 0 and db0[3] > 0
    assert values["keys.count"] == 3
    assert values["keys.bytes-per-key"] > 0
    r.select(0)


def test_doctor_purge_malloc_stats(r):
    assert len(memory(r, "DOCTOR")) > 0
    assert memory(r, "PURGE") == b"OK"
    text = memory(r, "MALLOC-STATS").decode()
    assert "jemalloc statistics" in text


def test_help_and_arity(r):
    lines = memory(r, "HELP")
    assert lines[0] == b"MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    for sub in (b"DOCTOR", b"MALLOC-STATS", b"PURGE", b"STATS"):
        assert sub in lines
    for sub in ("STATS", "DOCTOR", "PURGE", "MALLOC-STATS"):
        with pytest.raises(redis.ResponseError) as e:
            memory(r, sub, "x")
        assert str(e.value) == arity("memory|" + sub.lower())
