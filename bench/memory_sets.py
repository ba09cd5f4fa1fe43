"""The data sets whose memory cost bench/run.py compares, per key and per element.

Each set is a recipe: a probe command (if the server answers it with an error, the set is
reported as "error" for that server instead of being loaded), a layout that splits the run's
element budget N (--keys; 1,000,000 by default) into keys x elements per key, and a generator
of the commands that build the set. run.py writes the commands once as RESP into a file,
loads it with `redis-cli --pipe` into a fresh server, checks DBSIZE, and divides the growth of
RSS and of INFO used_memory by the number of keys and by the number of elements.

An element is what a key holds one of: a string key holds one, a hash one per field, a set
one per member, a list one per element. With the default N the sets are what issue 3 asks
for: 1M small strings, 100k hashes of 10 fields, 100k sets of 10 integers, one list of 1M
elements; issue 4 adds 100k sorted sets of 10 members and one sorted set of 1M members.

Adding a set (the hook for the type-specific sets of later issues): append a MemorySet to
MEMORY_SETS; run.py needs no change.
"""
from dataclasses import dataclass
from typing import Callable, Iterable, List, Tuple

# ~16-byte keys and values: "key:" + 12 digits. The value is not a number, so Redis keeps it
# as a plain (embedded) string rather than an integer.
TTL_SECONDS = 86400  # long enough that nothing expires while we measure
LIST_BATCH = 1000  # elements per RPUSH when building one big list


@dataclass
class MemorySet:
    name: str  # short id used in the table and JSON
    title: str  # what the set is, for humans
    probe: List[str]  # one command that must not be an error on the server
    layout: Callable[[int], Tuple[int, int]]  # element budget -> (keys, elements per key)
    commands: Callable[[int, int], Iterable[List[str]]]  # (keys, per key) -> the commands


def one_per_key(n):
    return n, 1


def ten_per_key(n):
    return max(1, n // 10), 10


def one_key(n):
    return 1, n


def _small_strings(keys, _):
    for i in range(keys):
        yield ["SET", f"key:{i:012d}", f"val:{i:012d}"]


def _small_strings_ttl(keys, _):
    ttl = str(TTL_SECONDS)
    for i in range(keys):
        yield ["SET", f"ttl:{i:012d}", f"val:{i:012d}", "EX", ttl]


def _small_hashes(keys, fields):
    for i in range(keys):
        args = ["HSET", f"hash:{i:011d}"]
        for f in range(fields):
            args += [f"field:{f}", f"value:{i + f:08d}"]
        yield args


def _small_int_sets(keys, members):
    for i in range(keys):
        yield ["SADD", f"set:{i:012d}"] + [str(i * members + m) for m in range(members)]


def _big_list(_, elements):
    for start in range(0, elements, LIST_BATCH):
        end = min(elements, start + LIST_BATCH)
        yield ["RPUSH", "list:big"] + [f"element:{e:010d}" for e in range(start, end)]


ZSET_BATCH = 1000  # members per ZADD when building one big sorted set


def _small_zsets(keys, members):
    for i in range(keys):
        args = ["ZADD", f"zset:{i:011d}"]
        for m in range(members):
            args += [str(i * members + m), f"member:{m}"]
        yield args


def _big_zset(_, members):
    # 16-byte members with distinct, unordered scores (a multiplicative hash of the index), so
    # the index sees random inserts rather than appends.
    for start in range(0, members, ZSET_BATCH):
        end = min(members, start + ZSET_BATCH)
        args = ["ZADD", "zset:big"]
        for e in range(start, end):
            args += [str((e * 2654435761) % 1000000007), f"member:{e:09d}"]
        yield args


def _big_stream(_, entries):
    # Redis's own benchmark shape: three small fields per entry, auto IDs.
    for i in range(entries):
        yield ["XADD", "stream:big", "*", "a", str(i), "b", str(i + 1), "c", str(i + 2)]


MEMORY_SETS = [
    MemorySet(name="strings", title="small strings (16 B key, 16 B value)",
              probe=["SET", "bench:probe", "val:000000000000"], layout=one_per_key,
              commands=_small_strings),
    MemorySet(name="strings+ttl", title="small strings with a TTL (SET ... EX)",
              probe=["SET", "bench:probe", "val:000000000000", "EX", str(TTL_SECONDS)],
              layout=one_per_key, commands=_small_strings_ttl),
    MemorySet(name="hash10", title="hashes of 10 small fields (N/10 keys)",
              probe=["HSET", "bench:probe", "f", "v"], layout=ten_per_key,
              commands=_small_hashes),
    MemorySet(name="set10int", title="sets of 10 integers (N/10 keys)",
              probe=["SADD", "bench:probe", "1"], layout=ten_per_key,
              commands=_small_int_sets),
    MemorySet(name="list", title="one list of N 18-byte elements",
              probe=["RPUSH", "bench:probe", "x"], layout=one_key, commands=_big_list),
    MemorySet(name="zset10", title="sorted sets of 10 small members (N/10 keys, listpack)",
              probe=["ZADD", "bench:probe", "1", "m"], layout=ten_per_key,
              commands=_small_zsets),
    MemorySet(name="zset", title="one sorted set of N 16-byte members (skiplist)",
              probe=["ZADD", "bench:probe", "1", "m"], layout=one_key, commands=_big_zset),
    MemorySet(name="stream", title="one stream of N entries of 3 small fields",
              probe=["XADD", "bench:probe", "*", "f", "v"], layout=one_key,
              commands=_big_stream),
]
