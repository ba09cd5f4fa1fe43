"""SORT and SORT_RO over lists and sets: numeric and ALPHA order, BY and GET patterns (strings
and hash fields), LIMIT, STORE, and the errors, as Redis 7.0 answers them."""
import pytest
import redis

from conftest import WRONGTYPE, NOT_INT, dirty


def test_numeric_sort_of_a_list(r):
    r.rpush("l", 3, 1, 2, 10, -5, "1.5")
    assert r.sort("l") == [b"-5", b"1", b"1.5", b"2", b"3", b"10"]
    assert r.sort("l", desc=True) == [b"10", b"3", b"2", b"1.5", b"1", b"-5"]


def test_numeric_sort_of_sets_in_every_encoding(r):
    r.sadd("ints", 5, 3, 9, 1)  # intset
    assert r.sort("ints") == [b"1", b"3", b"5", b"9"]
    r.sadd("big", *range(600))  # past set-max-intset-entries: hashtable
    assert r.sort("big") == [str(i).encode() for i in range(600)]
    r.sadd("mixed", "2.5", "1", "-0.5")
    assert r.sort("mixed") == [b"-0.5", b"1", b"2.5"]


def test_equal_scores_order_by_element_bytes(r):
    r.rpush("l", "1.0", "1", "01", "1e0")
    assert r.sort("l") == [b"01", b"1", b"1.0", b"1e0"]
    assert r.sort("l", desc=True) == [b"1e0", b"1.0", b"1", b"01"]


def test_strtod_accepts_what_redis_accepts(r):
    # strtod: hex, exponent, leading whitespace, and the empty string (which reads as 0).
    r.rpush("l", "0x10", "1e1", " 3", "")
    assert r.sort("l") == [b"", b" 3", b"1e1", b"0x10"]


def test_non_numeric_elements_fail_without_alpha(r):
    r.rpush("l", 1, "abc", 2)
    with pytest.raises(redis.ResponseError, match="One or more scores can't be converted into double"):
        r.sort("l")
    r.rpush("n", "nan")
    with pytest.raises(redis.ResponseError, match="One or more scores can't be converted into double"):
        r.sort("n")


def test_alpha(r):
    r.rpush("l", "banana", "apple", "cherry", "10", "9")
    assert r.sort("l", alpha=True) == [b"10", b"9", b"apple", b"banana", b"cherry"]
    assert r.sort("l", alpha=True, desc=True) == [b"cherry", b"banana", b"apple", b"9", b"10"]


def test_limit(r):
    r.rpush("l", *range(10))
    assert r.sort("l", start=2, num=3) == [b"2", b"3", b"4"]
    assert r.sort("l", start=8, num=10) == [b"8", b"9"]
    assert r.sort("l", start=20, num=3) == []
    assert r.sort("l", start=-5, num=2) == [b"0", b"1"]  # a negative offset reads as 0
    assert r.sort("l", start=3, num=-1) == [str(i).encode() for i in range(3, 10)]
    assert r.sort("l", start=0, num=0) == []
    assert r.sort("l", start=1, num=2, desc=True) == [b"8", b"7"]


def test_by_external_weights_and_get(r):
    r.rpush("ids", 1, 2, 3)
    r.mset({"w_1": 30, "w_2": 10, "w_3": 20, "name_1": "one", "name_2": "two"})
    assert r.sort("ids", by="w_*") == [b"2", b"3", b"1"]
    assert r.sort("ids", by="w_*", get="name_*") == [b"two", None, b"one"]
    assert r.sort("ids", by="w_*", get=["#", "name_*"]) == [b"2", b"two", b"3", None, b"1", b"one"]
    # A missing weight counts as 0.
    r.delete("w_3")
    assert r.sort("ids", by="w_*") == [b"3", b"2", b"1"]


def test_by_and_get_hash_fields(r):
    r.rpush("ids", "a", "b", "c")
    r.hset("h_a", mapping={"age": 30, "name": "Ann"})
    r.hset("h_b", mapping={"age": 20, "name": "Bob"})
    r.hset("h_c", mapping={"age": 25})
    assert r.sort("ids", by="h_*->age", get="h_*->name") == [b"Bob", None, b"Ann"]
    # "->" with nothing after it is part of the key name, not a field selector.
    r.set("k_a->", 3)
    r.set("k_b->", 1)
    r.set("k_c->", 2)
    assert r.sort("ids", by="k_*->") == [b"b", b"c", b"a"]


