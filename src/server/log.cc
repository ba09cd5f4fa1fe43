#include "server/log.h"

#include <sys/time.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <ctime>

namespace basalt {
namespace {

LogLevel g_level = LogLevel::kNotice;
std::string g_logfile;
char g_role = 'M';

}  // namespace

bool ParseLogLevel(const std::string& name, LogLevel* out) {
  if (name == "debug") *out = LogLevel::kDebug;
  else if (name == "verbose") *out = LogLevel::kVerbose;
  else if (name == "notice") *out = LogLevel::kNotice;
  else if (name == "warning") *out = LogLevel::kWarning;
  else if (name == "nothing") *out = LogLevel::kNothing;
  else return false;
  return true;
}

void SetLogTarget(LogLevel level, const std::string& logfile) {
  g_level = level;
  g_logfile = logfile;
}

void SetLogRole(char role) { g_role = role; }

void LogRaw(LogLevel level, const std::string& message) {
  static const char kMarks[] = ".-*#";
  FILE* fp = g_logfile.empty() ? stdout : std::fopen(g_logfile.c_str(), "a");
  if (fp == nullptr) return;
  timeval tv;
  gettimeofday(&tv, nullptr);
  tm tm_now;
  localtime_r(&tv.tv_sec, &tm_now);
  char when[64];
  size_t off = std::strftime(when, sizeof(when), "%d %b %Y %H:%M:%S.", &tm_now);
  std::snprintf(when + off, sizeof(when) - off, "%03d", static_cast<int>(tv.tv_usec / 1000));
  int mark = static_cast<int>(level) < 4 ? static_cast<int>(level) : 3;
  std::fprintf(fp, "%d:%c %s %c %s\n", static_cast<int>(getpid()), g_role, when, kMarks[mark],
               message.c_str());
  std::fflush(fp);
  if (fp != stdout) std::fclose(fp);
}

void Log(LogLevel level, const char* fmt, ...) {
  if (level < g_level || g_level == LogLevel::kNothing) return;
  char buf[4096];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  LogRaw(level, buf);
}

}  // namespace basalt
