"""EVAL / EVALSHA / EVAL_RO / EVALSHA_RO and SCRIPT: Lua scripting as Redis 7.0 runs it.

Covers the Lua <-> reply conversions (RESP2 and RESP3), the sandbox and its error texts,
script flags, the script cache, database selection, frozen time, MULTI, the bundled
libraries (cjson, cmsgpack, struct, bit), busy scripts and SCRIPT KILL, and scripts that
real applications run (rate limiter, lock release, a BullMQ-like job move)."""
import hashlib
import os
import threading
import time

import pytest
import redis

from conftest import arity, start_busy_script
from resp_util import Conn, raw


def sha1(body):
    return hashlib.sha1(body.encode()).hexdigest()


def err(r, *args):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command(*args)
    return str(e.value)


# --- basics and conversions ---

def test_keys_and_argv(r):
    assert r.eval("return {KEYS[1], KEYS[2], ARGV[1], ARGV[2]}", 2, "a", "b", "x", "y") == \
        [b"a", b"b", b"x", b"y"]
    assert r.eval("return #KEYS + #ARGV * 10", 0) == 0


def test_lua_to_resp2(r):
    assert r.eval("return 'hello'", 0) == b"hello"
    assert r.eval("return 3.99", 0) == 3
    assert r.eval("return -3.99", 0) == -3
    assert r.eval("return true", 0) == 1
    assert r.eval("return false", 0) is None
    assert r.eval("return nil", 0) is None
    assert r.eval("return {1, 2, nil, 4}", 0) == [1, 2]
    assert r.eval("return {1, {2, {'x', false, 'y'}}}", 0) == [1, [2, [b"x", None, b"y"]]]
    assert r.eval("return {ok = 'FINE'}", 0) == b"FINE"
    assert r.eval("return redis.status_reply('DONE')", 0) == b"DONE"
    assert r.eval("return {double = 3.5}", 0) == b"3.5"
    assert r.eval("return {map = {a = 1}}", 0) == [b"a", 1]


def test_resp2_replies_to_lua(r):
    r.set("s", "v")
    r.rpush("l", "a", "b")
    script = """
    local out = {}
    out[1] = type(redis.call('get', 's'))
    out[2] = tostring(redis.call('get', 'missing'))
    out[3] = type(redis.call('incr', 'n'))
    out[4] = redis.call('set', 'x', 'y').ok
    out[5] = #redis.call('lrange', 'l', 0, -1)
    out[6] = redis.pcall('incr', 's').err
    return out
    """
    assert r.eval(script, 0) == [b"string", b"false", b"number", b"OK", 2,
                                 b"ERR value is not an integer or out of range"]


def test_resp3_conversions(server, r):
    r.hset("h", "f", "v")
    r.sadd("st", "m")
    r.zadd("z", {"m": 1.5})
    c = Conn(server.port, resp3=True)
    script = """
    redis.setresp(3)
    local h = redis.call('hgetall', KEYS[1])
    local s = redis.call('smembers', KEYS[2])
    local d = redis.call('zscore', KEYS[3], 'm')
    local n = redis.call('get', 'missing')
    return {h.map.f, tostring(s.set.m), d.double, tostring(n)}
    """
    reply = c.call("EVAL", script, "3", "h", "st", "z")
    assert reply.plain() == [b"v", b"true", 1, b"nil"]
    # A RESP3 script returns RESP3 types to a RESP3 client...
    assert c.call("EVAL", "redis.setresp(3) return redis.call('hgetall', KEYS[1])", "1",
                  "h").kind == "%"
    assert c.call("EVAL", "redis.setresp(3) return false", "0").kind == "#"
    assert c.call("EVAL", "return false", "0").kind == "_"
    assert c.call("EVAL", "return {double = 1.5}", "0").kind == ","
    assert c.call("EVAL", "return {big_number = '123'}", "0").kind == "("
    # ...and the RESP2 forms to a RESP2 one.
    assert r.eval("redis.setresp(3) return redis.call('hgetall', KEYS[1])", 1, "h") == \
        [b"f", b"v"]
    assert r.eval("redis.setresp(3) return false", 0) == 0
    assert r.eval("redis.setresp(3) return true", 0) == 1


# --- the script cache ---