def test_by_alpha_with_missing_weights_sorts_them_first(r):
    r.rpush("ids", 1, 2, 3)
    r.mset({"s_1": "pear", "s_3": "apple"})
    assert r.sort("ids", by="s_*", alpha=True) == [b"2", b"3", b"1"]


def test_by_a_pattern_without_star_does_not_sort(r):
    r.rpush("l", 3, 1, 2)
    assert r.sort("l", by="nosort") == [b"3", b"1", b"2"]
    assert r.sort("l", by="nosort", desc=True) == [b"2", b"1", b"3"]
    assert r.sort("l", by="nosort", start=1, num=1) == [b"1"]
    assert r.sort("l", by="nosort", start=0, num=2, desc=True) == [b"2", b"1"]
    # Elements need not be numbers when nothing is sorted.
    r.rpush("words", "b", "a")
    assert r.sort("words", by="nosort") == [b"b", b"a"]


def test_nosort_set_with_store_is_sorted_lexicographically(r):
    r.sadd("s", "c", "a", "b")
    assert r.sort("s", by="nosort", store="dst") == 3
    assert r.lrange("dst", 0, -1) == [b"a", b"b", b"c"]


def test_get_with_a_pattern_without_star_reads_nothing(r):
    r.rpush("l", 1, 2)
    r.set("fixed", "x")
    assert r.sort("l", get="fixed") == [None, None]


def test_get_reads_strings_only(r):
    r.rpush("ids", 1)
    r.rpush("v_1", "a-list")
    assert r.sort("ids", get="v_*") == [None]
    assert r.sort("ids", get="v_*->f") == [None]


def test_store(r):
    r.rpush("l", 3, 1, 2)
    d0 = dirty(r)
    assert r.sort("l", store="out") == 3
    assert dirty(r) - d0 == 3
    assert r.lrange("out", 0, -1) == [b"1", b"2", b"3"]
    assert r.type("out") == b"list"
    # STORE replaces whatever was there, TTL included.
    r.set("out2", "string")
    r.expire("out2", 100)
    assert r.sort("l", store="out2", get=["#", "missing_*"]) == 6
    assert r.lrange("out2", 0, -1) == [b"1", b"", b"2", b"", b"3", b""]
    assert r.ttl("out2") == -1


def test_store_of_an_empty_result_deletes_the_destination(r):
    r.rpush("out", "x")
    assert r.sort("missing", store="out") == 0
    assert r.exists("out") == 0
    r.rpush("l", 1)
    assert r.sort("l", start=5, num=1, store="out") == 0
    assert r.exists("out") == 0


def test_missing_key_is_an_empty_collection(r):
    assert r.sort("missing") == []
    assert r.execute_command("SORT_RO", "missing") == []


def test_wrong_type(r):
    r.set("s", "x")
    with pytest.raises(redis.ResponseError, match=WRONGTYPE):
        r.sort("s")
    r.hset("h", "f", "v")
    with pytest.raises(redis.ResponseError, match=WRONGTYPE):
        r.execute_command("SORT_RO", "h")


def test_syntax_errors(r):
    r.rpush("l", 1)
    for args in (["SORT", "l", "foo"], ["SORT", "l", "LIMIT", "1"], ["SORT", "l", "BY"],
                 ["SORT", "l", "GET"], ["SORT", "l", "STORE"],
                 ["SORT_RO", "l", "STORE", "x"]):
        with pytest.raises(redis.ResponseError, match="syntax error"):
            r.execute_command(*args)
    with pytest.raises(redis.ResponseError, match=NOT_INT):
        r.execute_command("SORT", "l", "LIMIT", "a", "1")
    with pytest.raises(redis.ResponseError, match=NOT_INT):
        r.execute_command("SORT", "l", "LIMIT", "0", "1.5")
    # Syntax errors come before the type check.
    r.set("str", "x")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("SORT", "str", "bogus")


def test_sort_ro(r):
    r.rpush("l", 2, 1)
    assert r.execute_command("SORT_RO", "l", "DESC") == [b"2", b"1"]
    assert r.execute_command("SORT_RO", "l", "BY", "nosort", "GET", "#") == [b"2", b"1"]


def test_getkeys(r):
    assert r.command_getkeys("SORT", "a", "STORE", "b") == ["a", "b"]
    assert r.command_getkeys("SORT", "a", "GET", "store", "BY", "x") == ["a"]
    assert r.command_getkeys("SORT", "a", "STORE", "b", "STORE", "c") == ["a", "c"]
    assert r.command_getkeys("SORT_RO", "a", "LIMIT", "0", "1") == ["a"]
