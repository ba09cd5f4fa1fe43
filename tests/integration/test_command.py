"""COMMAND and its subcommands: COUNT, INFO, DOCS, LIST, GETKEYS, GETKEYSANDFLAGS, HELP.

Replies are read raw (redis-py 4.3 reshapes COMMAND replies), and RESP3 shapes through
resp_util. Expectations hold for Redis 7.0 and Basalt alike; they use only commands whose
rows are the same in both (get, set, mset, the server family)."""
import pytest
import redis

from resp_util import as_dict, raw, request


# ---- COMMAND / COUNT -------------------------------------------------------------------------

def test_command_lists_every_command(r):
    everything = raw(r, "COMMAND")
    names = {entry[0] for entry in everything}
    assert {b"get", b"set", b"command", b"info", b"config", b"time"} <= names
    assert len(everything) == raw(r, "COMMAND", "COUNT")
    assert len(raw(r, "COMMAND", "INFO")) == len(everything)


def test_command_count(r):
    n = raw(r, "COMMAND", "COUNT")
    assert isinstance(n, int) and n > 10
    with pytest.raises(redis.ResponseError,
                       match=r"^wrong number of arguments for 'command\|count' command$"):
        raw(r, "COMMAND", "COUNT", "x")


def test_unknown_subcommand(r):
    with pytest.raises(redis.ResponseError,
                       match=r"^unknown subcommand 'NOPE'. Try COMMAND HELP.$"):
        raw(r, "COMMAND", "NOPE")


# ---- COMMAND INFO ----------------------------------------------------------------------------

def test_info_get(r):
    [entry] = raw(r, "COMMAND", "INFO", "get")
    assert len(entry) == 10
    name, arity, flags, first, last, step, acl, tips, keyspecs, subs = entry
    assert name == b"get"
    assert arity == 2
    assert set(flags) == {b"readonly", b"fast"}
    assert (first, last, step) == (1, 1, 1)
    assert set(acl) == {b"@read", b"@string", b"@fast"}
    assert tips == []
    assert subs == []
    [spec] = keyspecs
    spec = as_dict(spec)
    assert set(spec[b"flags"]) == {b"RO", b"access"}
    assert as_dict(spec[b"begin_search"]) == {b"type": b"index", b"spec": [b"index", 1]}
    find = as_dict(spec[b"find_keys"])
    assert find[b"type"] == b"range"
    assert as_dict(find[b"spec"]) == {b"lastkey": 0, b"keystep": 1, b"limit": 0}


def test_info_mset_key_range(r):
    [entry] = raw(r, "COMMAND", "INFO", "mset")
    assert entry[1] == -3
    assert (entry[3], entry[4], entry[5]) == (1, -1, 2)
    spec = as_dict(entry[8][0])
    assert as_dict(as_dict(spec[b"find_keys"])[b"spec"]) == {
        b"lastkey": -1, b"keystep": 2, b"limit": 0}


def test_info_is_case_insensitive_and_nil_for_unknown(r):
    reply = raw(r, "COMMAND", "INFO", "GeT", "nosuchcommand", "time")
    assert len(reply) == 3
    assert reply[0][0] == b"get"
    assert reply[1] is None
    assert reply[2][0] == b"time"


def test_info_server_family_rows(r):
    time_, info, lastsave = raw(r, "COMMAND", "INFO", "time", "info", "lastsave")
    assert time_[1] == 1
    assert set(time_[2]) == {b"loading", b"stale", b"fast"}
    assert set(time_[6]) == {b"@fast"}
    assert info[1] == -1
    assert set(info[2]) == {b"loading", b"stale"}
    assert set(info[6]) == {b"@slow", b"@dangerous"}
    assert set(lastsave[6]) == {b"@admin", b"@fast", b"@dangerous"}
    for entry in (time_, info, lastsave):
        assert (entry[3], entry[4], entry[5]) == (0, 0, 0)
        assert entry[8] == []


def test_info_container_lists_subcommands(r):
    [config] = raw(r, "COMMAND", "INFO", "config")
    assert config[0] == b"config"
    assert config[1] == -2
    assert config[2] == []
    assert set(config[6]) == {b"@slow"}
    subs = {sub[0]: sub for sub in config[9]}
    assert set(subs) == {b"config|get", b"config|set", b"config|resetstat",
                         b"config|rewrite", b"config|help"}
    get = subs[b"config|get"]
    assert get[1] == -3
    assert set(get[2]) == {b"admin", b"noscript", b"loading", b"stale"}
    assert set(get[6]) == {b"@admin", b"@slow", b"@dangerous"}
    assert get[9] == []
    [command] = raw(r, "COMMAND", "INFO", "command")
    assert {sub[0] for sub in command[9]} == {
        b"command|count", b"command|docs", b"command|getkeys", b"command|getkeysandflags",
        b"command|help", b"command|info", b"command|list"}