def test_evalsha_and_script_commands(r):
    body = "return 'cached'"
    sha = sha1(body)
    assert err(r, "EVALSHA", sha, 0) == "No matching script. Please use EVAL."
    assert err(r, "EVALSHA", "short", 0) == "No matching script. Please use EVAL."
    assert r.script_load(body) == sha
    assert r.evalsha(sha, 0) == b"cached"
    assert r.evalsha(sha.upper(), 0) == b"cached"
    assert r.execute_command("EVALSHA_RO", sha, 0) == b"cached"
    assert r.script_exists(sha, sha.upper(), "0" * 40) == [True, True, False]
    r.eval("return 'other'", 0)
    assert r.script_exists(sha1("return 'other'")) == [True]
    assert r.script_flush() is True
    assert r.script_exists(sha) == [False]
    assert r.execute_command("SCRIPT", "FLUSH", "ASYNC") == b"OK"
    assert r.execute_command("SCRIPT", "FLUSH", "SYNC") == b"OK"
    assert err(r, "SCRIPT", "FLUSH", "NOW") == "SCRIPT FLUSH only support SYNC|ASYNC option"
    assert err(r, "SCRIPT", "LOAD", "return 1 +").startswith(
        "Error compiling script (new function): user_script:1:")
    assert err(r, "SCRIPT", "KILL") == "NOTBUSY No scripts in execution right now."
    assert len(r.execute_command("SCRIPT", "HELP")) > 5
    assert err(r, "SCRIPT", "NOPE") == "unknown subcommand 'NOPE'. Try SCRIPT HELP."


def test_numkeys_errors(r):
    assert err(r, "EVAL", "return 1", "x") == "value is not an integer or out of range"
    assert err(r, "EVAL", "return 1", "2", "a") == \
        "Number of keys can't be greater than number of args"
    assert err(r, "EVAL", "return 1", "-1") == "Number of keys can't be negative"
    assert err(r, "EVAL", "return 1") == arity("eval")
    assert err(r, "EVALSHA", "x") == arity("evalsha")


# --- errors, as Redis 7.0 words them ---

def test_sandbox_errors(r):
    def script_err(body):
        return err(r, "EVAL", body, 0)

    sha = sha1("return foo")
    assert script_err("return foo") == (
        "user_script:1: Script attempted to access nonexistent global variable 'foo' "
        f"script: {sha}, on @user_script:1.")
    assert "Attempt to modify a readonly table" in script_err("x = 5")
    assert "Attempt to modify a readonly table" in script_err("redis.call = nil")
    assert "Attempt to modify a readonly table" in script_err("string.len = nil")
    assert "Attempt to modify a readonly table" in script_err("cjson.encode = nil")
    assert "Attempt to modify a readonly table" in script_err("setmetatable(_G, {})")
    assert "Attempt to modify a readonly table" in script_err("getmetatable(_G).__index = {}")
    assert "Attempt to modify a readonly table" in script_err("_G = {}")
    for name in ("os", "io", "require", "loadfile", "dofile", "print", "debug"):
        assert f"nonexistent global variable '{name}'" in script_err(f"return {name}")
    # Locals and loadstring still work.
    assert r.eval("local x = 5 return loadstring('return ' .. x)()", 0) == 5


def test_command_errors(r):
    def script_err(body):
        return err(r, "EVAL", body, 0)

    body = "return redis.call('nosuch')"
    assert script_err(body) == \
        f"Unknown Redis command called from script script: {sha1(body)}, on @user_script:1."
    assert script_err("return redis.call('get')").startswith(
        "Wrong number of args calling Redis command from script script:")
    assert script_err("return redis.call('subscribe', 'c')").startswith(
        "This Redis command is not allowed from script script:")
    assert script_err("return redis.call('eval', 'return 1', 0)").startswith(
        "This Redis command is not allowed from script")
    assert script_err("return redis.call()").startswith(
        "Please specify at least one argument for this redis lib call script:")
    assert script_err("return redis.call('get', {})").startswith(
        "Lua redis lib command arguments must be strings or integers script:")
    r.set("s", "x")
    body = "return redis.call('lpush', 's', 'a')"
    assert script_err(body) == ("WRONGTYPE Operation against a key holding the wrong kind of "
                                f"value script: {sha1(body)}, on @user_script:1.")
    # pcall returns the error as a table; returning it replies the bare error.
    assert script_err("return redis.pcall('nosuch')") == \
        "Unknown Redis command called from script"
    assert script_err("return redis.pcall('lpush', 's', 'a')") == \
        "WRONGTYPE Operation against a key holding the wrong kind of value"
    # Lua's pcall hands the script the message string.
    assert r.eval("local ok, e = pcall(redis.call, 'nosuch') return {tostring(ok), e}", 0) == \
        [b"false", b"ERR Unknown Redis command called from script"]
    assert script_err("error('boom')").startswith("user_script:1: boom script:")
    assert script_err("error({err = 'CUSTOM code'})").startswith("CUSTOM code script:")
    assert script_err("return redis.error_reply('MY error')") == "MY error"
    assert script_err("return redis.error_reply('plain')") == "plain"
    assert script_err("return {err = 'raw'}") == "raw"
    assert script_err("redis.setresp(4)").startswith("RESP version must be 2 or 3. script:")
    assert script_err("return 1 +").startswith(
        "Error compiling script (new function): user_script:1: unexpected symbol")


