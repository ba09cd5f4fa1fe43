"""INFO: section selection, field presence and types, counters that move, RESP3 verbatim.

Values are never compared with a copy of one server's output: fields are checked for their
type and for moving the way the commands sent should move them."""
import os
import re
import socket
import time

import pytest
import redis

from resp_util import raw, raw_command, request

DEFAULT_SECTIONS = ["Server", "Clients", "Memory", "Persistence", "Stats", "Replication",
                    "CPU", "Modules", "Errorstats", "Cluster", "Keyspace"]
ALL_SECTIONS = ["Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU",
                "Modules", "Commandstats", "Errorstats", "Latencystats", "Cluster", "Keyspace"]


def info_text(r, *sections):
    """INFO's reply as text (redis-py would parse it into a dict)."""
    reply = raw(r, "INFO", *sections)
    return reply.decode() if isinstance(reply, bytes) else reply


def headers(text):
    return [line[2:] for line in text.split("\r\n") if line.startswith("# ")]


def fields(text):
    out = {}
    for line in text.split("\r\n"):
        if line and not line.startswith("#"):
            key, _, value = line.partition(":")
            out[key] = value
    return out


def info(r, *sections):
    return fields(info_text(r, *sections))


def is_int(v):
    return re.fullmatch(r"-?\d+", v) is not None


def is_float(v):
    return re.fullmatch(r"-?\d+\.\d+", v) is not None


# ---- Section selection -----------------------------------------------------------------------

def test_default_sections(r):
    assert headers(info_text(r)) == DEFAULT_SECTIONS
    assert headers(info_text(r, "default")) == DEFAULT_SECTIONS


def test_all_and_everything(r):
    assert headers(info_text(r, "all")) == ALL_SECTIONS
    assert headers(info_text(r, "everything")) == ALL_SECTIONS
    assert headers(info_text(r, "ALL")) == ALL_SECTIONS


def test_named_sections_in_fixed_order(r):
    assert headers(info_text(r, "cpu", "clients")) == ["Clients", "CPU"]
    assert headers(info_text(r, "SERVER")) == ["Server"]
    assert headers(info_text(r, "keyspace", "server", "keyspace")) == ["Server", "Keyspace"]
    assert headers(info_text(r, "commandstats")) == ["Commandstats"]
    assert headers(info_text(r, "default", "commandstats")) == [
        "Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules",
        "Commandstats", "Errorstats", "Cluster", "Keyspace"]
    assert headers(info_text(r, "modules")) == ["Modules"]


def test_unknown_section_is_empty(r):
    assert info_text(r, "nosuchsection") == ""
    assert headers(info_text(r, "nosuchsection", "cpu")) == ["CPU"]


def test_layout(r):
    text = info_text(r, "server", "clients")
    assert text.startswith("# Server\r\n")
    assert "\r\n\r\n# Clients\r\n" in text
    assert text.endswith("\r\n") and not text.endswith("\r\n\r\n")
    for line in text.split("\r\n"):
        assert line == "" or line.startswith("# ") or re.fullmatch(r"[a-z0-9_]+:.*", line)


def test_redis_py_parses_it(r):
    parsed = r.info()
    assert parsed["redis_mode"] == "standalone"
    assert isinstance(parsed["connected_clients"], int)


def test_resp3_is_verbatim_string(server):
    [reply] = request(server.port, ("INFO", "server"), resp3=True)
    assert reply.kind == "="
    assert reply.value.startswith(b"txt:# Server\r\n")
    [reply] = request(server.port, ("INFO", "server"))
    assert reply.kind == "$"
    assert reply.value.startswith(b"# Server\r\n")


# ---- Server ----------------------------------------------------------------------------------