def test_info_subcommand_by_full_name(r):
    reply = raw(r, "COMMAND", "INFO", "config|get", "CONFIG|SET", "config|nope", "get|x",
                "config|get|x")
    assert reply[0][0] == b"config|get"
    assert reply[1][0] == b"config|set"
    assert reply[2:] == [None, None, None]


def test_info_resp3_shapes(server):
    [info, missing] = request(server.port, ("COMMAND", "INFO", "get"),
                              ("COMMAND", "INFO", "nosuch"), resp3=True)
    assert info.kind == "*"
    entry = info.value[0]
    assert entry.kind == "*" and len(entry.value) == 10
    assert entry.value[0].kind == "$" and entry.value[0].value == b"get"
    assert entry.value[1].kind == ":"
    assert entry.value[2].kind == "~"                      # flags
    assert all(f.kind == "+" for f in entry.value[2].value)
    assert entry.value[6].kind == "~"                      # ACL categories
    assert all(c.kind == "+" for c in entry.value[6].value)
    assert entry.value[7].kind == "~"                      # tips
    assert entry.value[8].kind == "~"                      # key specs
    spec = entry.value[8].value[0]
    assert spec.kind == "%"
    plain = spec.plain()
    assert plain[b"begin_search"] == {b"type": b"index", b"spec": {b"index": 1}}
    assert entry.value[9].kind == "~" and entry.value[9].value == []
    assert missing.value[0].kind == "_"


def test_info_nil_is_null_bulk_in_resp2(server):
    [reply] = request(server.port, ("COMMAND", "INFO", "nosuch"))
    assert reply.kind == "*"
    assert reply.value[0].kind == "$" and reply.value[0].value is None


# ---- COMMAND DOCS ----------------------------------------------------------------------------

def test_docs_of_server_commands(r):
    docs = as_dict(raw(r, "COMMAND", "DOCS", "time", "lastsave"))
    assert set(docs) == {b"time", b"lastsave"}
    time_ = as_dict(docs[b"time"])
    assert time_[b"summary"] == b"Return the current server time"
    assert time_[b"since"] == b"2.6.0"
    assert time_[b"group"] == b"server"
    assert time_[b"complexity"] == b"O(1)"
    assert as_dict(docs[b"lastsave"])[b"group"] == b"server"


def test_docs_get_has_the_core_fields(r):
    docs = as_dict(raw(r, "COMMAND", "DOCS", "GET"))
    get = as_dict(docs[b"get"])
    assert get[b"group"] == b"string"
    assert get[b"since"] == b"1.0.0"
    assert get[b"complexity"] == b"O(1)"
    assert get[b"summary"]


def test_docs_skips_unknown_names(r):
    assert raw(r, "COMMAND", "DOCS", "nosuchcommand") == []
    docs = as_dict(raw(r, "COMMAND", "DOCS", "nosuch", "time", "config|nope"))
    assert list(docs) == [b"time"]


def test_docs_container_and_subcommand(r):
    config = as_dict(as_dict(raw(r, "COMMAND", "DOCS", "config"))[b"config"])
    assert config[b"summary"] == b"A container for server configuration commands"
    assert config[b"since"] == b"2.0.0"
    assert config[b"complexity"] == b"Depends on subcommand."
    subs = as_dict(config[b"subcommands"])
    assert set(subs) == {b"config|get", b"config|set", b"config|resetstat",
                         b"config|rewrite", b"config|help"}
    resetstat = as_dict(subs[b"config|resetstat"])
    assert resetstat[b"summary"] == b"Reset the stats returned by INFO"
    assert resetstat[b"group"] == b"server"
    [name, doc] = raw(r, "COMMAND", "DOCS", "config|get")
    assert name == b"config|get"
    assert as_dict(doc)[b"since"] == b"2.0.0"


def test_docs_all_commands(r):
    docs = as_dict(raw(r, "COMMAND", "DOCS"))
    assert len(docs) == raw(r, "COMMAND", "COUNT")
    for name, doc in docs.items():
        assert b"|" not in name
        assert b"group" in as_dict(doc)


def test_docs_resp3_is_a_map(server):
    [docs] = request(server.port, ("COMMAND", "DOCS", "config"), resp3=True)
    assert docs.kind == "%"
    [(name, doc)] = docs.value
    assert name.value == b"config"
    assert doc.kind == "%"
    subs = dict((k.value, v) for k, v in doc.value)[b"subcommands"]
    assert subs.kind == "%"


# ---- COMMAND LIST ----------------------------------------------------------------------------

def test_list_includes_subcommands(r):
    names = raw(r, "COMMAND", "LIST")
    assert len(names) == len(set(names))
    assert {b"get", b"config", b"config|get", b"command|list"} <= set(names)
    subcommands = sum(len(entry[9]) for entry in raw(r, "COMMAND"))
    assert len(names) == raw(r, "COMMAND", "COUNT") + subcommands


