"""FUNCTION LOAD/DELETE/FLUSH/LIST/DUMP/RESTORE/STATS/KILL/HELP and FCALL/FCALL_RO: Lua
function libraries as Redis 7.0 runs them, with its error texts."""

import pytest
import redis

from conftest import arity, start_busy_script
from resp_util import Conn, raw

LIB = """#!lua name=mylib
local function helper(x) return x .. '!' end
redis.register_function('echo', function(keys, args) return helper(args[1]) end)
redis.register_function{function_name = 'getkey', callback = function(keys, args)
  return redis.call('get', keys[1]) end, flags = {'no-writes'}, description = 'reads a key'}
redis.register_function('setkey', function(keys, args)
  return redis.call('set', keys[1], args[1]) end)
"""


def err(r, *args):
    with pytest.raises(redis.ResponseError) as e:
        raw(r, *args)
    return str(e.value)


def lib(name, body):
    return f"#!lua name={name}\n{body}"


@pytest.fixture
def f(r):
    r.execute_command("FUNCTION", "FLUSH")
    yield r
    r.execute_command("FUNCTION", "FLUSH")


def test_load_and_call(f):
    assert f.execute_command("FUNCTION", "LOAD", LIB) == b"mylib"
    assert f.execute_command("FCALL", "echo", 0, "hi") == b"hi!"
    assert f.execute_command("FCALL", "setkey", 1, "k", "v") == b"OK"
    assert f.execute_command("FCALL", "getkey", 1, "k") == b"v"
    assert f.execute_command("FCALL_RO", "getkey", 1, "k") == b"v"
    assert err(f, "FCALL_RO", "setkey", 1, "k", "v") == \
        "Can not execute a script with write flag using *_ro command."
    assert err(f, "FCALL", "nosuch", 0) == "Function not found"
    assert err(f, "FCALL", "echo", "x") == "Bad number of keys provided"
    assert err(f, "FCALL", "echo", 2, "a") == "Number of keys can't be greater than number of args"
    assert err(f, "FCALL", "echo", -1) == "Number of keys can't be negative"
    assert err(f, "FCALL", "echo") == arity("fcall")


def test_keys_and_args_are_arguments_not_globals(f):
    f.execute_command("FUNCTION", "LOAD", lib("a", """
redis.register_function('f', function(keys, args) return {#keys, #args, keys[1], args[2]} end)
redis.register_function('g', function(keys, args) return KEYS end)"""))
    assert f.execute_command("FCALL", "f", 1, "k", "x", "y") == [1, 2, b"k", b"y"]
    assert "Script attempted to access nonexistent global variable 'KEYS'" in \
        err(f, "FCALL", "g", 0)


def test_runtime_errors_name_the_function(f):
    f.execute_command("FUNCTION", "LOAD", lib("t2", """
redis.register_function('g', function() return foo end)
redis.register_function('w', function() return redis.call('set', 'x', 'y') end)"""))
    assert err(f, "FCALL", "g", 0) == (
        "user_function:3: Script attempted to access nonexistent global variable 'foo' "
        "script: g, on @user_function:3.")


def test_no_writes_function_cannot_write(f):
    f.execute_command("FUNCTION", "LOAD", lib("nw", """
redis.register_function{function_name='nw',
  callback=function() return redis.call('set', 'a', 'b') end, flags={'no-writes'}}"""))
    assert err(f, "FCALL", "nw", 0).startswith(
        "Write commands are not allowed from read-only scripts.")


def test_load_errors(f):
    def load_err(code, *opts):
        return err(f, "FUNCTION", "LOAD", *opts, code)

    assert load_err("return 1") == "Missing library metadata"
    assert load_err("#!lua") == "Invalid library metadata"
    assert load_err("#!lua\n") == "Library name was not given"
    assert load_err("#!lua name=a name=b\n") == \
        "Invalid metadata value, name argument was given multiple times"
    assert load_err("#!lua foo=bar\n") == "Invalid metadata value given: foo=bar"
    assert load_err("#!js name=x\n") == "Engine 'js' not found"
    assert load_err("#!lua name=a-b\n") == (
        "Library names can only contain letters, numbers, or underscores(_) and must be at "
        "least one character long")
    assert load_err(lib("t1", "return 1")) == "No functions registered"
    assert load_err(lib("t1", "redis.call('ping')")) == (
        "Error registering functions: ERR user_function:2: Script attempted to access "
        "nonexistent global variable 'call'")
    assert load_err(lib("t1", "local x = string.len('a')")) == (
        "Error registering functions: ERR user_function:2: Script attempted to access "
        "nonexistent global variable 'string'")
    assert load_err(lib("t1", "x = 1")) == \
        "Error registering functions: ERR user_function:2: Attempt to modify a readonly table"
    assert load_err(lib("t1", "redis.register_function('f')")) == (
        "Error registering functions: ERR calling redis.register_function with a single "
        "argument is only applicable to Lua table (representing named arguments).")
    assert load_err(lib("t1", "redis.register_function('a-b', function() end)")) == (
        "Error registering functions: ERR Library names can only contain letters, numbers, or "
        "underscores(_) and must be at least one character long")
    assert load_err(lib("t1", "redis.register_function{function_name='f', "
                              "callback=function() end, flags={'bad'}}")) == \
        "Error registering functions: ERR unknown flag given"
    assert load_err(lib("t1", "redis.register_function{function_name='f'}")) == \
        "Error registering functions: ERR redis.register_function must get a callback argument"
    assert load_err(lib("t1", "redis.register_function('f', function() end)\n"
                              "redis.register_function('f', function() end)")) == \
        "Error registering functions: ERR Function already exists in the library"
    assert load_err(lib("t1", "1+")).startswith("Error compiling function: user_function:2:")
    assert load_err(lib("t1", "x"), "FOO") == "Unknown option given: FOO"
    # A lone REPLACE is the code.
    assert err(f, "FUNCTION", "LOAD", "REPLACE") == "Missing library metadata"
    assert f.execute_command("FUNCTION", "LIST") == []