def test_server_section(r, server):
    s = info(r, "server")
    assert re.fullmatch(r"\d+\.\d+\.\d+", s["redis_version"])
    assert s["redis_mode"] == "standalone"
    assert s["arch_bits"] == "64"
    assert int(s["process_id"]) == server.proc.pid
    assert int(s["tcp_port"]) == server.port
    assert re.fullmatch(r"[0-9a-f]{40}", s["run_id"])
    for key in ("uptime_in_seconds", "uptime_in_days", "hz", "configured_hz", "lru_clock",
                "server_time_usec", "redis_git_dirty"):
        assert is_int(s[key]), key
    assert abs(int(s["server_time_usec"]) / 1e6 - time.time()) < 5
    assert s["hz"] == "10" and s["configured_hz"] == "10"
    assert s["os"].startswith(os.uname().sysname)
    assert s["multiplexing_api"]
    assert os.path.basename(s["executable"])
    assert s["config_file"] == ""
    assert "gcc_version" in s and "io_threads_active" in s


def test_run_id_is_stable(r):
    assert info(r, "server")["run_id"] == info(r, "server")["run_id"]


def test_hz_follows_config(r):
    r.config_set("hz", "50")
    try:
        s = info(r, "server")
        assert s["hz"] == "50" and s["configured_hz"] == "50"
    finally:
        r.config_set("hz", "10")


# ---- Clients ---------------------------------------------------------------------------------

def test_clients_section(r, server):
    c = info(r, "clients")
    for key in ("connected_clients", "cluster_connections", "maxclients",
                "client_recent_max_input_buffer", "client_recent_max_output_buffer",
                "blocked_clients", "tracking_clients", "clients_in_timeout_table"):
        assert is_int(c[key]), key
    assert c["maxclients"] == "10000"
    before = int(c["connected_clients"])
    extra = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(3)]
    try:
        for s in extra:
            s.sendall(b"PING\r\n")
            assert s.recv(100) == b"+PONG\r\n"
        assert int(info(r, "clients")["connected_clients"]) == before + 3
    finally:
        for s in extra:
            s.close()
    deadline = time.time() + 5
    while int(info(r, "clients")["connected_clients"]) != before and time.time() < deadline:
        time.sleep(0.02)
    assert int(info(r, "clients")["connected_clients"]) == before


# ---- Memory ----------------------------------------------------------------------------------

def test_memory_section(r):
    m = info(r, "memory")
    for key in ("used_memory", "used_memory_rss", "used_memory_peak", "used_memory_overhead",
                "used_memory_startup", "used_memory_dataset", "allocator_allocated",
                "allocator_active", "allocator_resident", "total_system_memory", "maxmemory",
                "mem_fragmentation_bytes", "mem_clients_normal", "lazyfree_pending_objects"):
        assert is_int(m[key]), key
    for key in ("used_memory_human", "used_memory_rss_human", "used_memory_peak_human",
                "maxmemory_human", "total_system_memory_human"):
        assert re.fullmatch(r"\d+(\.\d\d[KMGTP]|B)", m[key]), key
    for key in ("allocator_frag_ratio", "allocator_rss_ratio", "rss_overhead_ratio",
                "mem_fragmentation_ratio"):
        assert is_float(m[key]), key
    assert re.fullmatch(r"\d+\.\d\d%", m["used_memory_peak_perc"])
    assert int(m["used_memory"]) > 0
    assert int(m["used_memory_rss"]) > 0
    assert int(m["used_memory_peak"]) >= int(m["used_memory"])
    assert m["maxmemory"] == "0" and m["maxmemory_human"] == "0B"
    assert m["maxmemory_policy"] == "noeviction"
    assert m["mem_allocator"]


def test_used_memory_grows_with_data(r):
    before = int(info(r, "memory")["used_memory"])
    value = "x" * 1000
    pipe = r.pipeline(transaction=False)
    for i in range(2000):
        pipe.set(f"key:{i}", value)
    pipe.execute()
    after = int(info(r, "memory")["used_memory"])
    assert after - before > 1_000_000
    assert int(info(r, "memory")["used_memory_peak"]) >= after


def test_maxmemory_follows_config(r):
    r.config_set("maxmemory", "100mb")
    try:
        m = info(r, "memory")
        assert m["maxmemory"] == str(100 * 1024 * 1024)
        assert m["maxmemory_human"] == "100.00M"
    finally:
        r.config_set("maxmemory", "0")


# ---- Persistence -----------------------------------------------------------------------------