def test_list_filter_by_pattern(r):
    assert set(raw(r, "COMMAND", "LIST", "FILTERBY", "PATTERN", "config|*")) == {
        b"config|get", b"config|set", b"config|resetstat", b"config|rewrite", b"config|help"}
    assert set(raw(r, "COMMAND", "LIST", "filterby", "pattern", "CONF*")) >= {
        b"config", b"config|get"}
    assert raw(r, "COMMAND", "LIST", "FILTERBY", "PATTERN", "nosuch*") == []


def test_list_filter_by_aclcat(r):
    admin = set(raw(r, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "admin"))
    assert {b"config|get", b"config|set", b"monitor", b"debug", b"shutdown",
            b"lastsave"} <= admin
    assert b"get" not in admin and b"config" not in admin and b"config|help" not in admin
    string = set(raw(r, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "STRING"))
    assert {b"get", b"set"} <= string
    assert raw(r, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuchcategory") == []


def test_list_filter_by_module(r):
    assert raw(r, "COMMAND", "LIST", "FILTERBY", "MODULE", "nosuchmodule") == []


@pytest.mark.parametrize("args", [
    ("FILTERBY",),
    ("FILTERBY", "PATTERN"),
    ("FILTERBY", "foo", "bar"),
    ("FILTERBY", "PATTERN", "a", "b"),
    ("x",),
    ("x", "y", "z"),
])
def test_list_syntax_errors(r, args):
    with pytest.raises(redis.ResponseError, match=r"^syntax error$"):
        raw(r, "COMMAND", "LIST", *args)


# ---- COMMAND GETKEYS / GETKEYSANDFLAGS -------------------------------------------------------

def test_getkeys(r):
    assert raw(r, "COMMAND", "GETKEYS", "get", "k") == [b"k"]
    assert raw(r, "COMMAND", "GETKEYS", "SET", "k", "v", "EX", "10") == [b"k"]
    assert raw(r, "COMMAND", "GETKEYS", "mset", "a", "1", "b", "2") == [b"a", b"b"]
    # Arity is checked, pairing is not (as in Redis).
    assert raw(r, "COMMAND", "GETKEYS", "mset", "a", "1", "b") == [b"a", b"b"]


def test_getkeysandflags(r):
    assert raw(r, "COMMAND", "GETKEYSANDFLAGS", "get", "k") == [[b"k", [b"RO", b"access"]]]
    reply = raw(r, "COMMAND", "GETKEYSANDFLAGS", "mset", "a", "1", "b", "2")
    assert [key for key, _ in reply] == [b"a", b"b"]


@pytest.mark.parametrize("sub", ["GETKEYS", "GETKEYSANDFLAGS"])
def test_getkeys_errors(r, sub):
    with pytest.raises(redis.ResponseError, match=r"^Invalid command specified$"):
        raw(r, "COMMAND", sub, "nosuchcommand", "a", "b")
    with pytest.raises(redis.ResponseError, match=r"^Invalid command specified$"):
        raw(r, "COMMAND", sub, "config", "nosuchsub", "a")
    with pytest.raises(redis.ResponseError, match=r"^Invalid command specified$"):
        raw(r, "COMMAND", sub, "config|get", "a", "b")
    with pytest.raises(redis.ResponseError, match=r"^The command has no key arguments$"):
        raw(r, "COMMAND", sub, "ping", "a", "b")
    with pytest.raises(redis.ResponseError, match=r"^The command has no key arguments$"):
        raw(r, "COMMAND", sub, "config", "get", "maxmemory")
    with pytest.raises(redis.ResponseError,
                       match=r"^Invalid number of arguments specified for command$"):
        raw(r, "COMMAND", sub, "get", "a", "b")
    with pytest.raises(redis.ResponseError,
                       match=r"^Invalid number of arguments specified for command$"):
        raw(r, "COMMAND", sub, "mset", "a")
    name = sub.lower()
    with pytest.raises(redis.ResponseError,
                       match=rf"^wrong number of arguments for 'command\|{name}' command$"):
        raw(r, "COMMAND", sub, "get")


# ---- COMMAND HELP ----------------------------------------------------------------------------

def test_help(r):
    lines = raw(r, "COMMAND", "HELP")
    assert lines[0] == b"COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    for word in (b"COUNT", b"LIST", b"GETKEYS <full-command>", b"GETKEYSANDFLAGS <full-command>",
                 b"HELP"):
        assert word in lines
    assert lines[-1] == b"    Prints this help."
    with pytest.raises(redis.ResponseError,
                       match=r"^wrong number of arguments for 'command\|help' command$"):
        raw(r, "COMMAND", "HELP", "x")