def test_script_error_line_numbers(r):
    body = "local a = 1\nlocal b = 2\nreturn redis.call('nosuch')"
    assert err(r, "EVAL", body, 0).endswith(f"script: {sha1(body)}, on @user_script:3.")


# --- flags and read-only scripts ---

def test_eval_ro_refuses_writes(r):
    assert r.execute_command("EVAL_RO", "return redis.call('get', KEYS[1])", 1, "k") is None
    assert err(r, "EVAL_RO", "return redis.call('set', KEYS[1], 'v')", 1, "k").startswith(
        "Write commands are not allowed from read-only scripts. script:")
    assert r.execute_command("EVAL_RO", "return redis.pcall('set', 'k', 'v').err", 0) == \
        b"ERR Write commands are not allowed from read-only scripts."
    assert err(r, "EVAL_RO", "#!lua\nreturn 1", 0) == \
        "Can not execute a script with write flag using *_ro command."
    assert r.execute_command("EVAL_RO", "#!lua flags=no-writes\nreturn 1", 0) == 1
    assert r.exists("k") == 0


def test_shebang_flags(r):
    assert r.eval("#!lua flags=no-writes,allow-oom,allow-stale,no-cluster,"
                  "allow-cross-slot-keys\nreturn 7", 0) == 7
    assert r.eval("#!lua\nreturn redis.call('set', 'k', 'v').ok", 0) == b"OK"
    assert err(r, "EVAL", "#!lua flags=no-writes\nreturn redis.call('set', 'k', 'v')", 0) \
        .startswith("Write commands are not allowed from read-only scripts.")
    assert err(r, "EVAL", "#!lua flags=bogus\nreturn 1", 0) == \
        "Unexpected flag in script shebang: bogus"
    assert err(r, "EVAL", "#!lua name=x\nreturn 1", 0) == "Unknown lua shebang option: name=x"
    assert err(r, "EVAL", "#!perl\nreturn 1", 0) == "Unexpected engine in script shebang: #!perl"
    assert err(r, "EVAL", "#!lua", 0) == "Invalid script shebang"
    # Line numbers count the shebang line.
    assert err(r, "EVAL", "#!lua\nreturn foo", 0).startswith("user_script:2:")


# --- execution context ---

def test_scripts_run_in_caller_db_and_select_does_not_leak(server):
    c = server.client(db=3)
    c.flushall()
    c.set("k", "db3")
    assert c.eval("return redis.call('get', 'k')", 0) == b"db3"
    assert c.eval("redis.call('select', 5) redis.call('set', 'k', 'db5') "
                  "return redis.call('get', 'k')", 0) == b"db5"
    assert c.get("k") == b"db3"
    assert c.execute_command("SELECT", 5) is True
    assert c.get("k") == b"db5"
    # The next script starts in the caller's database again.
    assert c.eval("return redis.call('get', 'k')", 0) == b"db5"
    c.close()


def test_scripts_may_touch_undeclared_keys(r):
    r.eval("redis.call('set', 'undeclared', 'v')", 0)
    assert r.get("undeclared") == b"v"


def test_blocking_commands_in_scripts(r):
    # Blocking list commands are noscript; XREAD refuses BLOCK from scripts.
    assert err(r, "EVAL", "return redis.call('blpop', 'l', 0)", 0).startswith(
        "This Redis command is not allowed from script")
    assert err(r, "EVAL", "return redis.call('xread', 'block', 0, 'streams', 's', '$')",
               0).startswith("xread command is not allowed with BLOCK option from scripts")


