// Expected texts and values were checked against Debian's redis-server 7.0.15 (CONFIG GET *,
// CONFIG SET error replies, and the FATAL CONFIG FILE ERROR blocks it prints at startup).
#include "server/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "server/config_file.h"
#include "server/config_rewrite.h"
#include "server/version.h"
#include "util/split_args.h"

namespace basalt {
namespace {

using Args = std::vector<std::string>;
using Pairs = std::vector<std::pair<std::string, std::string>>;

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/basalt_config_test_XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& content) const {
    std::string file = path_ + "/" + name;
    std::ofstream(file) << content;
    return file;
  }

 private:
  std::string path_;
};

std::string FatalBlock(int line, const std::string& text, const std::string& reason) {
  return std::string("\n*** FATAL CONFIG FILE ERROR (Redis ") + kRedisCompatVersion +
         ") ***\nReading the configuration file, at line " + std::to_string(line) + "\n>>> '" +
         text + "'\n" + reason;
}

// Parses and applies `text` as a config file; returns the error message or "".
std::string ApplyText(const std::string& text, ServerConfig& config,
                      const ConfigRegistry& registry = ConfigRegistry()) {
  std::vector<ConfigDirective> directives;
  if (auto error = ParseConfigText(text, "test.conf", &directives)) return error->message;
  if (auto error = registry.ApplyDirectives(directives, config)) return error->message;
  return "";
}

// Runs argv through the command-line and config-file pipeline, as basalt-server's main.
std::string RunArgv(std::vector<const char*> argv, ServerConfig& config,
                    const std::string& stdin_text = "") {
  argv.insert(argv.begin(), "basalt-server");
  CommandLine cmdline = ParseCommandLine(static_cast<int>(argv.size()), argv.data());
  std::istringstream in(stdin_text);
  std::vector<ConfigDirective> directives;
  if (auto error = LoadConfigDirectives(cmdline, in, &directives)) return error->message;
  if (auto error = ConfigRegistry().ApplyDirectives(directives, config)) return error->message;
  return "";
}

std::string GetOne(const ConfigRegistry& registry, const ServerConfig& config,
                   const std::string& name) {
  auto result = registry.Get(name, config);
  EXPECT_EQ(result.size(), 1u) << name;
  return result.empty() ? "<missing>" : result[0].second;
}

std::string SetError(const ConfigRegistry& registry, ServerConfig& config, const Pairs& pairs,
                     const ConfigRegistry::SetOptions& options = {}) {
  auto error = registry.Set(pairs, config, options);
  return error ? *error : "";
}

// Parameters of Redis 7.2 that Basalt also has, with their defaults.
const std::vector<std::pair<std::string, std::string>>& Redis72Additions() {
  static const auto* additions = new std::vector<std::pair<std::string, std::string>>{
      {"set-max-listpack-entries", "128"},
      {"set-max-listpack-value", "64"},
  };
  return *additions;
}

// CONFIG GET * of redis-server 7.0.15 (a TLS build) started with no config file, except
// `dir`, which is the working directory.
const std::vector<std::pair<std::string, std::string>>& RedisDefaults() {
  static const auto* defaults = new std::vector<std::pair<std::string, std::string>>{
      {"acl-pubsub-default", "resetchannels"},
      {"aclfile", ""},
      {"acllog-max-len", "128"},
      {"active-defrag-cycle-max", "25"},
      {"active-defrag-cycle-min", "1"},
      {"active-defrag-ignore-bytes", "104857600"},
      {"active-defrag-max-scan-fields", "1000"},
      {"active-defrag-threshold-lower", "10"},
      {"active-defrag-threshold-upper", "100"},
      {"active-expire-effort", "1"},
      {"activedefrag", "no"},
      {"activerehashing", "yes"},
      {"always-show-logo", "no"},
      {"aof-disable-auto-gc", "no"},
      {"aof-load-truncated", "yes"},
      {"aof-rewrite-incremental-fsync", "yes"},
      {"aof-timestamp-enabled", "no"},
      {"aof-use-rdb-preamble", "yes"},
      {"aof_rewrite_cpulist", ""},
      {"appenddirname", "appendonlydir"},
      {"appendfilename", "appendonly.aof"},
      {"appendfsync", "everysec"},
      {"appendonly", "no"},
      {"auto-aof-rewrite-min-size", "67108864"},
      {"auto-aof-rewrite-percentage", "100"},
      {"bgsave_cpulist", ""},
      {"bind", "* -::*"},
      {"bind-source-addr", ""},
      {"bio_cpulist", ""},
      {"busy-reply-threshold", "5000"},
      {"client-output-buffer-limit",
       "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
      {"client-query-buffer-limit", "1073741824"},
      {"cluster-allow-pubsubshard-when-down", "yes"},
      {"cluster-allow-reads-when-down", "no"},
      {"cluster-allow-replica-migration", "yes"},
      {"cluster-announce-bus-port", "0"},
      {"cluster-announce-hostname", ""},
      {"cluster-announce-ip", ""},
      {"cluster-announce-port", "0"},
      {"cluster-announce-tls-port", "0"},
      {"cluster-config-file", "nodes.conf"},
      {"cluster-enabled", "no"},
      {"cluster-link-sendbuf-limit", "0"},
      {"cluster-migration-barrier", "1"},
      {"cluster-node-timeout", "15000"},
      {"cluster-port", "0"},
      {"cluster-preferred-endpoint-type", "ip"},
      {"cluster-replica-no-failover", "no"},
      {"cluster-replica-validity-factor", "10"},
      {"cluster-require-full-coverage", "yes"},
      {"cluster-slave-no-failover", "no"},
      {"cluster-slave-validity-factor", "10"},
      {"crash-log-enabled", "yes"},
      {"crash-memcheck-enabled", "yes"},
      {"daemonize", "no"},
      {"databases", "16"},
      {"dbfilename", "dump.rdb"},
      {"disable-thp", "yes"},
      {"dynamic-hz", "yes"},
      {"enable-debug-command", "no"},
      {"enable-module-command", "no"},
      {"enable-protected-configs", "no"},
      {"hash-max-listpack-entries", "512"},
      {"hash-max-listpack-value", "64"},
      {"hash-max-ziplist-entries", "512"},
      {"hash-max-ziplist-value", "64"},
      {"hll-sparse-max-bytes", "3000"},
      {"hz", "10"},
      {"ignore-warnings", ""},
      {"io-threads", "1"},
      {"io-threads-do-reads", "no"},
      {"jemalloc-bg-thread", "yes"},
      {"latency-monitor-threshold", "0"},
      {"latency-tracking", "yes"},
      {"latency-tracking-info-percentiles", "50 99 99.9"},
      {"lazyfree-lazy-eviction", "no"},
      {"lazyfree-lazy-expire", "no"},
      {"lazyfree-lazy-server-del", "no"},
      {"lazyfree-lazy-user-del", "no"},
      {"lazyfree-lazy-user-flush", "no"},
      {"lfu-decay-time", "1"},
      {"lfu-log-factor", "10"},
      {"list-compress-depth", "0"},
      {"list-max-listpack-size", "-2"},
      {"list-max-ziplist-size", "-2"},
      {"logfile", ""},
      {"loglevel", "notice"},
      {"lua-time-limit", "5000"},
      {"masterauth", ""},
      {"masteruser", ""},
      {"maxclients", "10000"},
      {"maxmemory", "0"},
      {"maxmemory-clients", "0"},
      {"maxmemory-eviction-tenacity", "10"},
      {"maxmemory-policy", "noeviction"},
      {"maxmemory-samples", "5"},
      {"min-replicas-max-lag", "10"},
      {"min-replicas-to-write", "0"},
      {"min-slaves-max-lag", "10"},
      {"min-slaves-to-write", "0"},
      {"no-appendfsync-on-rewrite", "no"},
      {"notify-keyspace-events", ""},
      {"oom-score-adj", "no"},
      {"oom-score-adj-values", "0 200 800"},
      {"pidfile", ""},
      {"port", "6379"},
      {"proc-title-template", "{title} {listen-addr} {server-mode}"},
      {"propagation-error-behavior", "ignore"},
      {"protected-mode", "yes"},
      {"proto-max-bulk-len", "536870912"},
      {"rdb-del-sync-files", "no"},
      {"rdb-save-incremental-fsync", "yes"},
      {"rdbchecksum", "yes"},
      {"rdbcompression", "yes"},
      {"repl-backlog-size", "1048576"},
      {"repl-backlog-ttl", "3600"},
      {"repl-disable-tcp-nodelay", "no"},
      {"repl-diskless-load", "disabled"},
      {"repl-diskless-sync", "yes"},
      {"repl-diskless-sync-delay", "5"},
      {"repl-diskless-sync-max-replicas", "0"},
      {"repl-ping-replica-period", "10"},
      {"repl-ping-slave-period", "10"},
      {"repl-timeout", "60"},
      {"replica-announce-ip", ""},
      {"replica-announce-port", "0"},
      {"replica-announced", "yes"},
      {"replica-ignore-disk-write-errors", "no"},
      {"replica-ignore-maxmemory", "yes"},
      {"replica-lazy-flush", "no"},
      {"replica-priority", "100"},
      {"replica-read-only", "yes"},
      {"replica-serve-stale-data", "yes"},
      {"replicaof", ""},
      {"requirepass", ""},
      {"sanitize-dump-payload", "no"},
      {"save", "3600 1 300 100 60 10000"},
      {"server_cpulist", ""},
      {"set-max-intset-entries", "512"},
      {"set-proc-title", "yes"},
      {"shutdown-on-sigint", "default"},
      {"shutdown-on-sigterm", "default"},
      {"shutdown-timeout", "10"},
      {"slave-announce-ip", ""},
      {"slave-announce-port", "0"},
      {"slave-ignore-maxmemory", "yes"},
      {"slave-lazy-flush", "no"},
      {"slave-priority", "100"},
      {"slave-read-only", "yes"},
      {"slave-serve-stale-data", "yes"},
      {"slaveof", ""},
      {"slowlog-log-slower-than", "10000"},
      {"slowlog-max-len", "128"},
      {"socket-mark-id", "0"},
      {"stop-writes-on-bgsave-error", "yes"},
      {"stream-node-max-bytes", "4096"},
      {"stream-node-max-entries", "100"},
      {"supervised", "no"},
      {"syslog-enabled", "no"},
      {"syslog-facility", "local0"},
      {"syslog-ident", "redis"},
      {"tcp-backlog", "511"},
      {"tcp-keepalive", "300"},
      {"timeout", "0"},
      {"tls-auth-clients", "yes"},
      {"tls-ca-cert-dir", ""},
      {"tls-ca-cert-file", ""},
      {"tls-cert-file", ""},
      {"tls-ciphers", ""},
      {"tls-ciphersuites", ""},
      {"tls-client-cert-file", ""},
      {"tls-client-key-file", ""},
      {"tls-client-key-file-pass", ""},
      {"tls-cluster", "no"},
      {"tls-dh-params-file", ""},
      {"tls-key-file", ""},
      {"tls-key-file-pass", ""},
      {"tls-port", "0"},
      {"tls-prefer-server-ciphers", "no"},
      {"tls-protocols", ""},
      {"tls-replication", "no"},
      {"tls-session-cache-size", "20480"},
      {"tls-session-cache-timeout", "300"},
      {"tls-session-caching", "yes"},
      {"tracking-table-max-keys", "1000000"},
      {"unixsocket", ""},
      {"unixsocketperm", "0"},
      {"zset-max-listpack-entries", "128"},
      {"zset-max-listpack-value", "64"},
      {"zset-max-ziplist-entries", "128"},
      {"zset-max-ziplist-value", "64"},
  };
  return *defaults;
}

// ---- SplitArgs ----------------------------------------------------------------------------

TEST(ConfigSplitArgsTest, PlainWords) {
  EXPECT_EQ(SplitArgs("set  key\tvalue "), (Args{"set", "key", "value"}));
  EXPECT_EQ(SplitArgs(""), Args{});
  EXPECT_EQ(SplitArgs("   "), Args{});
  EXPECT_EQ(SplitArgs("\"\""), Args{""});
  EXPECT_EQ(SplitArgs("a '' b"), (Args{"a", "", "b"}));
}

TEST(ConfigSplitArgsTest, DoubleQuoteEscapes) {
  EXPECT_EQ(SplitArgs(R"("a\nb\rc\td\be\af")"), Args{"a\nb\rc\td\be\af"});
  EXPECT_EQ(SplitArgs(R"("q\"q" "b\\s")"), (Args{"q\"q", "b\\s"}));
  EXPECT_EQ(SplitArgs(R"("\x41\x7a\xff\x00")"), Args{std::string("Az\xff\0", 4)});
  // Not a valid \xHH: the backslash escapes the 'x' alone.
  EXPECT_EQ(SplitArgs(R"("\xg1")"), Args{"xg1"});
  EXPECT_EQ(SplitArgs(R"("\q")"), Args{"q"});
  EXPECT_EQ(SplitArgs("\"a b\" c"), (Args{"a b", "c"}));
}

