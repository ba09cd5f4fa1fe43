// Expected expansions were checked against Debian's redis-server 7.0 (CONFIG SET
// proc-title-template, then /proc/PID/cmdline).
#include "server/proc_title.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace basalt {
namespace {

class ProcTitleTemplateTest : public ::testing::Test {
 protected:
  ProcTitleVars Vars() { return ProcTitleVars{&config_, config_file_, false}; }
  std::optional<std::string> Expand(std::string_view tmpl, std::string_view title = "/b/srv") {
    return ExpandProcTitleTemplate(tmpl, title, Vars());
  }

  ServerConfig config_;
  std::string config_file_;
};

TEST_F(ProcTitleTemplateTest, DefaultTemplateTrimsEmptyServerMode) {
  EXPECT_EQ(Expand(config_.proc_title_template), "/b/srv *:6379");
  config_.cluster_enabled = true;
  EXPECT_EQ(Expand(config_.proc_title_template), "/b/srv *:6379 [cluster]");
}

TEST_F(ProcTitleTemplateTest, SentinelMode) {
  ProcTitleVars vars = Vars();
  vars.sentinel = true;
  EXPECT_EQ(ExpandProcTitleTemplate("{title} {server-mode}", "x", vars), "x [sentinel]");
}

TEST_F(ProcTitleTemplateTest, ListenAddrUsesFirstBindAddress) {
  config_.bind = {"127.0.0.1", "-::1"};
  config_.port = 7000;
  EXPECT_EQ(Expand("{listen-addr}"), "127.0.0.1:7000");
  config_.bind = {"-10.0.0.1"};  // Redis shows the address as configured
  EXPECT_EQ(Expand("{listen-addr}"), "-10.0.0.1:7000");
  config_.bind.clear();
  EXPECT_EQ(Expand("{listen-addr}"), "*:7000");
}

TEST_F(ProcTitleTemplateTest, ListenAddrFallsBackToTlsPortThenUnixSocket) {
  config_.port = 0;
  config_.tls_port = 6380;
  EXPECT_EQ(Expand("{listen-addr}"), "*:6380");
  config_.tls_port = 0;
  config_.unixsocket = "/tmp/r.sock";
  EXPECT_EQ(Expand("{listen-addr}"), "unixsocket:/tmp/r.sock");
}

TEST_F(ProcTitleTemplateTest, AllVariables) {
  config_.port = 7001;
  config_.tls_port = 0;
  config_.unixsocket = "/tmp/s";
  config_file_ = "/etc/redis.conf";
  EXPECT_EQ(Expand("TEST {title} {listen-addr} {port} {tls-port} {unixsocket} {config-file}"),
            "TEST /b/srv *:7001 7001 0 /tmp/s /etc/redis.conf");
  config_file_.clear();
  config_.unixsocket.clear();
  EXPECT_EQ(Expand("{config-file}"), "-");
  EXPECT_EQ(Expand("{unixsocket}|"), "|");
}

TEST_F(ProcTitleTemplateTest, QuotingAndLiterals) {
  EXPECT_EQ(Expand("a{{b}} {{{title}}"), "a{b}} {/b/srv}");
  EXPECT_EQ(Expand("  plain  "), "plain");
  EXPECT_EQ(Expand("}"), "}");
}

TEST_F(ProcTitleTemplateTest, MalformedOrUnknown) {
  EXPECT_EQ(Expand("{invalid-var}"), std::nullopt);
  EXPECT_EQ(Expand("{title"), std::nullopt);
  EXPECT_EQ(Expand("abc {"), std::nullopt);
  EXPECT_EQ(Expand("{}"), std::nullopt);
  EXPECT_EQ(Expand("{TITLE}"), std::nullopt);  // names are case-sensitive
}

TEST_F(ProcTitleTemplateTest, Validation) {
  EXPECT_TRUE(ValidProcTitleTemplate(config_.proc_title_template, Vars()));
  EXPECT_TRUE(ValidProcTitleTemplate("x", Vars()));
  EXPECT_TRUE(ValidProcTitleTemplate("{config-file}", Vars()));  // "-" without a file
  // Blank once {title} is empty: refused even though the title itself would not be.
  EXPECT_FALSE(ValidProcTitleTemplate("{title}", Vars()));
  EXPECT_FALSE(ValidProcTitleTemplate("", Vars()));
  EXPECT_FALSE(ValidProcTitleTemplate("   ", Vars()));
  EXPECT_FALSE(ValidProcTitleTemplate("{server-mode}", Vars()));
  EXPECT_FALSE(ValidProcTitleTemplate("{invalid-var}", Vars()));
  EXPECT_FALSE(ValidProcTitleTemplate("{title", Vars()));
}

// InitProcTitle claims the area once per process, so this is the only test that calls it.
// A private buffer laid out like the kernel's argv strings stands in for the real one.
TEST(ProcTitleAreaTest, OverwritesArgvStringsAndKeepsCopies) {
  char area[] = "/bin/srv\0--port\0007000";  // three strings, the last NUL implicit
  char* argv[] = {area, area + 9, area + 16, nullptr};
  InitProcTitle(3, argv);
  EXPECT_EQ(ProcTitleArgv0(), "/bin/srv");
  ASSERT_NE(argv[0], area);  // argv now points at copies
  EXPECT_STREQ(argv[0], "/bin/srv");
  EXPECT_STREQ(argv[1], "--port");
  EXPECT_STREQ(argv[2], "7000");

  ASSERT_TRUE(SetProcTitle("t *:1"));
  EXPECT_EQ(std::string(area, 5), "t *:1");
  EXPECT_EQ(area[5], '\0');
  EXPECT_EQ(area[sizeof(area) - 1], '.');  // marks the title as replacing the whole area

  // Longer than the area: cut to fit, last byte stays the terminator.
  ASSERT_TRUE(SetProcTitle(std::string(100, 'x')));
  EXPECT_EQ(std::string(area), std::string(sizeof(area) - 1, 'x'));

  ProcTitleVars vars{nullptr, "", false};
  ServerConfig config;
  vars.config = &config;
  ASSERT_TRUE(SetServerProcTitle("{title}!", vars));
  EXPECT_STREQ(area, "/bin/srv!");
  EXPECT_FALSE(SetServerProcTitle("{nope}", vars));
  EXPECT_STREQ(area, "/bin/srv!");  // unchanged
  EXPECT_STREQ(argv[1], "--port");
}

}  // namespace
}  // namespace basalt
