"""The data sets whose memory cost bench/run.py compares, as bytes per key.

Each set is a recipe: a probe command (if the server answers it with an error, the set is
reported as "error" for that server instead of being loaded), and a generator of the
commands that build the set. run.py writes the commands once as RESP into a file, loads
it with `redis-cli --pipe` into a fresh server, checks DBSIZE, and divides the growth of
RSS and of INFO used_memory by the number of keys.

Adding a set (the hook for the type-specific sets of later issues): append a MemorySet to
MEMORY_SETS. `commands(n)` must create exactly n keys, and should use key and value
sizes close to what users store. For example a set of small hashes:

    MemorySet(
        name="hash10",
        title="hashes of 10 small fields",
        probe=["HSET", "bench:probe", "f", "v"],
        commands=lambda n: (["HSET", f"hash:{i:011d}"] + fields_of(i) for i in range(n)),
    )
"""
from dataclasses import dataclass
from typing import Callable, Iterable, List

# ~16-byte keys and values: "key:" + 12 digits. The value is not a number, so Redis keeps it
# as a plain (embedded) string rather than an integer.
TTL_SECONDS = 86400  # long enough that nothing expires while we measure


@dataclass
class MemorySet:
    name: str  # short id used in the table and JSON
    title: str  # what the set is, for humans
    probe: List[str]  # one command that must not be an error on the server
    commands: Callable[[int], Iterable[List[str]]]  # commands that create exactly n keys


def _small_strings(n):
    for i in range(n):
        yield ["SET", f"key:{i:012d}", f"val:{i:012d}"]


def _small_strings_ttl(n):
    ttl = str(TTL_SECONDS)
    for i in range(n):
        yield ["SET", f"ttl:{i:012d}", f"val:{i:012d}", "EX", ttl]


MEMORY_SETS = [
    MemorySet(name="strings", title="small strings (16 B key, 16 B value)",
              probe=["SET", "bench:probe", "val:000000000000"], commands=_small_strings),
    MemorySet(name="strings+ttl", title="small strings with a TTL (SET ... EX)",
              probe=["SET", "bench:probe", "val:000000000000", "EX", str(TTL_SECONDS)],
              commands=_small_strings_ttl),
]
