// Server log in Redis's format: "pid:M 25 Nov 2026 13:30:00.123 * message".
//
// Levels as Redis: debug '.', verbose '-', notice '*', warning '#'. Written to stdout, or to
// `logfile` when set. Call SetLogTarget once at startup and on CONFIG SET.
#pragma once

#include <string>

namespace basalt {

enum class LogLevel { kDebug = 0, kVerbose = 1, kNotice = 2, kWarning = 3, kNothing = 4 };

bool ParseLogLevel(const std::string& name, LogLevel* out);
void SetLogTarget(LogLevel level, const std::string& logfile);
void Log(LogLevel level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
// The role letter after the pid: 'M' (the server), 'C' (a forked persistence child), as Redis.
void SetLogRole(char role);
// Writes without a level check (the startup banner uses it).
void LogRaw(LogLevel level, const std::string& message);

}  // namespace basalt