def test_persistence_section(r):
    p = info(r, "persistence")
    assert p["loading"] == "0"
    assert p["rdb_bgsave_in_progress"] == "0"
    assert p["rdb_last_bgsave_status"] == "ok"
    assert p["aof_enabled"] == "0"
    assert p["aof_rewrite_in_progress"] == "0"
    assert p["aof_last_write_status"] == "ok"
    assert is_int(p["rdb_last_save_time"])
    assert int(p["rdb_last_save_time"]) <= time.time() + 1
    assert p["rdb_last_save_time"] == str(r.execute_command("LASTSAVE").timestamp()).split(".")[0]


def test_changes_since_last_save_move(r):
    before = int(info(r, "persistence")["rdb_changes_since_last_save"])
    r.set("a", 1)
    r.set("b", 2)
    r.get("a")
    assert int(info(r, "persistence")["rdb_changes_since_last_save"]) == before + 2


# ---- Stats -----------------------------------------------------------------------------------

def test_stats_section_types(r):
    s = info(r, "stats")
    for key in ("total_connections_received", "total_commands_processed",
                "instantaneous_ops_per_sec", "total_net_input_bytes", "total_net_output_bytes",
                "rejected_connections", "expired_keys", "evicted_keys", "keyspace_hits",
                "keyspace_misses", "pubsub_channels", "pubsub_patterns",
                "total_error_replies", "unexpected_error_replies", "sync_full",
                "latest_fork_usec", "total_forks"):
        assert is_int(s[key]), key
    for key in ("instantaneous_input_kbps", "instantaneous_output_kbps", "expired_stale_perc"):
        assert is_float(s[key]), key


def test_command_and_byte_counters_move(r):
    before = info(r, "stats")
    for _ in range(5):
        r.ping()
    after = info(r, "stats")
    # 5 PINGs and the first INFO.
    assert int(after["total_commands_processed"]) == int(before["total_commands_processed"]) + 6
    assert int(after["total_net_input_bytes"]) > int(before["total_net_input_bytes"])
    assert int(after["total_net_output_bytes"]) > int(before["total_net_output_bytes"])


def test_connections_received_move(r, server):
    before = int(info(r, "stats")["total_connections_received"])
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", server.port)) as s:
            s.sendall(b"PING\r\n")
            s.recv(100)
    assert int(info(r, "stats")["total_connections_received"]) == before + 3


def test_keyspace_hits_and_misses(r):
    r.set("present", "v")
    before = info(r, "stats")
    r.get("present")
    r.get("present")
    r.get("absent")
    after = info(r, "stats")
    assert int(after["keyspace_hits"]) == int(before["keyspace_hits"]) + 2
    assert int(after["keyspace_misses"]) == int(before["keyspace_misses"]) + 1


def test_expired_keys(r):
    before = int(info(r, "stats")["expired_keys"])
    r.set("shortlived", "v", px=50)
    time.sleep(0.15)
    assert r.get("shortlived") is None
    assert int(info(r, "stats")["expired_keys"]) == before + 1


def test_error_replies_counted(r):
    before = int(info(r, "stats")["total_error_replies"])
    with pytest.raises(redis.ResponseError):
        r.execute_command("NOSUCHCOMMAND")
    with pytest.raises(redis.ResponseError):
        r.execute_command("GET")
    with pytest.raises(redis.ResponseError):
        r.execute_command("CONFIG", "SET", "nosuchparam", "1")
    assert int(info(r, "stats")["total_error_replies"]) == before + 3


def test_instantaneous_ops(r):
    deadline = time.time() + 3
    while time.time() < deadline:
        for _ in range(200):
            r.ping()
        if int(info(r, "stats")["instantaneous_ops_per_sec"]) > 0:
            return
    pytest.fail("instantaneous_ops_per_sec stayed 0 under load")


# ---- Replication, CPU, Cluster, Modules ------------------------------------------------------

def test_replication_section(r):
    rep = info(r, "replication")
    assert rep["role"] == "master"
    assert rep["connected_slaves"] == "0"
    assert re.fullmatch(r"[0-9a-f]{40}", rep["master_replid"])
    assert rep["master_replid2"] == "0" * 40
    assert is_int(rep["master_repl_offset"])
    assert rep["second_repl_offset"] == "-1"
    assert rep["repl_backlog_size"] == "1048576"