TEST(ConfigSplitArgsTest, SingleQuotesOnlyEscapeQuote) {
  EXPECT_EQ(SplitArgs(R"('it\'s' '\n\x41')"), (Args{"it's", "\\n\\x41"}));
  EXPECT_EQ(SplitArgs(R"('a "b"')"), Args{"a \"b\""});
}

TEST(ConfigSplitArgsTest, QuotesInsideAWord) {
  // A quote opens in the middle of a word and the word continues after it closes only if
  // the quote ends the argument.
  EXPECT_EQ(SplitArgs(R"(foo"bar baz")"), Args{"foobar baz"});
}

TEST(ConfigSplitArgsTest, UnbalancedQuotes) {
  EXPECT_EQ(SplitArgs("\"abc"), std::nullopt);
  EXPECT_EQ(SplitArgs("'abc"), std::nullopt);
  EXPECT_EQ(SplitArgs(R"("abc\")"), std::nullopt);
  // A closing quote must be followed by a space or the end.
  EXPECT_EQ(SplitArgs("\"foo\"bar"), std::nullopt);
  EXPECT_EQ(SplitArgs("'foo'bar"), std::nullopt);
  EXPECT_EQ(SplitArgs("\"foo\"\tbar"), (Args{"foo", "bar"}));
}

TEST(ConfigSplitArgsTest, SpacesAsSdssplitargs) {
  // Checked with Debian's redis-server through inline ECHO: "ECHO a\vb" answers "a\vb" (\v and
  // \f separate arguments only before one starts), "\vECHO x" answers "x".
  EXPECT_EQ(SplitArgs("ECHO a\vb"), (Args{"ECHO", "a\vb"}));
  EXPECT_EQ(SplitArgs("ECHO a\fb"), (Args{"ECHO", "a\fb"}));
  EXPECT_EQ(SplitArgs("\vECHO \f x"), (Args{"ECHO", "x"}));
  EXPECT_EQ(SplitArgs("ECHO \"a\" \v"), (Args{"ECHO", "a"}));
  // A C string to sdssplitargs: a NUL byte ends the line.
  EXPECT_EQ(SplitArgs(std::string("ECHO a\0b c", 10)), (Args{"ECHO", "a"}));
  std::vector<std::string_view> views;
  ASSERT_TRUE(SplitPlainArgs("ECHO a\vb", &views));
  EXPECT_EQ(views, (std::vector<std::string_view>{"ECHO", "a\vb"}));
}

TEST(ConfigSplitArgsTest, PlainArgsAgreeWithSplitArgsWithoutQuotes) {
  // Every byte that is a space to sdssplitargs (\t \n \v \f \r, space, NUL) and a few that
  // are not, in random lines: the copy-free split must give SplitArgs's arguments.
  const std::string alphabet = std::string("ab \t\n\v\f\r\x01\xff", 11) + '\0';
  uint64_t seed = 7;
  for (int round = 0; round < 2000; ++round) {
    std::string line;
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    const size_t len = (seed >> 33) % 12;
    for (size_t i = 0; i < len; ++i) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      line.push_back(alphabet[(seed >> 33) % alphabet.size()]);
    }
    std::vector<std::string_view> views;
    ASSERT_TRUE(SplitPlainArgs(line, &views));
    const std::optional<Args> expected = SplitArgs(line);
    ASSERT_TRUE(expected.has_value());
    EXPECT_EQ(Args(views.begin(), views.end()), *expected) << "round " << round;
  }
}

TEST(ConfigSplitArgsTest, PlainArgsLeaveQuotedLinesToSplitArgs) {
  std::vector<std::string_view> views = {"kept"};
  EXPECT_FALSE(SplitPlainArgs("set k \"a b\"", &views));
  EXPECT_FALSE(SplitPlainArgs("it's", &views));
  EXPECT_EQ(views, std::vector<std::string_view>{"kept"});
}

// ---- Config text --------------------------------------------------------------------------

TEST(ConfigFileTest, SkipsCommentsAndBlankLinesAndLowercasesNames) {
  std::vector<ConfigDirective> out;
  ASSERT_FALSE(
      ParseConfigText("# comment\n\n  PORT 7000  \r\n\t# indented comment\n"
                      "save \"\"\nbind 127.0.0.1 ::1",
                      "a.conf", &out));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].args, (Args{"port", "7000"}));
  EXPECT_EQ(out[0].line, 3);
  EXPECT_EQ(out[0].text, "PORT 7000");
  EXPECT_EQ(out[0].file, "a.conf");
  EXPECT_EQ(out[1].args, (Args{"save", ""}));
  EXPECT_EQ(out[1].line, 5);
  EXPECT_EQ(out[2].args, (Args{"bind", "127.0.0.1", "::1"}));
  EXPECT_EQ(out[2].line, 6);
}

TEST(ConfigFileTest, UnbalancedQuotesIsAnErrorAtItsLine) {
  std::vector<ConfigDirective> out;
  auto error = ParseConfigText("port 7000\nport \"7000\n", "a.conf", &out);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message,
            FatalBlock(2, "port \"7000", "Unbalanced quotes in configuration line"));
}

TEST(ConfigFileTest, IncludeIsExpandedInPlace) {
  TempDir dir;
  std::string inner = dir.Write("inner.conf", "maxmemory 1mb\n\nhz 20\n");
  std::string outer = dir.Write("outer.conf", "port 1\ninclude " + inner + "\nport 2\n");
  std::vector<ConfigDirective> out;
  ASSERT_FALSE(LoadConfigFile(outer, &out));
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].args, (Args{"port", "1"}));
  EXPECT_EQ(out[1].args, (Args{"maxmemory", "1mb"}));
  EXPECT_EQ(out[1].file, inner);
  EXPECT_EQ(out[1].line, 1);
  EXPECT_EQ(out[2].line, 3);  // lines count from 1 in each file
  EXPECT_EQ(out[3].args, (Args{"port", "2"}));
  EXPECT_EQ(out[3].file, outer);
  EXPECT_EQ(out[3].line, 3);
}

TEST(ConfigFileTest, IncludeGlobAndMissingFiles) {
  TempDir dir;
  dir.Write("a.conf", "port 1\n");
  dir.Write("b.conf", "port 2\n");
  std::vector<ConfigDirective> out;
  ASSERT_FALSE(
      ParseConfigText("include " + dir.path() + "/*.conf\ninclude " + dir.path() + "/none/*.conf\n",
                      "main.conf", &out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].args[1], "1");
  EXPECT_EQ(out[1].args[1], "2");
  EXPECT_EQ(out[1].line, 2);  // the matched files are read as one text

  out.clear();
  auto error = ParseConfigText("include " + dir.path() + "/missing.conf\n", "main.conf", &out);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, "Fatal error, can't open config file '" + dir.path() +
                                "/missing.conf': No such file or directory");

  // `include` with another number of arguments is left for ApplyDirectives to reject.
  out.clear();
  ASSERT_FALSE(ParseConfigText("include a b\n", "main.conf", &out));
  ASSERT_EQ(out.size(), 1u);
  ServerConfig config;
  EXPECT_EQ(ApplyText("include a b\n", config),
            FatalBlock(1, "include a b", "Bad directive or wrong number of arguments"));
}