def test_time_is_frozen_during_a_script(r):
    # The key expires 1 ms after the script started, but the script still sees it.
    script = """
    redis.call('set', KEYS[1], 'v', 'px', 1)
    local t = redis.call('time')
    local start = tonumber(t[1]) * 1000000 + tonumber(t[2])
    local i = 0
    while i < 3000000 do i = i + 1 end
    return redis.call('exists', KEYS[1])
    """
    assert r.eval(script, 1, "k") == 1
    time.sleep(0.01)
    assert r.exists("k") == 0


def test_eval_inside_multi(r):
    p = r.pipeline(transaction=True)
    p.set("a", "1")
    p.eval("return redis.call('incr', KEYS[1])", 1, "a")
    p.eval("return redis.call('nosuch')", 0)
    with pytest.raises(redis.ResponseError):
        p.execute()
    p = r.pipeline(transaction=True)
    p.eval("return redis.call('incr', KEYS[1])", 1, "a")
    p.get("a")
    assert p.execute() == [3, b"3"]


def test_command_table_rows(r):
    info = raw(r, "COMMAND", "INFO", "eval", "evalsha_ro", "script")
    assert info[0][:3] == [b"eval", -3, [b"noscript", b"stale", b"skip_monitor",
                                           b"no_mandatory_keys", b"movablekeys"]]
    assert info[1][1] == -3 and b"readonly" in info[1][2]
    assert raw(r, "COMMAND", "GETKEYS", "EVAL", "return 1", "2", "a", "b", "c") == \
        [b"a", b"b"]


def test_version_and_helpers(r):
    version = r.info("server")["redis_version"]
    assert r.eval("return redis.REDIS_VERSION", 0).decode() == version
    major, minor, patch = (int(x) for x in version.split("."))
    assert r.eval("return redis.REDIS_VERSION_NUM", 0) == (major << 16) | (minor << 8) | patch
    assert r.eval("return redis.sha1hex('')", 0) == b"da39a3ee5e6b4b0d3255bfef95601890afd80709"
    assert r.eval("return redis.replicate_commands()", 0) == 1
    assert r.eval("return redis.breakpoint()", 0) is None
    assert r.eval("redis.debug('x') redis.set_repl(redis.REPL_ALL) return 1", 0) == 1
    assert r.eval("return redis.acl_check_cmd('get', 'k')", 0) == 1
    assert err(r, "EVAL", "return redis.acl_check_cmd('nosuch')", 0).startswith(
        "Invalid command passed to redis.acl_check_cmd() script:")
    assert err(r, "EVAL", "redis.set_repl(12)", 0).startswith(
        "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.")
    assert r.eval("return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, "
                  "redis.LOG_WARNING}", 0) == [0, 1, 2, 3]
    assert err(r, "EVAL", "redis.log(99, 'x')", 0).startswith("Invalid debug level.")
    assert err(r, "EVAL", "redis.log(redis.LOG_WARNING)", 0).startswith(
        "redis.log() requires two arguments or more.")


def test_error_stats_count_each_error_once(r):
    r.config_resetstat()
    with pytest.raises(redis.ResponseError):
        r.eval("return redis.call('select', 99)", 0)
    assert "errorstat_ERR:count=1\r\n" in raw(r, "INFO", "errorstats").decode()
    assert r.info("stats")["total_error_replies"] == 1
    assert r.info("commandstats")["cmdstat_eval"]["failed_calls"] == 1
    assert r.info("commandstats")["cmdstat_select"]["failed_calls"] == 1
    r.config_resetstat()
    assert r.eval("return redis.pcall('select', 99).err", 0) == b"ERR DB index is out of range"
    assert r.info("stats")["total_error_replies"] == 1
    assert r.info("commandstats")["cmdstat_eval"]["failed_calls"] == 0
    r.config_resetstat()
    with pytest.raises(redis.ResponseError):
        r.eval("return redis.error_reply('MY_CODE custom')", 0)
    assert "errorstat_MY_CODE:count=1\r\n" in raw(r, "INFO", "errorstats").decode()