def test_cpu_section(r):
    c = info(r, "cpu")
    for key in ("used_cpu_sys", "used_cpu_user", "used_cpu_sys_children",
                "used_cpu_user_children", "used_cpu_sys_main_thread",
                "used_cpu_user_main_thread"):
        assert re.fullmatch(r"\d+\.\d{6}", c[key]), key


def test_cpu_time_moves(r):
    before = info(r, "cpu")
    deadline = time.time() + 0.5
    while time.time() < deadline:
        r.info("everything")
    after = info(r, "cpu")
    total = lambda c: float(c["used_cpu_sys"]) + float(c["used_cpu_user"])
    assert total(after) > total(before)


def test_cluster_and_modules(r):
    assert info_text(r, "cluster") == "# Cluster\r\ncluster_enabled:0\r\n"
    assert info_text(r, "modules") == "# Modules\r\n"


# ---- Commandstats and errorstats -------------------------------------------------------------

CMDSTAT = re.compile(r"calls=(\d+),usec=(\d+),usec_per_call=(\d+\.\d\d),"
                     r"rejected_calls=(\d+),failed_calls=(\d+)")


def cmdstat(r, name):
    value = info(r, "commandstats").get(f"cmdstat_{name}")
    if value is None:
        return None
    m = CMDSTAT.fullmatch(value)
    assert m, value
    return tuple(int(x) if "." not in x else float(x) for x in m.groups())


def test_commandstats(r):
    r.config_resetstat()
    assert cmdstat(r, "set") is None
    for i in range(3):
        r.set(f"k{i}", i)
    calls, usec, per_call, rejected, failed = cmdstat(r, "set")
    assert (calls, rejected, failed) == (3, 0, 0)
    assert per_call == pytest.approx(usec / calls, abs=0.01)


def test_commandstats_subcommands_rejected_and_failed(r):
    r.config_resetstat()
    r.config_get("maxmemory")
    with pytest.raises(redis.ResponseError):
        r.execute_command("CONFIG", "GET")            # arity: rejected
    with pytest.raises(redis.ResponseError):
        r.execute_command("CONFIG", "SET", "nosuchparam", "1")  # runs and fails
    assert cmdstat(r, "config|get")[0] == 1
    assert cmdstat(r, "config|get")[3] == 1
    calls, _, _, rejected, failed = cmdstat(r, "config|set")
    assert (calls, rejected, failed) == (1, 0, 1)
    assert "cmdstat_config" not in info(r, "commandstats")


def test_errorstats(r, make_server):
    s = make_server("--requirepass", "secret")
    c = s.client(password=None)
    with pytest.raises(redis.AuthenticationError):
        c.get("x")
    c.execute_command("AUTH", "secret")
    with pytest.raises(redis.ResponseError):
        c.execute_command("NOSUCHCOMMAND")
    with pytest.raises(redis.ResponseError):
        c.execute_command("GET")
    e = info(c, "errorstats")
    assert e["errorstat_NOAUTH"] == "count=1"
    assert e["errorstat_ERR"] == "count=2"
    assert headers(info_text(c, "errorstats")) == ["Errorstats"]
    c.close()


def test_resetstat_clears_stats(r):
    r.set("k", "v")
    r.get("k")
    r.get("missing")
    with pytest.raises(redis.ResponseError):
        r.execute_command("NOSUCHCOMMAND")
    assert r.config_resetstat() is True
    s = info(r, "stats")
    assert s["keyspace_hits"] == "0"
    assert s["keyspace_misses"] == "0"
    assert s["total_error_replies"] == "0"
    assert s["total_connections_received"] == "0"
    assert int(s["total_commands_processed"]) == 1   # CONFIG RESETSTAT itself
    assert info_text(r, "errorstats") == "# Errorstats\r\n"
    stats = info(r, "commandstats")
    assert set(stats) == {"cmdstat_config|resetstat", "cmdstat_info"}
    assert stats["cmdstat_config|resetstat"].startswith("calls=1,")
    # The dataset's dirty counter is not a statistic.
    assert int(info(r, "persistence")["rdb_changes_since_last_save"]) > 0