TEST(ConfigFileTest, IncludeCycleIsAnError) {
  TempDir dir;
  std::string self = dir.path() + "/self.conf";
  dir.Write("self.conf", "include " + self + "\n");
  std::vector<ConfigDirective> out;
  auto error = LoadConfigFile(self, &out);
  ASSERT_TRUE(error);
  EXPECT_NE(error->message.find("Too many nested include directives"), std::string::npos);
}

TEST(ConfigFileTest, MissingConfigFile) {
  std::vector<ConfigDirective> out;
  auto error = LoadConfigFile("/nonexistent/redis.conf", &out);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message,
            "Fatal error, can't open config file '/nonexistent/redis.conf': No such file or "
            "directory");
}

TEST(ConfigFileTest, QuoteArgRoundTripsThroughSplitArgs) {
  EXPECT_EQ(QuoteArg("6380"), "\"6380\"");
  EXPECT_EQ(QuoteArg(""), "\"\"");
  EXPECT_EQ(QuoteArg("a\"b\\c\n\r\t\a\b"), R"("a\"b\\c\n\r\t\a\b")");
  EXPECT_EQ(QuoteArg(std::string("\x01\xff", 2)), R"("\x01\xff")");
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  EXPECT_EQ(SplitArgs(QuoteArg(all)), Args{all});
}

TEST(ConfigFileTest, AbsolutePath) {
  char cwd[4096];
  ASSERT_NE(getcwd(cwd, sizeof(cwd)), nullptr);
  std::string here = cwd;
  EXPECT_EQ(AbsolutePath("/etc/redis.conf"), "/etc/redis.conf");
  EXPECT_EQ(AbsolutePath(" /etc/redis.conf\n"), "/etc/redis.conf");
  EXPECT_EQ(AbsolutePath("redis.conf"), here + "/redis.conf");
  std::string parent = here.substr(0, here.rfind('/') + 1);
  EXPECT_EQ(AbsolutePath("../redis.conf"), parent + "redis.conf");
}

// ---- Command line -------------------------------------------------------------------------

CommandLine Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "basalt-server");
  return ParseCommandLine(static_cast<int>(args.size()), args.data());
}

TEST(ConfigCommandLineTest, SpecialOptions) {
  EXPECT_TRUE(Parse({"-v"}).version);
  EXPECT_TRUE(Parse({"--version"}).version);
  EXPECT_TRUE(Parse({"-h"}).help);
  EXPECT_TRUE(Parse({"--help"}).help);
  EXPECT_FALSE(Parse({"--port", "1", "--version"}).version);  // only as the first argument
  CommandLine memtest = Parse({"--test-memory", "4096"});
  EXPECT_TRUE(memtest.test_memory);
  EXPECT_EQ(memtest.test_memory_mb, 4096);
  EXPECT_TRUE(memtest.error.empty());
  EXPECT_FALSE(Parse({"--test-memory"}).error.empty());
  EXPECT_TRUE(Parse({"--check-system"}).check_system);
  EXPECT_TRUE(Parse({"--port", "1", "--sentinel"}).sentinel);

  CommandLine none = Parse({});
  EXPECT_TRUE(none.config_file.empty());
  EXPECT_TRUE(none.options_text.empty());
  EXPECT_FALSE(none.version || none.help || none.config_from_stdin);
}

TEST(ConfigCommandLineTest, ConfigFileAndStdin) {
  CommandLine c = Parse({"/etc/redis/redis.conf", "--port", "6380"});
  EXPECT_EQ(c.config_file, "/etc/redis/redis.conf");
  EXPECT_EQ(c.options_text, "port \"6380\" ");
  EXPECT_EQ(Parse({"redis.conf"}).config_file, AbsolutePath("redis.conf"));

  EXPECT_TRUE(Parse({"-"}).config_from_stdin);
  EXPECT_TRUE(Parse({"a.conf", "--port", "1", "-"}).config_from_stdin);
  // A "-" elsewhere is an option value.
  CommandLine middle = Parse({"--logfile", "-", "--port", "1"});
  EXPECT_FALSE(middle.config_from_stdin);
  EXPECT_EQ(middle.options_text, "logfile \"-\" \nport \"1\" ");
}

TEST(ConfigCommandLineTest, OptionsText) {
  EXPECT_EQ(Parse({"--port", "6380", "--save", ""}).options_text, "port \"6380\" \nsave \"\" ");
  EXPECT_EQ(Parse({"--bind", "127.0.0.1", "::1"}).options_text, "bind \"127.0.0.1\" \"::1\" ");
  // Name and value in one argument.
  EXPECT_EQ(Parse({"--maxmemory 700mb", "--maxmemory-policy volatile-lru"}).options_text,
            "maxmemory 700mb \nmaxmemory-policy volatile-lru ");
  // A value may start with "--" right after a lone option name.
  EXPECT_EQ(Parse({"--proc-title-template", "--my--title", "--loglevel", "verbose"}).options_text,
            "proc-title-template \"--my--title\" \nloglevel \"verbose\" ");
  // A bare --save means save "".
  EXPECT_EQ(Parse({"--save", "--loglevel", "verbose"}).options_text,
            "save \"\"\nloglevel \"verbose\" ");
  EXPECT_EQ(Parse({"--loglevel", "verbose", "--save"}).options_text,
            "loglevel \"verbose\" \nsave \"\"");
  // Values needing escapes are quoted so SplitArgs restores them.
  EXPECT_EQ(Parse({"--requirepass", "a \"b\"\n"}).options_text, "requirepass \"a \\\"b\\\"\\n\" ");
}

TEST(ConfigCommandLineTest, RedisServerErrorCases) {
  // The cases of Redis's "redis-server command line arguments - error cases" test.
  ServerConfig c;
  EXPECT_EQ(RunArgv({"--port"}, c), FatalBlock(2, "port", "wrong number of arguments"));
  EXPECT_EQ(RunArgv({"--port", "6380", "--loglevel"}, c),
            FatalBlock(3, "loglevel", "wrong number of arguments"));
  EXPECT_EQ(RunArgv({"--port", "6379", "6380"}, c),
            FatalBlock(2, "port \"6379\" \"6380\"", "wrong number of arguments"));
  EXPECT_EQ(RunArgv({"--port", "--loglevel", "verbose"}, c),
            FatalBlock(2, "port \"--loglevel\" \"verbose\"", "wrong number of arguments"));
  EXPECT_EQ(RunArgv({"--port", "--bla", "--loglevel", "verbose"}, c),
            FatalBlock(2, "port \"--bla\"", "argument couldn't be parsed into an integer"));
  EXPECT_NE(RunArgv({"--logfile", "--my--log--file", "--loglevel", "--bla"}, c)
                .find("'loglevel \"--bla\"'\nargument(s) must be one of the following"),
            std::string::npos);
  EXPECT_NE(RunArgv({"--shutdown-on-sigint"}, c)
                .find("'shutdown-on-sigint'\nargument(s) must be one of the following"),
            std::string::npos);
  EXPECT_NE(RunArgv({"--shutdown-on-sigint", "now force", "--shutdown-on-sigterm"}, c)
                .find("'shutdown-on-sigterm'\nargument(s) must be one of the following"),
            std::string::npos);
  EXPECT_EQ(RunArgv({"--replicaof", "127.0.0.1", "abc"}, c),
            FatalBlock(2, "replicaof \"127.0.0.1\" \"abc\"", "Invalid master port"));
  EXPECT_EQ(RunArgv({"--replicaof", "--127.0.0.1", "abc"}, c),
            FatalBlock(2, "replicaof \"--127.0.0.1\" \"abc\"", "Invalid master port"));
  EXPECT_EQ(RunArgv({"--replicaof", "--127.0.0.1", "--abc"}, c),
            FatalBlock(2, "replicaof \"--127.0.0.1\"", "wrong number of arguments"));
  EXPECT_EQ(RunArgv({"--port", "70000"}, c),
            FatalBlock(2, "port \"70000\"", "argument must be between 0 and 65535 inclusive"));
  EXPECT_EQ(RunArgv({"--save", "1", "2", "3"}, c),
            FatalBlock(2, "save \"1\" \"2\" \"3\"", "Invalid save parameters"));
}

TEST(ConfigCommandLineTest, RedisServerAcceptedForms) {
  ServerConfig c;
  ConfigRegistry r;
  ASSERT_EQ(RunArgv({"--maxmemory 700mb", "--maxmemory-policy volatile-lru"}, c), "");
  EXPECT_EQ(GetOne(r, c, "maxmemory"), "734003200");
  EXPECT_EQ(c.eviction_policy, EvictionPolicy::kVolatileLru);

  c = ServerConfig{};
  ASSERT_EQ(RunArgv({"--proc-title-template", "--save", "--save", "", "--loglevel", "verbose"}, c),
            "");
  EXPECT_EQ(c.proc_title_template, "--save");
  EXPECT_TRUE(c.save_params.empty());
  EXPECT_EQ(c.verbosity, LogLevel::kVerbose);

  // A multi-value parameter takes several arguments or one string holding them.
  c = ServerConfig{};
  ASSERT_EQ(RunArgv({"--shutdown-on-sigint", "nosave", "force", "now", "--shutdown-on-sigterm",
                     "nosave force", "--bind", "127.0.0.1", "-::1"},
                    c),
            "");
  EXPECT_EQ(GetOne(r, c, "shutdown-on-sigint"), "nosave now force");
  EXPECT_EQ(GetOne(r, c, "shutdown-on-sigterm"), "nosave force");
  EXPECT_EQ(c.shutdown_on_sigterm_flags, kShutdownNoSave | kShutdownForce);
  EXPECT_EQ(c.bind, (Args{"127.0.0.1", "-::1"}));
}