def test_load_timeout(f):
    assert err(f, "FUNCTION", "LOAD", lib("slow", "while true do end")) == \
        "Error registering functions: ERR FUNCTION LOAD timeout"


def test_replace_and_collisions(f):
    f.execute_command("FUNCTION", "LOAD", lib("a", "redis.register_function('fa', function() "
                                                   "return 1 end)"))
    assert err(f, "FUNCTION", "LOAD", lib("a", "redis.register_function('fa', function() "
                                               "return 2 end)")) == "Library 'a' already exists"
    assert err(f, "FUNCTION", "LOAD", lib("b", "redis.register_function('fa', function() "
                                               "return 2 end)")) == "Function fa already exists"
    assert f.execute_command("FUNCTION", "LOAD", "REPLACE",
                             lib("a", "redis.register_function('fa', function() return 2 end)")) \
        == b"a"
    assert f.execute_command("FCALL", "fa", 0) == 2


def test_delete_flush_list(f):
    f.execute_command("FUNCTION", "LOAD", LIB)
    f.execute_command("FUNCTION", "LOAD", lib("other", "redis.register_function('o', "
                                                       "function() return 1 end)"))
    listing = raw(f, "FUNCTION", "LIST", "LIBRARYNAME", "my*")
    assert len(listing) == 1
    entry = dict(zip(listing[0][::2], listing[0][1::2]))
    assert entry[b"library_name"] == b"mylib"
    assert entry[b"engine"] == b"LUA"
    funcs = {}
    for fn in entry[b"functions"]:
        d = dict(zip(fn[::2], fn[1::2]))
        funcs[d[b"name"]] = d
    assert funcs[b"getkey"][b"description"] == b"reads a key"
    assert funcs[b"getkey"][b"flags"] == [b"no-writes"]
    assert funcs[b"echo"][b"description"] is None
    assert funcs[b"echo"][b"flags"] == []
    withcode = raw(f, "FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "mylib")
    assert dict(zip(withcode[0][::2], withcode[0][1::2]))[b"library_code"] == LIB.encode()
    assert len(raw(f, "FUNCTION", "LIST")) == 2
    assert err(f, "FUNCTION", "LIST", "LIBRARYNAME") == "library name argument was not given"
    assert err(f, "FUNCTION", "LIST", "BAD") == "Unknown argument BAD"
    assert f.execute_command("FUNCTION", "DELETE", "mylib") == b"OK"
    assert err(f, "FUNCTION", "DELETE", "mylib") == "Library not found"
    assert err(f, "FCALL", "echo", 0) == "Function not found"
    assert err(f, "FUNCTION", "FLUSH", "LATER") == \
        "FUNCTION FLUSH only supports SYNC|ASYNC option"
    assert f.execute_command("FUNCTION", "FLUSH", "SYNC") == b"OK"
    assert raw(f, "FUNCTION", "LIST") == []


def test_list_resp3_shapes(server, f):
    f.execute_command("FUNCTION", "LOAD", LIB)
    c = Conn(server.port, resp3=True)
    reply = c.call("FUNCTION", "LIST", "LIBRARYNAME", "mylib")
    assert reply.kind == "*"
    lib_map = reply.value[0]
    assert lib_map.kind == "%"
    functions = dict((k.value, v) for k, v in lib_map.value)[b"functions"]
    flags = [dict((k.value, v) for k, v in fn.value)[b"flags"] for fn in functions.value]
    assert all(fl.kind == "~" for fl in flags)


def test_dump_and_restore(f):
    f.execute_command("FUNCTION", "LOAD", LIB)
    payload = f.execute_command("FUNCTION", "DUMP")
    assert err(f, "FUNCTION", "RESTORE", payload) == "Library mylib already exists"
    f.execute_command("FUNCTION", "FLUSH")
    assert f.execute_command("FUNCTION", "RESTORE", payload) == b"OK"
    assert f.execute_command("FCALL", "echo", 0, "x") == b"x!"
    assert f.execute_command("FUNCTION", "RESTORE", payload, "REPLACE") == b"OK"
    assert f.execute_command("FUNCTION", "RESTORE", payload, "FLUSH") == b"OK"
    assert len(raw(f, "FUNCTION", "LIST")) == 1
    assert err(f, "FUNCTION", "RESTORE", b"bad payload") == \
        "DUMP payload version or checksum are wrong"
    assert err(f, "FUNCTION", "RESTORE", payload, "BOGUS") == \
        "Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE."
    assert err(f, "FUNCTION", "restore", payload, "FLUSH", "x") == \
        "unknown subcommand or wrong number of arguments for 'restore'. Try FUNCTION HELP."
    # An empty store dumps to the bare footer, which restores to nothing.
    f.execute_command("FUNCTION", "FLUSH")
    empty = f.execute_command("FUNCTION", "DUMP")
    assert len(empty) == 10
    assert f.execute_command("FUNCTION", "RESTORE", empty) == b"OK"


def test_stats_and_help(f):
    f.execute_command("FUNCTION", "LOAD", LIB)
    stats = raw(f, "FUNCTION", "STATS")
    assert stats[0] == b"running_script" and stats[1] is None
    engines = stats[3]
    assert engines[0] == b"LUA"
    assert engines[1] == [b"libraries_count", 1, b"functions_count", 3]
    assert err(f, "FUNCTION", "KILL") == "NOTBUSY No scripts in execution right now."
    help_lines = raw(f, "FUNCTION", "HELP")
    assert help_lines[0].startswith(b"FUNCTION <subcommand>")


def test_functions_see_the_full_api_at_run_time(f):
    f.execute_command("FUNCTION", "LOAD", lib("libs", """
redis.register_function('libs', function()
  return {cjson.encode({1}), string.len('abc'), math.floor(2.5), bit.band(6, 3),
          redis.sha1hex('')}
end)"""))
    assert f.execute_command("FCALL", "libs", 0) == \
        [b"[1]", 3, 2, 2, b"da39a3ee5e6b4b0d3255bfef95601890afd80709"]


def test_busy_function_and_function_kill(make_server):
    s = make_server("--busy-reply-threshold", "100")
    caller = s.client(socket_timeout=20)
    other = s.client(socket_timeout=5)
    caller.execute_command("FUNCTION", "LOAD", lib("busy", "redis.register_function('spin', "
                                                           "function() while true do end end)"))
    t, outcome, busy = start_busy_script(lambda: caller.execute_command("FCALL", "spin", 0),
                                         other)
    assert busy == ("BUSY Redis is busy running a script. You can only call FUNCTION KILL or "
                    "SHUTDOWN NOSAVE.")
    stats = raw(other, "FUNCTION", "STATS")
    running = dict(zip(stats[1][::2], stats[1][1::2]))
    assert running[b"name"] == b"spin"
    assert running[b"command"] == [b"FCALL", b"spin", b"0"]
    assert running[b"duration_ms"] >= 100
    assert err(other, "SCRIPT", "KILL").startswith("BUSY Redis is busy running a script. You "
                                                   "can only call FUNCTION KILL")
    assert other.execute_command("FUNCTION", "KILL") == b"OK"
    t.join(10)
    assert outcome["error"].startswith("Script killed by user with SCRIPT KILL...")
    assert caller.ping() is True
    caller.close()
    other.close()


# FUNCTION DUMP of redis-server 7.0 for a library registering f0..f7 (each returning its
# number): its code is stored LZF-compressed, as Redis writes long RDB strings.
REDIS_7_0_DUMP = (
    b'\xf5\xc3@\x90A\xc9\x1f#!lua name=compat'
    b'\nredis.register\x0f_functio'
    b"n('f0', \xe0\x00\x0e\x0e) return 0 e"
    b'nd)\xe0\x126\x001\xe0\x0c6\x001\xe0\x176\x002\xe0\x0c6\x002\xe0'
    b'\x176\x003\xe0\x0c6\x003\xe0\x176\x004\xe0\x0c6\x004\xe0\x176\x005'
    b'\xe0\x0c6\x005\xe0\x176\x006\xe0\x0c6\x006\xe0\x176\x007\xe0\x0c6\x00'
    b'7 6\x01d)\n\x00\xbc\x01\x1d\xa9o\xf0\x88\xbe')


def test_restore_a_redis_7_0_payload(f):
    assert f.execute_command("FUNCTION", "RESTORE", REDIS_7_0_DUMP) == b"OK"
    assert f.execute_command("FCALL", "f7", 0) == 7
    assert raw(f, "FUNCTION", "LIST")[0][1] == b"compat"