def test_errorstats_protocol_error_counted(r, server):
    r.config_resetstat()
    assert raw_command(server.port, b"*abc\r\n").startswith(b"-ERR Protocol error")
    assert info(r, "errorstats")["errorstat_ERR"] == "count=1"
    assert info(r, "stats")["total_error_replies"] == "1"


def test_errorstats_rejected_and_failed_per_command(r):
    r.config_resetstat()
    with pytest.raises(redis.ResponseError, match="^unknown subcommand 'NOSUCH'"):
        r.execute_command("CONFIG", "NOSUCH")       # no command to charge it to
    with pytest.raises(redis.ResponseError, match="^wrong number of arguments for 'config'"):
        r.execute_command("CONFIG")                 # the container itself is rejected
    with pytest.raises(redis.ResponseError, match="^AUTH <password> called without"):
        r.execute_command("AUTH", "k")              # runs and fails
    r.set("n", "abc")
    with pytest.raises(redis.ResponseError, match="^value is not an integer"):
        r.execute_command("INCR", "n")
    assert cmdstat(r, "config")[:1] + cmdstat(r, "config")[3:] == (0, 1, 0)
    assert cmdstat(r, "auth")[:1] + cmdstat(r, "auth")[3:] == (1, 0, 1)
    assert cmdstat(r, "incr")[:1] + cmdstat(r, "incr")[3:] == (1, 0, 1)
    assert cmdstat(r, "set")[:1] + cmdstat(r, "set")[3:] == (1, 0, 0)
    assert info(r, "errorstats") == {"errorstat_ERR": "count=4"}
    assert info(r, "stats")["total_error_replies"] == "4"


def test_errorstats_wrongtype(r, nonstring):
    r.config_resetstat()
    with pytest.raises(redis.ResponseError, match="^WRONGTYPE"):
        r.get(nonstring)
    assert info(r, "errorstats") == {"errorstat_WRONGTYPE": "count=1"}
    assert cmdstat(r, "get")[:1] + cmdstat(r, "get")[3:] == (1, 0, 1)


def test_errorstats_noauth_rejects_the_command(make_server):
    s = make_server("--requirepass", "secret")
    c = s.client(password=None)
    with pytest.raises(redis.AuthenticationError):
        c.set("x", "1")
    c.execute_command("AUTH", "secret")
    assert cmdstat(c, "set")[:1] + cmdstat(c, "set")[3:] == (0, 1, 0)
    assert info(c, "errorstats") == {"errorstat_NOAUTH": "count=1"}
    assert "latency_percentiles_usec_set" not in info(c, "latencystats")
    c.close()


# ---- Latencystats ----------------------------------------------------------------------------

def latency_line(r, name):
    return info(r, "latencystats").get(f"latency_percentiles_usec_{name}")


def percentiles(line):
    """{"p50": 1.003, ...} from a latencystats value, checking Redis's number format."""
    out = {}
    for item in line.split(","):
        m = re.fullmatch(r"(p\d+(?:\.\d+)?)=(\d+\.\d{3})", item)
        assert m, line
        out[m.group(1)] = float(m.group(2))
    return out


def on_hdr_bucket_edge(usec):
    """Redis reports the highest value of a 2-significant-digit HdrHistogram bucket (in ns,
    printed as µs): one more ns is a multiple of the bucket's width."""
    ns = round(usec * 1000)
    width = 1 << max(0, ns.bit_length() - 8)
    return (ns + 1) % width == 0


@pytest.fixture
def tracking(r):
    """Restores the latency-tracking settings this module's tests change."""
    yield
    r.config_set("latency-tracking", "yes")
    r.config_set("latency-tracking-info-percentiles", "50 99 99.9")


def test_latencystats_in_all_only(r):
    assert "Latencystats" not in headers(info_text(r))
    assert "Latencystats" in headers(info_text(r, "all"))
    assert headers(info_text(r, "latencystats")) == ["Latencystats"]