def test_shebang_script_refused_when_out_of_memory(r):
    try:
        r.config_set("maxmemory", 1)
        assert err(r, "EVAL", "#!lua\nreturn 1", 0) == \
            "OOM command not allowed when used memory > 'maxmemory'."
        assert r.eval("#!lua flags=no-writes\nreturn 1", 0) == 1
        assert r.eval("#!lua flags=allow-oom\nreturn 1", 0) == 1
        assert err(r, "EVAL", "return redis.call('set', 'x', 'y')", 0).startswith(
            "OOM command not allowed when used memory > 'maxmemory'.")
        assert r.eval("return redis.pcall('set', 'x', 'y').err", 0) == \
            b"OOM command not allowed when used memory > 'maxmemory'."
    finally:
        r.config_set("maxmemory", 0)


def test_redis_log_writes_to_the_log(make_server, tmp_path):
    logfile = os.path.join(str(tmp_path), "script.log")
    s = make_server("--logfile", logfile)
    c = s.client()
    c.eval("redis.log(redis.LOG_WARNING, 'hello from', 'lua')", 0)
    c.eval("redis.log(redis.LOG_DEBUG, 'not at notice level')", 0)
    deadline = time.time() + 5
    while time.time() < deadline:
        with open(logfile) as f:
            text = f.read()
        if "hello from lua" in text:
            break
        time.sleep(0.05)
    assert "hello from lua" in text
    assert "not at notice level" not in text
    c.close()


# --- libraries ---

def test_cjson_round_trip(r):
    assert r.eval("return cjson.encode({1, 2, 'x'})", 0) == b'[1,2,"x"]'
    assert r.eval("local t = cjson.decode(ARGV[1]) return {t.a, t.b[2]}", 0,
                  '{"a": "x", "b": [1, 7]}') == [b"x", 7]
    assert r.eval("return cjson.decode(cjson.encode({k = 'v'})).k", 0) == b"v"


def test_cmsgpack_round_trip(r):
    assert r.eval("local t = cmsgpack.unpack(cmsgpack.pack({1, 'two', {x = 3}})) "
                  "return {t[1], t[2], t[3].x}", 0) == [1, b"two", 3]
    packed = r.eval("return cmsgpack.pack({a = 1})", 0)
    assert packed == b"\x81\xa1a\x01"
    assert r.eval("return cmsgpack.unpack(ARGV[1]).a", 0, packed) == 1


def test_struct_round_trip(r):
    assert r.eval("return struct.pack('>I2', 258)", 0) == b"\x01\x02"
    assert r.eval("return {struct.unpack('>I2<h', ARGV[1])}", 0, b"\x01\x02\xfe\xff") == \
        [258, -2, 5]
    assert r.eval("return struct.size('!4 b i d')", 0) == 16


def test_bit(r):
    assert r.eval("return {bit.band(12, 10), bit.bor(12, 10), bit.bxor(12, 10), "
                  "bit.lshift(1, 4), bit.tohex(255)}", 0) == [8, 14, 6, 16, b"000000ff"]


def test_math_random_is_usable(r):
    n = r.eval("return math.random(1, 10)", 0)
    assert 1 <= n <= 10


# --- scripts real applications run ---

RATE_LIMITER = """
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, window)
  return 1
end
return 0
"""


def test_sliding_window_rate_limiter(r):
    limiter = r.register_script(RATE_LIMITER)
    results = [limiter(keys=["rl"], args=[1000 + i, 100, 3, f"req{i}"]) for i in range(5)]
    assert results == [1, 1, 1, 0, 0]
    assert r.zcard("rl") == 3
    # The window slides: old entries leave and new requests pass again.
    assert limiter(keys=["rl"], args=[1200, 100, 3, "late"]) == 1
    assert r.zcard("rl") == 1
    assert 0 < r.pttl("rl") <= 100


UNLOCK = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


def test_lock_compare_and_delete(r):
    assert r.set("lock", "token-a", nx=True, px=10000) is True
    assert r.set("lock", "token-b", nx=True, px=10000) is None
    unlock = r.register_script(UNLOCK)
    assert unlock(keys=["lock"], args=["token-b"]) == 0
    assert r.get("lock") == b"token-a"
    assert unlock(keys=["lock"], args=["token-a"]) == 1
    assert r.exists("lock") == 0


