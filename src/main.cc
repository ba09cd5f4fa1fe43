// basalt-server: redis-server's command line and config → Server → event loop.
#include <signal.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>

#include "persistence/aof_loader.h"
#include "persistence/snapshot.h"
#include "server/config.h"
#include "server/config_file.h"
#include "server/log.h"
#include "server/proc_title.h"
#include "server/server.h"
#include "server/version.h"

namespace {

basalt::Server* g_server = nullptr;

// Raises the open-files limit so `maxclients` connections fit, as redis-server does
// (32 descriptors are kept for listeners, logs and persistence).
void AdjustOpenFilesLimit(uint32_t maxclients) {
  rlim_t wanted = static_cast<rlim_t>(maxclients) + 32;
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted) return;
  rlimit raised = limit;
  raised.rlim_cur = wanted;
  if (raised.rlim_max < wanted) raised.rlim_max = wanted;
  if (setrlimit(RLIMIT_NOFILE, &raised) == 0) return;
  raised.rlim_max = limit.rlim_max;
  raised.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &raised);
  basalt::Log(basalt::LogLevel::kWarning,
              "You requested maxclients of %u requiring at least %llu max file descriptors; "
              "the limit is %llu.",
              maxclients, static_cast<unsigned long long>(wanted),
              static_cast<unsigned long long>(limit.rlim_max));
}
// Set while a signal's shutdown saves: a second SIGINT then exits at once, removing the temp
// file of the save (Redis's "You insist... exiting now").
volatile sig_atomic_t g_saving_for_shutdown = 0;
char g_shutdown_temp_rdb[64];

void HandleSignal(int sig) {
  if (g_saving_for_shutdown != 0 && sig == SIGINT) {
    unlink(g_shutdown_temp_rdb);
    _exit(1);
  }
  if (g_server != nullptr) g_server->NoteShutdownSignal(sig);
}

void PrintVersion() {
  std::printf("Basalt server v=%s (Redis %s compatible) bits=%d\n", basalt::kBasaltVersion,
              basalt::kRedisCompatVersion, static_cast<int>(sizeof(long) * 8));
}

void PrintUsage() {
  std::fprintf(stderr,
               "Usage: ./basalt-server [/path/to/redis.conf] [options] [-]\n"
               "       ./basalt-server - (read config from stdin)\n"
               "       ./basalt-server -v or --version\n"
               "       ./basalt-server -h or --help\n\n"
               "Examples:\n"
               "       ./basalt-server (run the server with default conf)\n"
               "       ./basalt-server /etc/redis/6379.conf\n"
               "       ./basalt-server --port 7777\n"
               "       ./basalt-server /etc/myredis.conf --loglevel verbose -\n"
               "       ./basalt-server /etc/myredis.conf --loglevel verbose\n");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace basalt;
  // First: it moves argv and environ out of the memory the process title will reuse.
  InitProcTitle(argc, argv);
  auto cmdline = ParseCommandLine(argc, argv);
  if (cmdline.version) {
    PrintVersion();
    return 0;
  }
  if (cmdline.help) {
    PrintUsage();
    return 0;
  }
  if (!cmdline.error.empty()) {
    std::fprintf(stderr, "%s\n", cmdline.error.c_str());
    return 1;
  }
  if (cmdline.sentinel) {
    std::fprintf(stderr, "Sentinel mode is not available in Basalt yet.\n");
    return 1;
  }
  ServerConfig config;
  if (auto error = LoadServerConfig(cmdline, config)) {
    std::fprintf(stderr, "%s\n", error->message.c_str());
    return 1;
  }

  LogLevel level = LogLevel::kNotice;
  ParseLogLevel(config.loglevel, &level);
  SetLogTarget(level, config.logfile);
  Log(LogLevel::kNotice, "oO0OoO0OoO0Oo Basalt is starting oO0OoO0OoO0Oo");
  Log(LogLevel::kNotice, "Basalt version=%s, redis_version=%s, bits=%d, pid=%d, just started",
      kBasaltVersion, kRedisCompatVersion, static_cast<int>(sizeof(long) * 8),
      static_cast<int>(getpid()));
  if (cmdline.config_file.empty()) {
    Log(LogLevel::kWarning,
        "Warning: no config file specified, using the default config. In order to specify a "
        "config file use %s /path/to/redis.conf", argv[0]);
  } else {
    Log(LogLevel::kNotice, "Configuration loaded");
  }

  AdjustOpenFilesLimit(config.maxclients);
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa {};
  sa.sa_handler = HandleSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);

  bool show_logo = config.always_show_logo || isatty(STDOUT_FILENO);
  int port = config.port;
  Server server(std::move(config));
  server.set_config_file(cmdline.config_file);
  if (std::string error = server.ApplyCommandRenames(); !error.empty()) {
    std::fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (Redis %s) ***\n%s\n", kRedisCompatVersion,
                 error.c_str());
    return 1;
  }
  g_server = &server;
  if (!server.Listen()) return 1;
  if (server.config().set_proc_title) {
    const ServerConfig& c = server.config();
    SetServerProcTitle(c.proc_title_template, ProcTitleVars{&c, server.config_file(), false});
  }
  if (show_logo) {
    // Tools (the Redis test suite among them) find the process by the "PID: " line.
    LogRaw(LogLevel::kNotice,
           std::string("\n    Basalt ") + kBasaltVersion + " (Redis " + kRedisCompatVersion +
               " compatible) 64 bit\n    Running in standalone mode\n    Port: " +
               std::to_string(port) + "\n    PID: " + std::to_string(getpid()) + "\n");
  } else {
    Log(LogLevel::kNotice, "Running mode=standalone, port=%d.", port);
  }
  Log(LogLevel::kNotice, "Server initialized");
  if (!LoadDataFromDisk(server)) return 1;
  Log(LogLevel::kNotice, "Ready to accept connections tcp");
  std::snprintf(g_shutdown_temp_rdb, sizeof(g_shutdown_temp_rdb), "temp-%d.rdb",
                static_cast<int>(getpid()));
  server.Run();
  while (server.shutdown_signal() != 0) {
    const int sig = server.shutdown_signal();
    const char* name = sig == SIGINT ? "SIGINT" : "SIGTERM";
    Log(LogLevel::kWarning, "Received %s scheduling shutdown...", name);
    // shutdown-on-sigterm / shutdown-on-sigint: save as SHUTDOWN would. When that fails the
    // server goes on serving, as Redis does.
    const int flags = sig == SIGINT ? server.config().shutdown_on_sigint_flags
                                    : server.config().shutdown_on_sigterm_flags;
    g_saving_for_shutdown = 1;
    const bool saved =
        SaveBeforeShutdown(server, (flags & kShutdownSave) != 0, (flags & kShutdownNoSave) != 0);
    g_saving_for_shutdown = 0;
    if (saved) break;
    Log(LogLevel::kWarning,
        "%s received but errors trying to shut down the server, check the logs for more "
        "information",
        name);
    server.ContinueAfterFailedShutdown();
  }
  Log(LogLevel::kWarning, "User requested shutdown...");
  Log(LogLevel::kWarning, "Basalt is now ready to exit, bye bye...");
  g_server = nullptr;
  return 0;
}