TEST(ConfigCommandLineTest, SourcesAreReadInRedisOrder) {
  TempDir dir;
  std::string file = dir.Write("r.conf", "port 7000\nsave 900 1\n");
  ServerConfig c;
  ConfigRegistry r;
  // File, then stdin, then options: the last value wins; `save` lines accumulate.
  ASSERT_EQ(RunArgv({file.c_str(), "--save", "100", "100", "-"}, c, "port 7001\nhz 20\n"), "");
  EXPECT_EQ(c.port, 7001);
  EXPECT_EQ(c.hz, 20);
  EXPECT_EQ(GetOne(r, c, "save"), "900 1 100 100");

  c = ServerConfig{};
  ASSERT_EQ(RunArgv({file.c_str(), "--save", ""}, c), "");
  EXPECT_EQ(GetOne(r, c, "save"), "");

  // Option lines are numbered after the file's (and a blank separator line).
  EXPECT_EQ(RunArgv({file.c_str(), "--hz", "x"}, c),
            FatalBlock(4, "hz \"x\"", "argument couldn't be parsed into an integer"));
  EXPECT_EQ(RunArgv({"/nonexistent.conf"}, c),
            "Fatal error, can't open config file '/nonexistent.conf': No such file or "
            "directory");
}

// ---- Defaults and CONFIG GET --------------------------------------------------------------

TEST(ConfigRegistryTest, DefaultsAndNamesMatchRedis) {
  ConfigRegistry r;
  ServerConfig c;
  std::map<std::string, std::string> got;
  for (auto& [name, value] : r.Get("*", c)) {
    EXPECT_TRUE(got.emplace(name, value).second) << "listed twice: " << name;
  }
  ASSERT_EQ(got.count("dir"), 1u);
  got.erase("dir");
  // Redis 7.2 parameters Basalt has for its 7.2 set encodings (not in 7.0's list).
  for (auto& [name, value] : Redis72Additions()) {
    EXPECT_EQ(got[name], value) << name;
    got.erase(name);
  }
  std::map<std::string, std::string> want(RedisDefaults().begin(), RedisDefaults().end());
  for (auto& [name, value] : want) {
    auto it = got.find(name);
    if (it == got.end()) {
      ADD_FAILURE() << "missing " << name;
    } else {
      EXPECT_EQ(it->second, value) << name;
    }
  }
  for (auto& [name, value] : got) EXPECT_EQ(want.count(name), 1u) << "extra " << name;
}

TEST(ConfigRegistryTest, ServerFieldsHaveRedisDefaults) {
  ServerConfig c;
  EXPECT_EQ(c.port, 6379);
  EXPECT_EQ(c.bind, (Args{"*", "-::*"}));
  EXPECT_TRUE(c.protected_mode);
  EXPECT_EQ(c.databases, 16);
  EXPECT_EQ(c.hz, 10);
  EXPECT_EQ(c.timeout, 0);
  EXPECT_EQ(c.tcp_keepalive, 300);
  EXPECT_EQ(c.maxclients, 10000u);
  EXPECT_EQ(c.proto_max_bulk_len, 536870912);
  EXPECT_EQ(c.client_query_buffer_limit, 1073741824u);
  EXPECT_EQ(c.verbosity, LogLevel::kNotice);
  EXPECT_EQ(c.eviction_policy, EvictionPolicy::kNoEviction);
  EXPECT_EQ(c.aof_fsync, AofFsync::kEverySec);
  EXPECT_EQ(c.notify_keyspace_flags, 0);
  EXPECT_EQ(c.save_params, (std::vector<SaveParam>{{3600, 1}, {300, 100}, {60, 10000}}));
}