def test_latencystats_per_command_and_subcommand(r, tracking):
    assert r.config_get("latency-tracking") == {"latency-tracking": "yes"}
    assert r.config_get("latency-tracking-info-percentiles") == {
        "latency-tracking-info-percentiles": "50 99 99.9"}
    r.config_resetstat()
    r.set("a", "b")
    r.get("a")
    r.client_id()
    lines = info(r, "latencystats")
    # Only commands called since the reset (the reset itself included); INFO is recorded
    # after it replies.
    assert set(lines) == {"latency_percentiles_usec_" + n
                          for n in ("config|resetstat", "set", "get", "client|id")}
    for line in lines.values():
        p = percentiles(line)
        assert list(p) == ["p50", "p99", "p99.9"]
        assert 0 < p["p50"] <= p["p99"] <= p["p99.9"]
        assert all(on_hdr_bucket_edge(v) for v in p.values()), line
    assert "latency_percentiles_usec_info" in info(r, "latencystats")


def test_latencystats_reset(r):
    r.set("a", "b")
    assert latency_line(r, "set") is not None
    r.config_resetstat()
    assert set(info(r, "latencystats")) == {"latency_percentiles_usec_config|resetstat"}


def test_latencystats_rejected_calls_not_recorded_failed_are(r):
    r.config_resetstat()
    with pytest.raises(redis.ResponseError):
        r.execute_command("GET")                     # rejected: arity
    with pytest.raises(redis.ResponseError):
        r.execute_command("CONFIG", "SET", "nosuchparam", "1")  # failed: ran
    assert latency_line(r, "get") is None
    assert latency_line(r, "config|set") is not None


def test_latencystats_disable_enable(r, tracking):
    r.config_resetstat()
    r.set("a", "b")
    r.config_set("latency-tracking", "no")
    assert r.config_get("latency-tracking") == {"latency-tracking": "no"}
    # Disabled: the header only, histograms from before included.
    assert info_text(r, "latencystats") == "# Latencystats\r\n"
    r.get("a")
    r.config_set("latency-tracking", "yes")
    assert latency_line(r, "set") is not None        # kept while disabled
    assert latency_line(r, "get") is None            # not recorded while disabled
    r.get("a")
    assert latency_line(r, "get") is not None


def test_latencystats_configured_percentiles(r, tracking):
    r.config_resetstat()
    r.set("a", "b")
    r.config_set("latency-tracking-info-percentiles", "0.0 50.0 100.0")
    assert r.config_get("latency-tracking-info-percentiles") == {
        "latency-tracking-info-percentiles": "0 50 100"}
    p = percentiles(latency_line(r, "set"))
    assert list(p) == ["p0", "p50", "p100"]
    assert p["p0"] <= p["p50"] <= p["p100"]
    r.config_set("latency-tracking-info-percentiles", "12.5 99.99")
    assert list(percentiles(latency_line(r, "set"))) == ["p12.5", "p99.99"]
    r.config_set("latency-tracking-info-percentiles", "")
    assert latency_line(r, "set") == ""


def test_latencystats_bad_percentiles(r, tracking):
    r.config_resetstat()
    for bad in ("10.0 50.0 a", "10.0 50.0 101.0", "-1"):
        with pytest.raises(redis.ResponseError, match="^CONFIG SET failed"):
            r.config_set("latency-tracking-info-percentiles", bad)
    assert r.config_get("latency-tracking-info-percentiles") == {
        "latency-tracking-info-percentiles": "50 99 99.9"}
    assert info(r, "stats")["total_error_replies"] == "3"


def test_latencystats_measures_in_microseconds(make_server):
    s = make_server("--enable-debug-command", "yes", "--latency-tracking-info-percentiles", "50")
    c = s.client()
    c.execute_command("DEBUG", "SLEEP", "0.05")
    c.set("k", "v")
    debug = percentiles(latency_line(c, "debug"))["p50"]
    assert 50000 <= debug < 60000
    assert 0 < percentiles(latency_line(c, "set"))["p50"] <= debug
    c.close()


# ---- Keyspace --------------------------------------------------------------------------------

def test_keyspace(r):
    assert info_text(r, "keyspace") == "# Keyspace\r\n"
    r.set("a", 1)
    r.set("b", 2, ex=100)
    r.execute_command("SELECT", 3)
    try:
        r.set("c", 3)
        k = info(r, "keyspace")
    finally:
        r.execute_command("SELECT", 0)
    assert set(k) == {"db0", "db3"}
    m = re.fullmatch(r"keys=(\d+),expires=(\d+),avg_ttl=(\d+)", k["db0"])
    assert m and m.group(1) == "2" and m.group(2) == "1"
    assert re.fullmatch(r"keys=1,expires=0,avg_ttl=\d+", k["db3"])
    r.flushall()
    assert info_text(r, "keyspace") == "# Keyspace\r\n"