MOVE_TO_ACTIVE = """
local jobId = redis.call('RPOPLPUSH', KEYS[1], KEYS[2])
if jobId then
  redis.call('HSET', KEYS[3] .. jobId, 'processedOn', ARGV[1])
  redis.call('ZADD', KEYS[4], ARGV[1], jobId)
  return {jobId, redis.call('HGETALL', KEYS[3] .. jobId)}
end
return false
"""


def test_bullmq_like_job_move(r):
    r.lpush("q:wait", "1", "2")
    r.hset("q:job:1", "data", "{}")
    move = r.register_script(MOVE_TO_ACTIVE)
    keys = ["q:wait", "q:active", "q:job:", "q:started"]
    assert move(keys=keys, args=[111]) == [b"1", [b"data", b"{}", b"processedOn", b"111"]]
    assert r.lrange("q:active", 0, -1) == [b"1"]
    assert r.zscore("q:started", "1") == 111
    assert move(keys=keys, args=[222])[0] == b"2"
    assert move(keys=keys, args=[333]) is None
    assert r.zrange("q:started", 0, -1, withscores=True) == [(b"1", 111.0), (b"2", 222.0)]


def test_register_script_reloads_after_flush(r):
    script = r.register_script("return ARGV[1] .. '!'")
    assert script(args=["hi"]) == b"hi!"
    r.script_flush()
    assert script(args=["again"]) == b"again!"


# --- busy scripts ---

def test_busy_script_and_script_kill(make_server):
    s = make_server("--busy-reply-threshold", "100")
    caller = s.client(socket_timeout=20)
    other = s.client(socket_timeout=5)
    t, outcome, busy = start_busy_script(lambda: caller.eval("while true do end", 0), other)
    assert busy == "BUSY Redis is busy running a script. You can only call SCRIPT KILL or " \
                   "SHUTDOWN NOSAVE."
    assert err(other, "FUNCTION", "KILL").startswith("BUSY Redis is busy running a script. You "
                                                     "can only call SCRIPT KILL")
    assert other.execute_command("SCRIPT", "KILL") == b"OK"
    t.join(10)
    assert outcome["error"].startswith("Script killed by user with SCRIPT KILL...")
    assert other.ping() is True
    assert caller.ping() is True
    caller.close()
    other.close()


def test_busy_script_that_wrote_is_unkillable(make_server):
    s = make_server("--busy-reply-threshold", "100")
    caller = s.client(socket_timeout=20)
    other = s.client(socket_timeout=5)
    t, _, busy = start_busy_script(
        lambda: caller.eval("redis.call('set', 'x', 'y') while true do end", 0), other)
    assert busy is not None
    assert err(other, "SCRIPT", "KILL").startswith(
        "UNKILLABLE Sorry the script already executed write commands against the dataset.")
    try:
        other.execute_command("SHUTDOWN", "NOSAVE")
    except redis.ConnectionError:
        pass
    s.proc.wait(10)
    assert not s.alive()
    t.join(5)


def test_blocked_clients_are_served_after_a_busy_script(make_server):
    s = make_server("--busy-reply-threshold", "50")
    blocked = s.client(socket_timeout=20)
    caller = s.client(socket_timeout=20)
    other = s.client(socket_timeout=5)
    popped = {}

    def pop():
        popped["value"] = blocked.blpop("jobs", 10)

    waiter = threading.Thread(target=pop)
    waiter.start()
    deadline = time.time() + 5
    while time.time() < deadline and other.info("clients")["blocked_clients"] == 0:
        time.sleep(0.01)
    result = {}

    def run():
        # Pushes, then stays busy long enough for others to be answered -BUSY meanwhile.
        result["value"] = caller.eval("redis.call('lpush', 'jobs', 'j1') "
                                      "local n = 0 for i = 1, 60000000 do n = n + 1 end "
                                      "return redis.call('llen', 'jobs')", 0)

    t = threading.Thread(target=run)
    t.start()
    busy = False
    deadline = time.time() + 10
    while t.is_alive() and time.time() < deadline:
        try:
            other.ping()
        except redis.ResponseError as e:
            busy = str(e).startswith("BUSY")
        time.sleep(0.01)
    t.join(20)
    waiter.join(20)
    assert busy
    # The script saw its own push; the blocked client got it once the script was done.
    assert result["value"] == 1
    assert popped["value"] == (b"jobs", b"j1")
    for c in (blocked, caller, other):
        c.close()