TEST(ConfigRegistryTest, GetPatterns) {
  ConfigRegistry r;
  ServerConfig c;
  auto names = [&](std::vector<std::string> patterns) {
    std::vector<std::string> out;
    for (auto& [name, value] : r.Get(patterns, c)) out.push_back(name);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(names({"maxmemory*"}),
            (Args{"maxmemory", "maxmemory-clients", "maxmemory-eviction-tenacity",
                  "maxmemory-policy", "maxmemory-samples"}));
  EXPECT_EQ(names({"*ziplist*"}),
            (Args{"hash-max-ziplist-entries", "hash-max-ziplist-value", "list-max-ziplist-size",
                  "zset-max-ziplist-entries", "zset-max-ziplist-value"}));
  EXPECT_EQ(names({"*of"}), (Args{"replicaof", "slaveof"}));
  EXPECT_EQ(names({"PO?T"}), (Args{"port"}));  // patterns ignore case
  EXPECT_EQ(names({"nosuch*"}), Args{});
  EXPECT_EQ(names({"nosuch"}), Args{});
  // Several patterns: each parameter once.
  auto multi = names({"maxmemory", "maxmemory*", "bind", "*of", "port", "PORT"});
  EXPECT_EQ(std::adjacent_find(multi.begin(), multi.end()), multi.end());
  EXPECT_EQ(multi.size(), 9u);

  // An exact name comes back as spelled; an alias by its own name.
  EXPECT_EQ(r.Get("PORT", c), (Pairs{{"PORT", "6379"}}));
  EXPECT_EQ(r.Get("hash-max-ziplist-entries", c), (Pairs{{"hash-max-ziplist-entries", "512"}}));
  EXPECT_EQ(r.Get("lua-time-limit", c), (Pairs{{"lua-time-limit", "5000"}}));

  // Hidden parameters only by exact name.
  EXPECT_EQ(r.Get("key-load-delay", c), (Pairs{{"key-load-delay", "0"}}));
  EXPECT_EQ(names({"key-load-*"}), Args{});
  // + dir
  EXPECT_EQ(names({"*"}).size(), RedisDefaults().size() + Redis72Additions().size() + 1);
}

TEST(ConfigRegistryTest, GetDirIsTheWorkingDirectory) {
  ConfigRegistry r;
  ServerConfig c;
  char cwd[4096];
  ASSERT_NE(getcwd(cwd, sizeof(cwd)), nullptr);
  EXPECT_EQ(GetOne(r, c, "dir"), cwd);
}

// ---- Value syntaxes -----------------------------------------------------------------------

TEST(ConfigValueTest, MemoryUnits) {
  ConfigRegistry r;
  ServerConfig c;
  const std::pair<const char*, const char*> cases[] = {
      {"1gb", "1073741824"},
      {"1G", "1000000000"},
      {"2mb", "2097152"},
      {"2m", "2000000"},
      {"3kb", "3072"},
      {"3K", "3000"},
      {"7b", "7"},
      {"42", "42"},
      {"", "0"},
      {"mb", "0"},
      {"18446744073709551615", "18446744073709551615"},
  };
  for (auto [input, want] : cases) {
    ASSERT_EQ(SetError(r, c, {{"maxmemory", input}}), "") << input;
    EXPECT_EQ(GetOne(r, c, "maxmemory"), want) << input;
  }
  for (const char* bad : {"1.5gb", "-1", "1 gb", "1tb", "+1", "0x10"}) {
    EXPECT_EQ(SetError(r, c, {{"maxmemory", bad}}),
              "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument "
              "must be a memory value")
        << bad;
  }
  EXPECT_EQ(SetError(r, c, {{"proto-max-bulk-len", "1"}}),
            "ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - "
            "argument must be between 1048576 and 9223372036854775807 inclusive");
  ASSERT_EQ(SetError(r, c, {{"proto-max-bulk-len", "1gb"}}), "");
  EXPECT_EQ(c.proto_max_bulk_len, 1 << 30);
  ASSERT_EQ(SetError(r, c, {{"client-query-buffer-limit", "2mb"}}), "");
  EXPECT_EQ(c.client_query_buffer_limit, 2u << 20);
}

TEST(ConfigValueTest, PercentAndOctal) {
  ConfigRegistry r;
  ServerConfig c;
  ASSERT_EQ(SetError(r, c, {{"maxmemory-clients", "10%"}}), "");
  EXPECT_EQ(c.maxmemory_clients, -10);
  EXPECT_EQ(GetOne(r, c, "maxmemory-clients"), "10%");
  ASSERT_EQ(SetError(r, c, {{"maxmemory-clients", "1mb"}}), "");
  EXPECT_EQ(GetOne(r, c, "maxmemory-clients"), "1048576");
  EXPECT_EQ(SetError(r, c, {{"maxmemory-clients", "200%"}}),
            "ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - "
            "percentage argument must be less or equal to 100");
  EXPECT_EQ(SetError(r, c, {{"maxmemory-clients", "x"}}),
            "ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - "
            "argument must be a memory or percent value");

  // unixsocketperm is immutable: exercise it through a config file.
  ASSERT_EQ(ApplyText("unixsocketperm 700\n", c), "");
  EXPECT_EQ(c.unixsocketperm, 0700u);
  EXPECT_EQ(GetOne(r, c, "unixsocketperm"), "700");
  EXPECT_EQ(ApplyText("unixsocketperm 800\n", c),
            FatalBlock(1, "unixsocketperm 800", "argument couldn't be parsed as an octal number"));
  EXPECT_EQ(ApplyText("unixsocketperm 1777\n", c),
            FatalBlock(1, "unixsocketperm 1777", "argument must be between 0 and 777 inclusive"));
}

TEST(ConfigValueTest, Integers) {
  ConfigRegistry r;
  ServerConfig c;
  for (const char* bad : {"abc", "01", " 1", "1 ", "+1", "1.0", ""}) {
    EXPECT_EQ(SetError(r, c, {{"timeout", bad}}),
              "ERR CONFIG SET failed (possibly related to argument 'timeout') - argument "
              "couldn't be parsed into an integer")
        << bad;
  }
  EXPECT_EQ(SetError(r, c, {{"timeout", "-1"}}),
            "ERR CONFIG SET failed (possibly related to argument 'timeout') - argument must "
            "be between 0 and 2147483647 inclusive");
  EXPECT_EQ(SetError(r, c, {{"maxclients", "0"}}),
            "ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument "
            "must be between 1 and 4294967295 inclusive");
  EXPECT_EQ(SetError(r, c, {{"list-max-listpack-size", "99999999999999"}}),
            "ERR CONFIG SET failed (possibly related to argument 'list-max-listpack-size') - "
            "argument must be between -2147483648 and 2147483647 inclusive");
  ASSERT_EQ(SetError(r, c, {{"slowlog-log-slower-than", "-1"}, {"maxclients", "4294967295"}}), "");
  EXPECT_EQ(c.slowlog_log_slower_than, -1);
  EXPECT_EQ(c.maxclients, 4294967295u);
  ASSERT_EQ(SetError(r, c, {{"list-max-ziplist-size", "-5"}}), "");
  EXPECT_EQ(c.list_max_listpack_size, -5);
}

TEST(ConfigValueTest, HzIsClamped) {
  ConfigRegistry r;
  ServerConfig c;
  ASSERT_EQ(SetError(r, c, {{"hz", "0"}}), "");
  EXPECT_EQ(GetOne(r, c, "hz"), "1");
  ASSERT_EQ(SetError(r, c, {{"hz", "100000"}}), "");
  EXPECT_EQ(c.hz, 500);
  ASSERT_EQ(ApplyText("hz 0\n", c), "");
  EXPECT_EQ(c.hz, 1);
}

TEST(ConfigValueTest, BoolsAndEnums) {
  ConfigRegistry r;
  ServerConfig c;
  EXPECT_EQ(SetError(r, c, {{"protected-mode", "maybe"}}),
            "ERR CONFIG SET failed (possibly related to argument 'protected-mode') - argument "
            "must be 'yes' or 'no'");
  ASSERT_EQ(SetError(r, c, {{"protected-mode", "NO"}}), "");
  EXPECT_FALSE(c.protected_mode);
  EXPECT_EQ(GetOne(r, c, "protected-mode"), "no");

  EXPECT_EQ(SetError(r, c, {{"maxmemory-policy", "x"}}),
            "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - "
            "argument(s) must be one of the following: volatile-lru, volatile-lfu, "
            "volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, "
            "noeviction");
  ASSERT_EQ(SetError(r, c, {{"maxmemory-policy", "ALLKEYS-LFU"}}), "");
  EXPECT_EQ(c.maxmemory_policy, "allkeys-lfu");
  EXPECT_EQ(c.eviction_policy, EvictionPolicy::kAllkeysLfu);

  EXPECT_EQ(SetError(r, c, {{"loglevel", "foo"}}),
            "ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) "
            "must be one of the following: debug, verbose, notice, warning, nothing");
  ASSERT_EQ(SetError(r, c, {{"loglevel", "warning"}, {"appendfsync", "always"}}), "");
  EXPECT_EQ(c.verbosity, LogLevel::kWarning);
  EXPECT_EQ(c.aof_fsync, AofFsync::kAlways);

  ASSERT_EQ(SetError(r, c, {{"oom-score-adj", "relative"}}), "");
  EXPECT_EQ(GetOne(r, c, "oom-score-adj"), "yes");

  ASSERT_EQ(SetError(r, c, {{"shutdown-on-sigint", "save now"}}), "");
  EXPECT_EQ(GetOne(r, c, "shutdown-on-sigint"), "save now");
  EXPECT_EQ(c.shutdown_on_sigint_flags, kShutdownSave | kShutdownNow);
  EXPECT_EQ(SetError(r, c, {{"shutdown-on-sigint", "save nosave"}}),
            "ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - "
            "shutdown options SAVE and NOSAVE can't be used simultaneously");
  ASSERT_EQ(SetError(r, c, {{"shutdown-on-sigint", "default"}}), "");
  EXPECT_EQ(c.shutdown_on_sigint_flags, 0);

  EXPECT_EQ(
      SetError(r, c, {{"activedefrag", "yes"}})
          .find("ERR CONFIG SET failed (possibly related to argument 'activedefrag') - Active "
                "defragmentation cannot be enabled"),
      0u);
}

TEST(ConfigValueTest, StringValidators) {
  ConfigRegistry r;
  ServerConfig c;
  ASSERT_EQ(ApplyText("enable-protected-configs yes\n", c), "");
  EXPECT_EQ(SetError(r, c, {{"dbfilename", "a/b"}}),
            "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename "
            "can't be a path, just a filename");
  EXPECT_EQ(ApplyText("appendfilename \"\"\n", c),
            FatalBlock(1, "appendfilename \"\"", "appendfilename can't be empty"));
  EXPECT_EQ(ApplyText("appenddirname a/b\n", c),
            FatalBlock(1, "appenddirname a/b", "appenddirname can't be a path, just a dirname"));
  EXPECT_EQ(SetError(r, c, {{"cluster-announce-hostname", "a_b"}}),
            "ERR CONFIG SET failed (possibly related to argument 'cluster-announce-hostname') "
            "- Hostnames may only contain alphanumeric characters, hyphens or dots");
  for (const char* bad : {"{foo}", "{server-mode}", "{title", "x {"}) {
    EXPECT_EQ(SetError(r, c, {{"proc-title-template", bad}}),
              "ERR CONFIG SET failed (possibly related to argument 'proc-title-template') - "
              "template format is invalid or contains unknown variables")
        << bad;
  }
  ASSERT_EQ(SetError(r, c, {{"proc-title-template", "{{x} {title} {port}"}}), "");
}

TEST(ConfigValueTest, Save) {
  ConfigRegistry r;
  ServerConfig c;
  ASSERT_EQ(SetError(r, c, {{"save", "3600 1 300 100 60 10000"}}), "");
  EXPECT_EQ(c.save_params, (std::vector<SaveParam>{{3600, 1}, {300, 100}, {60, 10000}}));
  ASSERT_EQ(SetError(r, c, {{"save", ""}}), "");
  EXPECT_TRUE(c.save_params.empty());
  for (const char* bad : {"1 2 3", "100 10  20 30", "0 1", "1 -1", "a 1"}) {
    EXPECT_EQ(SetError(r, c, {{"save", bad}}),
              "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save "
              "parameters")
        << bad;
  }
  // In a file the first `save` replaces the defaults and the next ones add points.
  c = ServerConfig{};
  ASSERT_EQ(ApplyText("save 900 1\nsave 300 10\n", c), "");
  EXPECT_EQ(GetOne(r, c, "save"), "900 1 300 10");
  c = ServerConfig{};
  ASSERT_EQ(ApplyText("save \"900 1 300 10\"\nsave \"\"\nsave 60 5\n", c), "");
  EXPECT_EQ(GetOne(r, c, "save"), "60 5");
}

TEST(ConfigValueTest, SpecialMultiValueParameters) {
  ConfigRegistry r;
  ServerConfig c;
  ASSERT_EQ(SetError(r, c, {{"bind", "127.0.0.1 -::1"}}), "");
  EXPECT_EQ(c.bind, (Args{"127.0.0.1", "-::1"}));
  ASSERT_EQ(SetError(r, c, {{"bind", ""}}), "");
  EXPECT_TRUE(c.bind.empty());
  EXPECT_EQ(ApplyText("bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n", c),
            FatalBlock(1, "bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
                       "Too many bind addresses specified."));

  ASSERT_EQ(SetError(r, c, {{"notify-keyspace-events", "KEA"}}), "");
  EXPECT_EQ(GetOne(r, c, "notify-keyspace-events"), "AKE");
  EXPECT_EQ(c.notify_keyspace_flags, kNotifyAll | kNotifyKeyspace | kNotifyKeyevent);
  ASSERT_EQ(SetError(r, c, {{"notify-keyspace-events", "Elg$xm"}}), "");
  EXPECT_EQ(GetOne(r, c, "notify-keyspace-events"), "g$lxEm");
  EXPECT_EQ(SetError(r, c, {{"notify-keyspace-events", "Q"}}),
            "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - "
            "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");

  EXPECT_EQ(SetError(r, c, {{"client-output-buffer-limit", "normal 1 2"}}),
            "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') "
            "- Wrong number of arguments in buffer limit configuration.");
  EXPECT_EQ(SetError(r, c, {{"client-output-buffer-limit", "master 1 2 3"}}),
            "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') "
            "- Invalid client class specified in buffer limit configuration.");
  EXPECT_EQ(SetError(r, c, {{"client-output-buffer-limit", "pubsub 1 2 -3"}}),
            "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') "
            "- Error in hard, soft or soft_seconds setting in buffer limit configuration.");
  ASSERT_EQ(SetError(r, c, {{"client-output-buffer-limit", "replica 1mb 2 3 normal 1k 0 0"}}), "");
  EXPECT_EQ(GetOne(r, c, "client-output-buffer-limit"),
            "normal 1000 0 0 slave 1048576 2 3 pubsub 33554432 8388608 60");

  EXPECT_EQ(SetError(r, c, {{"oom-score-adj-values", "1 2"}}),
            "ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - "
            "wrong number of arguments");
  EXPECT_EQ(SetError(r, c, {{"oom-score-adj-values", "1 2 3000"}}),
            "ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - "
            "Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
  ASSERT_EQ(SetError(r, c, {{"oom-score-adj-values", "-5 0 2000"}}), "");
  EXPECT_EQ(GetOne(r, c, "oom-score-adj-values"), "-5 0 2000");

  ASSERT_EQ(SetError(r, c, {{"latency-tracking-info-percentiles", "50.5 99.99 100"}}), "");
  EXPECT_EQ(GetOne(r, c, "latency-tracking-info-percentiles"), "50.5 99.99 100");
  EXPECT_EQ(SetError(r, c, {{"latency-tracking-info-percentiles", "50 abc"}}),
            "ERR CONFIG SET failed (possibly related to argument "
            "'latency-tracking-info-percentiles') - Invalid latency-tracking-info-percentiles "
            "parameters");
  EXPECT_EQ(SetError(r, c, {{"latency-tracking-info-percentiles", "101"}}),
            "ERR CONFIG SET failed (possibly related to argument "
            "'latency-tracking-info-percentiles') - latency-tracking-info-percentiles "
            "parameters should sit between [0.0,100.0]");
}

TEST(ConfigValueTest, ReplicaOf) {
  ConfigRegistry r;
  ServerConfig c;
  ASSERT_EQ(ApplyText("slaveof 10.0.0.1 6380\n", c), "");
  EXPECT_EQ(c.replicaof_host, "10.0.0.1");
  EXPECT_EQ(c.replicaof_port, 6380);
  EXPECT_EQ(GetOne(r, c, "replicaof"), "10.0.0.1 6380");
  EXPECT_EQ(GetOne(r, c, "slaveof"), "10.0.0.1 6380");
  ASSERT_EQ(ApplyText("replicaof \"no one\"\n", c), "");
  EXPECT_EQ(GetOne(r, c, "replicaof"), "");
  EXPECT_EQ(SetError(r, c, {{"replicaof", "no one"}}),
            "ERR CONFIG SET failed (possibly related to argument 'replicaof') - can't set "
            "immutable config");
}

// ---- CONFIG SET ---------------------------------------------------------------------------

TEST(ConfigSetTest, NameErrors) {
  ConfigRegistry r;
  ServerConfig c;
  EXPECT_EQ(SetError(r, c, {{"foo", "bar"}}),
            "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
  EXPECT_EQ(SetError(r, c, {{"daemonize", "no"}}),
            "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set "
            "immutable config");
  EXPECT_EQ(SetError(r, c, {{"port", "1"}, {"Port", "2"}}),
            "ERR CONFIG SET failed (possibly related to argument 'Port') - duplicate "
            "parameter");
  // The first problem decides the reply.
  EXPECT_EQ(SetError(r, c, {{"daemonize", "no"}, {"foo", "1"}}),
            "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set "
            "immutable config");
  EXPECT_EQ(SetError(r, c, {{"foo", "1"}, {"daemonize", "no"}}),
            "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
  // Redis does not see a name and its alias as duplicates: the last one wins.
  ASSERT_EQ(SetError(r, c, {{"replica-priority", "1"}, {"slave-priority", "2"}}), "");
  EXPECT_EQ(c.replica_priority, 2);
  // Names are case-insensitive.
  ASSERT_EQ(SetError(r, c, {{"MAXMEMORY", "5"}}), "");
  EXPECT_EQ(c.maxmemory, 5u);
  EXPECT_EQ(c.port, 6379);
}

TEST(ConfigSetTest, ProtectedAndLoading) {
  ConfigRegistry r;
  ServerConfig c;
  EXPECT_EQ(SetError(r, c, {{"dbfilename", "x.rdb"}}),
            "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set "
            "protected config");
  EXPECT_EQ(SetError(r, c, {{"dir", "/tmp"}}),
            "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected "
            "config");
  ASSERT_EQ(ApplyText("enable-protected-configs local\n", c), "");
  EXPECT_NE(SetError(r, c, {{"dbfilename", "x.rdb"}}), "");
  ASSERT_EQ(SetError(r, c, {{"dbfilename", "x.rdb"}}, {.client_is_local = true}), "");
  EXPECT_EQ(c.dbfilename, "x.rdb");

  EXPECT_EQ(SetError(r, c, {{"appendonly", "yes"}}, {.loading = true}),
            "LOADING Redis is loading the dataset in memory");
  ASSERT_EQ(SetError(r, c, {{"maxmemory", "1"}}, {.loading = true}), "");
}

TEST(ConfigSetTest, AllOrNothing) {
  ConfigRegistry r;
  ServerConfig c;
  ASSERT_EQ(SetError(r, c, {{"maxmemory", "10000002"}}), "");
  // Redis's "CONFIG SET rollback on set error".
  EXPECT_EQ(SetError(r, c,
                     {{"maxmemory", "10000001"},
                      {"maxmemory-clients", "200%"},
                      {"client-query-buffer-limit", "invalid"}}),
            "ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - "
            "percentage argument must be less or equal to 100");
  EXPECT_EQ(GetOne(r, c, "maxmemory"), "10000002");
  EXPECT_EQ(GetOne(r, c, "maxmemory-clients"), "0");
  EXPECT_EQ(GetOne(r, c, "client-query-buffer-limit"), "1073741824");

  ASSERT_EQ(
      SetError(r, c,
               {{"maxmemory", "10000001"}, {"repl-backlog-size", "10000002"}, {"save", "3000 5"}}),
      "");
  EXPECT_EQ(GetOne(r, c, "maxmemory"), "10000001");
  EXPECT_EQ(GetOne(r, c, "repl-backlog-size"), "10000002");
  EXPECT_EQ(GetOne(r, c, "save"), "3000 5");
  // The error names the parameter as registered, alias included.
  EXPECT_EQ(SetError(r, c, {{"hz", "5"}, {"SLAVE-PRIORITY", "x"}}),
            "ERR CONFIG SET failed (possibly related to argument 'slave-priority') - argument "
            "couldn't be parsed into an integer");
  EXPECT_EQ(c.hz, 10);
}

TEST(ConfigSetTest, SettingEveryValueBackIsANoOp) {
  // Redis's "CONFIG sanity": CONFIG SET each listed value and read the same back.
  ConfigRegistry r;
  ServerConfig c;
  ASSERT_EQ(ApplyText("enable-protected-configs yes\nsave 900 1\nmaxmemory-clients 5%\n"
                      "notify-keyspace-events KEA\nbind 127.0.0.1\n",
                      c),
            "");
  auto before = r.Get("*", c);
  for (auto& [name, value] : before) {
    if (r.IsImmutable(name) || name == "dir") continue;
    EXPECT_EQ(SetError(r, c, {{name, value}}), "") << name << " = " << value;
  }
  EXPECT_EQ(r.Get("*", c), before);
}

TEST(ConfigSetTest, ApplyHooks) {
  ConfigRegistry r;
  ServerConfig c;
  std::vector<std::string> calls;
  ASSERT_TRUE(r.SetApplyHook({"maxmemory"}, [&](ServerConfig& cfg, std::string*) {
    calls.push_back("maxmemory=" + std::to_string(cfg.maxmemory));
    return true;
  }));
  ASSERT_TRUE(r.SetApplyHook({"min-replicas-to-write", "min-slaves-max-lag"},
                             [&](ServerConfig&, std::string*) {
                               calls.push_back("good-replicas");
                               return true;
                             }));
  bool port_ok = true;
  ASSERT_TRUE(r.SetApplyHook({"port"}, [&](ServerConfig& cfg, std::string* err) {
    calls.push_back("port=" + std::to_string(cfg.port));
    if (!port_ok) *err = "Unable to listen on this port. Check server logs.";
    return port_ok;
  }));
  EXPECT_FALSE(r.SetApplyHook({"port", "nosuch"}, nullptr));

  // After all values are stored, once per hook, and only for changed values.
  ASSERT_EQ(
      SetError(r, c,
               {{"min-replicas-to-write", "1"}, {"maxmemory", "5"}, {"min-replicas-max-lag", "3"}}),
      "");
  EXPECT_EQ(calls, (Args{"good-replicas", "maxmemory=5"}));
  calls.clear();
  ASSERT_EQ(SetError(r, c, {{"maxmemory", "5"}}), "");
  EXPECT_TRUE(calls.empty());

  // A failing hook restores every value and runs the hooks again on the old ones.
  port_ok = false;
  EXPECT_EQ(SetError(r, c, {{"maxmemory", "7"}, {"port", "1234"}}),
            "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on "
            "this port. Check server logs.");
  EXPECT_EQ(c.maxmemory, 5u);
  EXPECT_EQ(c.port, 6379);
  EXPECT_EQ(calls, (Args{"maxmemory=7", "port=1234", "maxmemory=5", "port=6379"}));

  // Hooks do not run while a file is applied.
  calls.clear();
  port_ok = true;
  ASSERT_EQ(ApplyText("port 7000\nmaxmemory 9\n", c, r), "");
  EXPECT_TRUE(calls.empty());
}

TEST(ConfigSetTest, DirHookRunsWhileLoading) {
  ConfigRegistry r;
  ServerConfig c;
  std::vector<std::string> dirs;
  ASSERT_TRUE(r.SetApplyHook({"dir"}, [&](ServerConfig& cfg, std::string* err) {
    dirs.push_back(cfg.dir);
    if (cfg.dir == "/nonexistent") {
      *err = "No such file or directory";
      return false;
    }
    return true;
  }));
  ASSERT_EQ(ApplyText("dir /var/lib/redis\n", c, r), "");
  EXPECT_EQ(dirs, Args{"/var/lib/redis"});
  EXPECT_EQ(ApplyText("port 1\ndir /nonexistent\n", c, r),
            FatalBlock(2, "dir /nonexistent", "No such file or directory"));
}

TEST(ConfigSetTest, ChdirToConfigDir) {
  char cwd[4096];
  ASSERT_NE(getcwd(cwd, sizeof(cwd)), nullptr);
  TempDir dir;
  ConfigRegistry r;
  r.SetApplyHook({"dir"}, ChdirToConfigDir);
  ServerConfig c;
  ASSERT_EQ(ApplyText("enable-protected-configs yes\n", c), "");
  std::string error = SetError(r, c, {{"dir", dir.path()}});
  std::string now = GetOne(r, c, "dir");
  std::string stored = c.dir;
  std::string missing = SetError(r, c, {{"dir", "/nonexistent-basalt-dir"}});
  ASSERT_EQ(chdir(cwd), 0);
  EXPECT_EQ(error, "");
  EXPECT_EQ(now, std::filesystem::canonical(dir.path()).string());
  EXPECT_EQ(stored, now);
  EXPECT_EQ(missing,
            "ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or "
            "directory");
}

TEST(ConfigSetTest, Flags) {
  ConfigRegistry r;
  EXPECT_TRUE(r.Exists("slaveof"));
  EXPECT_TRUE(r.Exists("Hash-Max-Ziplist-Entries"));
  EXPECT_FALSE(r.Exists("nosuch"));
  EXPECT_TRUE(r.IsSensitive("requirepass"));
  EXPECT_TRUE(r.IsSensitive("masterauth"));
  EXPECT_TRUE(r.IsSensitive("masteruser"));
  EXPECT_FALSE(r.IsSensitive("port"));
  EXPECT_TRUE(r.IsImmutable("databases"));
  EXPECT_TRUE(r.IsImmutable("slaveof"));
  EXPECT_FALSE(r.IsImmutable("maxmemory"));
}

// ---- Config files -------------------------------------------------------------------------

TEST(ConfigLoadTest, OtherDirectives) {
  ServerConfig c;
  EXPECT_EQ(ApplyText("port 7000\n  foo bar  \n", c),
            FatalBlock(2, "foo bar", "Bad directive or wrong number of arguments"));
  EXPECT_EQ(ApplyText("port 7000 7001\n", c),
            FatalBlock(1, "port 7000 7001", "wrong number of arguments"));
  EXPECT_EQ(ApplyText("loglevel\n", c), FatalBlock(1, "loglevel", "wrong number of arguments"));
  // Deprecated names Redis 7.0 ignores.
  EXPECT_EQ(ApplyText("list-max-ziplist-entries 512\nlist-max-ziplist-value 64\n"
                      "lua-replicate-commands yes\n",
                      c),
            "");
  ASSERT_EQ(ApplyText("rename-command CONFIG \"\"\nrename-command flushdb badger\n", c), "");
  EXPECT_EQ(c.renamed_commands,
            (std::vector<std::pair<std::string, std::string>>{{"CONFIG", ""},
                                                              {"flushdb", "badger"}}));
  EXPECT_EQ(ApplyText("mymodule.opt 1\n", c),
            FatalBlock(1, "mymodule.opt 1",
                       "Module Configuration detected without loadmodule directive or no "
                       "ApplyConfig call: aborting"));
  EXPECT_EQ(ApplyText("sentinel monitor a b\n", c),
            FatalBlock(1, "sentinel monitor a b", "sentinel directive while not in sentinel mode"));
  ASSERT_EQ(ApplyText("user default on nopass ~* +@all\nuser alice on >pw\n", c), "");
  ASSERT_EQ(c.acl_users.size(), 2u);
  EXPECT_EQ(c.acl_users[1], (Args{"alice", "on", ">pw"}));
}

TEST(ConfigLoadTest, SmallRedisConf) {
  const char* text = R"(# A small redis.conf
bind 127.0.0.1 -::1
port 6380
daemonize no
pidfile /var/run/redis_6380.pid
loglevel verbose
logfile ""
databases 4
save 900 1
save 300 10
dbfilename "dump-6380.rdb"
requirepass 'p@ss word'
maxmemory 100mb
maxmemory-policy allkeys-lru
appendonly yes
appendfsync always
hash-max-ziplist-entries 256
zset-max-ziplist-value 1kb
client-output-buffer-limit normal 0 0 0
client-output-buffer-limit slave 256mb 64mb 60
notify-keyspace-events Ex
oom-score-adj-values 0 200 800
lazyfree-lazy-user-del yes
)";
  ServerConfig c;
  ConfigRegistry r;
  ASSERT_EQ(ApplyText(text, c), "");
  EXPECT_EQ(c.bind, (Args{"127.0.0.1", "-::1"}));
  EXPECT_EQ(c.port, 6380);
  EXPECT_EQ(c.pidfile, "/var/run/redis_6380.pid");
  EXPECT_EQ(c.verbosity, LogLevel::kVerbose);
  EXPECT_EQ(c.databases, 4);
  EXPECT_EQ(GetOne(r, c, "save"), "900 1 300 10");
  EXPECT_EQ(c.dbfilename, "dump-6380.rdb");
  EXPECT_EQ(c.requirepass, "p@ss word");
  EXPECT_EQ(c.maxmemory, 100u << 20);
  EXPECT_EQ(c.eviction_policy, EvictionPolicy::kAllkeysLru);
  EXPECT_TRUE(c.appendonly);
  EXPECT_EQ(c.aof_fsync, AofFsync::kAlways);
  EXPECT_EQ(c.hash_max_listpack_entries, 256u);
  EXPECT_EQ(c.zset_max_listpack_value, 1024u);
  EXPECT_EQ(c.notify_keyspace_flags, kNotifyKeyevent | kNotifyExpired);
  EXPECT_TRUE(c.lazyfree_lazy_user_del);
}

TEST(ConfigLoadTest, RedisTestSuiteDefaultConf) {
  // Valkey/Redis tests/assets/default.conf, which the TCL suite starts servers with.
  const char* text = R"(# Redis configuration for testing.
always-show-logo yes
notify-keyspace-events KEA
daemonize no
pidfile /var/run/redis.pid
port 6379
timeout 0
bind 127.0.0.1
loglevel verbose
logfile ''
databases 16
latency-monitor-threshold 1
repl-diskless-sync-delay 0
save 900 1
rdbcompression yes
dbfilename dump.rdb
dir ./
slave-serve-stale-data yes
appendonly no
appendfsync everysec
no-appendfsync-on-rewrite no
activerehashing yes
enable-protected-configs yes
enable-debug-command yes
enable-module-command yes
propagation-error-behavior panic
)";
  ServerConfig c;
  ASSERT_EQ(ApplyText(text, c), "");
  EXPECT_EQ(c.dir, "./");
  EXPECT_EQ(c.enable_debug_command, "yes");
  EXPECT_EQ(c.save_params, (std::vector<SaveParam>{{900, 1}}));
}

TEST(ConfigLoadTest, DebianRedisConf) {
  const std::string path = "/etc/redis/redis.conf";
  if (access(path.c_str(), R_OK) != 0) GTEST_SKIP() << path << " not installed";
  std::vector<ConfigDirective> directives;
  ASSERT_FALSE(LoadConfigFile(path, &directives));
  ServerConfig c;
  ConfigRegistry r;  // no hooks: nothing changes directory
  auto error = r.ApplyDirectives(directives, c);
  ASSERT_FALSE(error) << error->message;
  EXPECT_EQ(c.bind, (Args{"127.0.0.1", "-::1"}));
  EXPECT_TRUE(c.daemonize);
  EXPECT_EQ(c.dir, "/var/lib/redis");
  EXPECT_EQ(c.logfile, "/var/log/redis/redis-server.log");
  EXPECT_EQ(GetOne(r, c, "client-output-buffer-limit"),
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
}

TEST(ConfigLoadTest, LoadServerConfigAndChecks) {
  TempDir dir;
  std::string file = dir.Write("r.conf", "port 7000\nlogfile " + dir.path() + "/log.txt\n");
  const char* argv[] = {"basalt-server", file.c_str(), "--hz", "20", "-"};
  CommandLine cmdline = ParseCommandLine(5, argv);
  std::istringstream in("maxmemory 1mb\n");
  ServerConfig c;
  ConfigRegistry r;
  ASSERT_FALSE(LoadServerConfig(cmdline, r, in, c));
  EXPECT_EQ(c.port, 7000);
  EXPECT_EQ(c.hz, 20);
  EXPECT_EQ(c.maxmemory, 1u << 20);
  EXPECT_FALSE(c.dir.empty());
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/log.txt"));

  c.logfile = dir.path() + "/missing/log.txt";
  auto error = ValidateLoadedConfig(c);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, std::string("\n*** FATAL CONFIG FILE ERROR (Redis ") +
                                kRedisCompatVersion +
                                ") ***\nCan't open the log file: No such file or directory");
  c.logfile.clear();
  c.cluster_enabled = true;
  c.replicaof_host = "127.0.0.1";
  ASSERT_TRUE(ValidateLoadedConfig(c));
  EXPECT_NE(
      ValidateLoadedConfig(c)->message.find("replicaof directive not allowed in cluster mode"),
      std::string::npos);
}

TEST(ConfigLoadTest, KeyspaceEventFlags) {
  EXPECT_EQ(ParseKeyspaceEventFlags(""), 0);
  EXPECT_EQ(ParseKeyspaceEventFlags("A"), kNotifyAll);
  EXPECT_EQ(ParseKeyspaceEventFlags("g$lshzxetd"), kNotifyAll);
  EXPECT_EQ(ParseKeyspaceEventFlags("KEA?"), std::nullopt);
  // As in Redis, 'n' is not printed beside 'A' although A does not include it.
  EXPECT_EQ(KeyspaceEventFlagsToString(kNotifyAll | kNotifyKeyMiss | kNotifyNew), "Am");
  EXPECT_EQ(KeyspaceEventFlagsToString(kNotifyNew | kNotifyKeyspace), "nK");
}

// ---- CONFIG REWRITE (expected texts follow what redis-server 7.0.15 writes) ---------------

std::string Cwd() { return std::filesystem::current_path().string(); }

// What a rewrite always appends for ServerConfig{}: the absolute dir, the save points and
// the latency percentiles, in the registry's order.
std::string AlwaysWritten() {
  return "dir \"" + Cwd() +
         "\"\nsave 3600 1\nsave 300 100\nsave 60 10000\n"
         "latency-tracking-info-percentiles 50 99 99.9\n";
}

TEST(ConfigRewriteTest, EmptyFileGetsSignatureAndForcedLines) {
  ConfigRegistry r;
  EXPECT_EQ(r.Rewrite("", ServerConfig{}), "# Generated by CONFIG REWRITE\n" + AlwaysWritten());
}

TEST(ConfigRewriteTest, ChangedValuesAppendedInConfigFileForm) {
  ConfigRegistry r;
  ServerConfig c;
  ASSERT_EQ(SetError(r, c,
                     {{"maxmemory", "1073741824"},
                      {"maxmemory-clients", "10%"},
                      {"requirepass", "a b\"c"},
                      {"appendfsync", "always"},
                      {"shutdown-on-sigterm", "nosave now"},
                      {"activerehashing", "no"},
                      {"notify-keyspace-events", "KEA"},
                      {"repl-backlog-size", "1000"}}),
            "");
  std::string out = r.Rewrite("# my config\n", c);
  EXPECT_EQ(out.rfind("# my config\n\n# Generated by CONFIG REWRITE\n", 0), 0u) << out;
  for (const char* line :
       {"\nmaxmemory 1gb\n", "\nmaxmemory-clients 10%\n", "\nrequirepass \"a b\\\"c\"\n",
        "\nappendfsync always\n", "\nshutdown-on-sigterm nosave now\n", "\nactiverehashing no\n",
        "\nnotify-keyspace-events \"AKE\"\n", "\nrepl-backlog-size 1000\n"}) {
    EXPECT_NE(out.find(line), std::string::npos) << line << " in\n" << out;
  }
  EXPECT_EQ(out.find("\nport "), std::string::npos);  // defaults are not added
}

TEST(ConfigRewriteTest, KeepsCommentsUnknownAndFileOnlyDirectives) {
  ConfigRegistry r;
  std::string old =
      "# top comment\n"
      "  rename-command flushdb badger  \n"
      "include /etc/other.conf\n"
      "no-such-option 1\n"
      "port \"7000\n"
      "\n\n\n"
      "# Generated by CONFIG REWRITE\n";
  EXPECT_EQ(r.Rewrite(old, ServerConfig{}),
            "# top comment\n"
            "rename-command flushdb badger\n"
            "include /etc/other.conf\n"
            "# ??? no-such-option 1\n"
            "# ??? port \"7000\n"
            "\n"
            "# Generated by CONFIG REWRITE\n"
            "\n" +  // the file's last (empty) line: lines are appended after it
                AlwaysWritten());
}

TEST(ConfigRewriteTest, ReplacesInPlaceAndBlanksDuplicates) {
  ConfigRegistry r;
  ServerConfig c;
  ASSERT_EQ(ApplyText("port 7000\ntimeout 5\ntimeout 6\n", c), "");
  ASSERT_EQ(SetError(r, c, {{"timeout", "0"}, {"port", "7001"}}), "");
  // A default value keeps its line (rewritten), the duplicate is blanked.
  EXPECT_EQ(r.Rewrite("port 7000\ntimeout 5\n# keep\ntimeout 6\n", c),
            "port 7001\ntimeout 0\n# keep\n\n# Generated by CONFIG REWRITE\n" + AlwaysWritten());
}

TEST(ConfigRewriteTest, AliasLinesTakeTheCanonicalName) {
  ConfigRegistry r;
  ServerConfig c;
  ASSERT_EQ(ApplyText("hash-max-listpack-entries 21\nhash-max-ziplist-entries 20\n", c), "");
  ASSERT_EQ(SetError(r, c, {{"hash-max-listpack-entries", "100"}}), "");
  std::string out = r.Rewrite(
      "HASH-MAX-ZIPLIST-ENTRIES 20\nhash-max-listpack-entries 21\nslave-read-only yes\n", c);
  EXPECT_EQ(out, "hash-max-listpack-entries 100\n\nreplica-read-only yes\n\n"
                 "# Generated by CONFIG REWRITE\n" +
                     AlwaysWritten());
}

TEST(ConfigRewriteTest, SaveAndClientOutputBufferLimitLines) {
  ConfigRegistry r;
  ServerConfig c;
  ASSERT_EQ(SetError(r, c,
                     {{"save", "100 1"},
                      {"client-output-buffer-limit", "pubsub 1mb 2048 3 slave 1 0 0"}}),
            "");
  std::string out = r.Rewrite("save 900 1\nsave 300 10\n", c);
  EXPECT_EQ(out,
            "save 100 1\n\n# Generated by CONFIG REWRITE\ndir \"" + Cwd() +
                "\"\nclient-output-buffer-limit replica 1 0 0\n"
                "client-output-buffer-limit pubsub 1mb 2kb 3\n"
                "latency-tracking-info-percentiles 50 99 99.9\n");

  // No save points: `save ""`, so that the defaults do not come back.
  ASSERT_EQ(SetError(r, c, {{"save", ""}}), "");
  out = r.Rewrite("save 900 1\nsave 300 10\n", c);
  EXPECT_EQ(out.rfind("save \"\"\n\n", 0), 0u) << out;
  ServerConfig reloaded;
  ASSERT_EQ(ApplyText(out, reloaded), "");
  EXPECT_TRUE(reloaded.save_params.empty());
}

TEST(ConfigRewriteTest, UnsetStringsBindAndReplicaofLinesAreDropped) {
  ConfigRegistry r;
  ServerConfig c;
  std::string old =
      "unixsocket /tmp/x.sock\nbind 127.0.0.1\nlogfile /tmp/l\nreplicaof 10.0.0.1 6379\n";
  ASSERT_EQ(ApplyText(old, c), "");
  c.unixsocket.clear();  // as if unset (immutable: no CONFIG SET)
  c.logfile.clear();
  c.replicaof_host.clear();
  ASSERT_EQ(SetError(r, c, {{"bind", "* -::*"}}), "");
  // logfile "" is a value of its own (stdout); unixsocket "" means none.
  EXPECT_EQ(r.Rewrite(old, c),
            "\nlogfile \"\"\n\n# Generated by CONFIG REWRITE\n" + AlwaysWritten());

  ASSERT_EQ(SetError(r, c, {{"bind", ""}}), "");
  EXPECT_NE(r.Rewrite("", c).find("\nbind \"\"\n"), std::string::npos);
  c.replicaof_host = "10.0.0.2";
  c.replicaof_port = 6380;
  EXPECT_NE(r.Rewrite("", c).find("\nreplicaof 10.0.0.2 6380\n"), std::string::npos);
}

TEST(ConfigRewriteTest, UserLinesAreKept) {
  ConfigRegistry r;
  ServerConfig c;
  ASSERT_EQ(ApplyText("user alice on >pw ~* +@all\n", c), "");
  EXPECT_EQ(r.Rewrite("user alice on >pw ~* +@all\nloadmodule /x.so\n", c),
            "user alice on >pw ~* +@all\n\n# Generated by CONFIG REWRITE\n" + AlwaysWritten());
}

// DEBUG CONFIG-REWRITE-FORCE-ALL writes every parameter; the result must load back to the
// same values.
TEST(ConfigRewriteTest, ForceAllRoundTrips) {
  ConfigRegistry r;
  ServerConfig c;
  ASSERT_EQ(SetError(r, c,
                     {{"maxmemory", "10mb"},
                      {"save", ""},
                      {"proc-title-template", "{title} {port}"},
                      {"maxmemory-clients", "5%"},
                      {"list-max-listpack-size", "-3"},
                      {"oom-score-adj-values", "1 2 3"},
                      {"latency-tracking-info-percentiles", ""},
                      {"shutdown-on-sigint", "save now"},
                      {"masterauth", "x y"}}),
            "");
  std::string text = r.Rewrite("", c, /*force_all=*/true);
  EXPECT_NE(text.find("\nport 6379\n"), std::string::npos);
  EXPECT_NE(text.find("\ndaemonize no\n"), std::string::npos);
  EXPECT_NE(text.find("\nunixsocketperm 0\n"), std::string::npos);
  EXPECT_EQ(text.find("\nunixsocket "), std::string::npos);  // unset strings stay unset
  ServerConfig reloaded;
  ASSERT_EQ(ApplyText(text, reloaded), "") << text;
  EXPECT_EQ(r.Get("*", reloaded), r.Get("*", c));
  EXPECT_EQ(GetOne(r, reloaded, "key-load-delay"), "0");
}

TEST(ConfigRewriteTest, CanonicalNamesAndDefaults) {
  ConfigRegistry r;
  ServerConfig c;
  EXPECT_EQ(r.CanonicalName("SLAVEOF"), "replicaof");
  EXPECT_EQ(r.CanonicalName("lua-time-limit"), "busy-reply-threshold");
  EXPECT_EQ(r.CanonicalName("port"), "port");
  EXPECT_EQ(r.CanonicalName("rename-command"), std::nullopt);
  EXPECT_TRUE(r.IsDefault("hz", c));
  ASSERT_EQ(SetError(r, c, {{"hz", "20"}}), "");
  EXPECT_FALSE(r.IsDefault("hz", c));
  EXPECT_FALSE(r.IsDefault("no-such-thing", c));
}

TEST(ConfigRewriteTest, FormatMemory) {
  EXPECT_EQ(FormatMemoryForConfig(0), "0");
  EXPECT_EQ(FormatMemoryForConfig(1000), "1000");
  EXPECT_EQ(FormatMemoryForConfig(2048), "2kb");
  EXPECT_EQ(FormatMemoryForConfig(64ll << 20), "64mb");
  EXPECT_EQ(FormatMemoryForConfig(3ll << 30), "3gb");
  EXPECT_EQ(FormatMemoryForConfig((1ll << 30) + 1024), "1048577kb");
}

TEST(ConfigRewriteTest, RewriteConfigFile) {
  TempDir dir;
  ConfigRegistry r;
  ServerConfig c;
  c.port = 7001;
  std::string file = dir.Write("r.conf", "# mine\nport 7000\n");
  ASSERT_EQ(RewriteConfigFile(file, r, c), std::nullopt);
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "# mine\nport 7001\n\n# Generated by CONFIG REWRITE\n" + AlwaysWritten());
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::owner_read,
            std::filesystem::perms::owner_read);
  // Only r.conf is left: the temporary file was renamed over it.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1);

  // A missing file is created; a missing directory is the error Redis reports.
  ASSERT_EQ(RewriteConfigFile(dir.path() + "/new.conf", r, c), std::nullopt);
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/new.conf"));
  EXPECT_EQ(RewriteConfigFile(dir.path() + "/missing/r.conf", r, c),
            std::string("No such file or directory"));
}

}  // namespace
}  // namespace basalt