# ---- Errors ----------------------------------------------------------------------------------

def test_info_arity_and_flags(r):
    [entry] = r.execute_command("COMMAND INFO", "info")
    assert entry[1] == -1


def test_refused_debug_is_a_rejected_call(make_server):
    # enable-debug-command is "no" by default: the dispatcher refuses DEBUG before it runs.
    s = make_server()
    c = s.client()
    c.config_resetstat()
    with pytest.raises(redis.ResponseError, match="DEBUG command not allowed"):
        c.execute_command("DEBUG", "HELP")
    stats = c.info("commandstats")["cmdstat_debug"]
    assert stats["calls"] == 0 and stats["rejected_calls"] == 1 and stats["failed_calls"] == 0
    assert "errorstat_ERR:count=1" in raw(c, "INFO", "errorstats").decode()


# Every field Redis 7.0 prints in INFO everything, per section (Basalt may add more).
REDIS_7_0_FIELDS = {
    "Server": [
        "redis_version", "redis_git_sha1", "redis_git_dirty", "redis_build_id", "redis_mode",
        "os", "arch_bits", "monotonic_clock", "multiplexing_api", "atomicvar_api", "gcc_version",
        "process_id", "process_supervised", "run_id", "tcp_port", "server_time_usec",
        "uptime_in_seconds", "uptime_in_days", "hz", "configured_hz", "lru_clock", "executable",
        "config_file", "io_threads_active"
    ],
    "Clients": [
        "connected_clients", "cluster_connections", "maxclients",
        "client_recent_max_input_buffer", "client_recent_max_output_buffer", "blocked_clients",
        "tracking_clients", "clients_in_timeout_table"
    ],
    "Memory": [
        "used_memory", "used_memory_human", "used_memory_rss", "used_memory_rss_human",
        "used_memory_peak", "used_memory_peak_human", "used_memory_peak_perc",
        "used_memory_overhead", "used_memory_startup", "used_memory_dataset",
        "used_memory_dataset_perc", "allocator_allocated", "allocator_active",
        "allocator_resident", "total_system_memory", "total_system_memory_human",
        "used_memory_lua", "used_memory_vm_eval", "used_memory_lua_human",
        "used_memory_scripts_eval", "number_of_cached_scripts", "number_of_functions",
        "number_of_libraries", "used_memory_vm_functions", "used_memory_vm_total",
        "used_memory_vm_total_human", "used_memory_functions", "used_memory_scripts",
        "used_memory_scripts_human", "maxmemory", "maxmemory_human", "maxmemory_policy",
        "allocator_frag_ratio", "allocator_frag_bytes", "allocator_rss_ratio",
        "allocator_rss_bytes", "rss_overhead_ratio", "rss_overhead_bytes",
        "mem_fragmentation_ratio", "mem_fragmentation_bytes", "mem_not_counted_for_evict",
        "mem_replication_backlog", "mem_total_replication_buffers", "mem_clients_slaves",
        "mem_clients_normal", "mem_cluster_links", "mem_aof_buffer", "mem_allocator",
        "active_defrag_running", "lazyfree_pending_objects", "lazyfreed_objects"
    ],
    "Persistence": [
        "loading", "async_loading", "current_cow_peak", "current_cow_size",
        "current_cow_size_age", "current_fork_perc", "current_save_keys_processed",
        "current_save_keys_total", "rdb_changes_since_last_save", "rdb_bgsave_in_progress",
        "rdb_last_save_time", "rdb_last_bgsave_status", "rdb_last_bgsave_time_sec",
        "rdb_current_bgsave_time_sec", "rdb_saves", "rdb_last_cow_size",
        "rdb_last_load_keys_expired", "rdb_last_load_keys_loaded", "aof_enabled",
        "aof_rewrite_in_progress", "aof_rewrite_scheduled", "aof_last_rewrite_time_sec",
        "aof_current_rewrite_time_sec", "aof_last_bgrewrite_status", "aof_rewrites",
        "aof_rewrites_consecutive_failures", "aof_last_write_status", "aof_last_cow_size",
        "module_fork_in_progress", "module_fork_last_cow_size"
    ],
    "Stats": [
        "total_connections_received", "total_commands_processed", "instantaneous_ops_per_sec",
        "total_net_input_bytes", "total_net_output_bytes", "total_net_repl_input_bytes",
        "total_net_repl_output_bytes", "instantaneous_input_kbps", "instantaneous_output_kbps",
        "instantaneous_input_repl_kbps", "instantaneous_output_repl_kbps", "rejected_connections",
        "sync_full", "sync_partial_ok", "sync_partial_err", "expired_keys", "expired_stale_perc",
        "expired_time_cap_reached_count", "expire_cycle_cpu_milliseconds", "evicted_keys",
        "evicted_clients", "total_eviction_exceeded_time", "current_eviction_exceeded_time",
        "keyspace_hits", "keyspace_misses", "pubsub_channels", "pubsub_patterns",
        "pubsubshard_channels", "latest_fork_usec", "total_forks", "migrate_cached_sockets",
        "slave_expires_tracked_keys", "active_defrag_hits", "active_defrag_misses",
        "active_defrag_key_hits", "active_defrag_key_misses", "total_active_defrag_time",
        "current_active_defrag_time", "tracking_total_keys", "tracking_total_items",
        "tracking_total_prefixes", "unexpected_error_replies", "total_error_replies",
        "dump_payload_sanitizations", "total_reads_processed", "total_writes_processed",
        "io_threaded_reads_processed", "io_threaded_writes_processed", "reply_buffer_shrinks",
        "reply_buffer_expands"
    ],
    "Replication": [
        "role", "connected_slaves", "master_failover_state", "master_replid", "master_replid2",
        "master_repl_offset", "second_repl_offset", "repl_backlog_active", "repl_backlog_size",
        "repl_backlog_first_byte_offset", "repl_backlog_histlen"
    ],
    "CPU": [
        "used_cpu_sys", "used_cpu_user", "used_cpu_sys_children", "used_cpu_user_children",
        "used_cpu_sys_main_thread", "used_cpu_user_main_thread"
    ],
    "Cluster": [
        "cluster_enabled"
    ],
}


def test_every_redis_7_0_field_is_present(r):
    text = info_text(r, "everything")
    fields = {}
    section = None
    for line in text.split("\r\n"):
        if line.startswith("# "):
            section = line[2:]
            fields[section] = []
        elif ":" in line:
            fields[section].append(line.split(":", 1)[0])
    for section, names in REDIS_7_0_FIELDS.items():
        missing = [n for n in names if n not in fields.get(section, [])]
        assert missing == [], section
        # In Redis's order (extra fields may sit in between).
        present = [n for n in fields[section] if n in names]
        assert present == names, section
    # redis-py parses every section.
    parsed = r.info("everything")
    for names in REDIS_7_0_FIELDS.values():
        for n in names:
            assert n in parsed, n


def test_memory_figures_are_consistent(r):
    r.set("m", "x" * 100000)
    mem = r.info("memory")
    assert mem["used_memory"] >= 100000
    assert mem["used_memory_peak"] >= mem["used_memory"]
    assert 0 < mem["used_memory_startup"] <= mem["used_memory"]
    assert mem["allocator_active"] >= mem["allocator_allocated"]
    assert mem["allocator_resident"] >= mem["allocator_active"]
    assert mem["mem_allocator"].startswith("jemalloc-")
    assert mem["used_memory_human"].endswith(("K", "M"))


def test_net_kbps_move(r):
    r.set("payload", "x" * 50000)
    deadline = time.time() + 3
    while time.time() < deadline:
        r.get("payload")
        stats = r.info("stats")
        if stats["instantaneous_output_kbps"] > 0 and stats["instantaneous_input_kbps"] > 0:
            break
        time.sleep(0.05)
    assert stats["instantaneous_output_kbps"] > 0
    assert stats["instantaneous_input_kbps"] > 0
