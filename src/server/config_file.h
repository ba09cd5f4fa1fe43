// config_file: turns redis-server's command line and redis.conf text into an ordered list of
// directives, exactly as Redis 7.0's main() and loadServerConfig() do, without interpreting
// them (config.h gives them meaning).
//
// The pipeline, each step usable on its own (tests drive them with strings):
//
//   argv ──ParseCommandLine──▶ CommandLine ──ReadConfigSources──▶ one text
//        (file contents, then stdin if "-", then "\n" and the --options as config lines)
//   text ──ParseConfigText──▶ [ConfigDirective]   (comments skipped, `include` expanded)
//
// Line numbers are those Redis reports: positions in the combined text, so options given
// on the command line come after the file's lines (`--port 0` alone is line 2), and each
// included file counts from 1 again.
//
// Errors are values: a ConfigError holds the complete text redis-server would print to
// stderr before exiting with status 1 (the "*** FATAL CONFIG FILE ERROR ***" block, or
// "Fatal error, can't open config file ..."). Callers print it and exit; nothing here exits.
//
// SplitArgs (Redis's sdssplitargs) lives in util/split_args.h and is re-exported here since
// every config line goes through it.
//
// Thread-compatible: no shared state. Reads files and (LoadConfigDirectives) a stream.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/split_args.h"

namespace basalt {

// One meaningful config line. `args[0]` is the directive name, lower-cased; the remaining
// arguments are as SplitArgs produced them (quotes removed, escapes decoded).
struct ConfigDirective {
  std::string file;  // the file it came from; the top-level file for command-line options
  int line = 0;      // 1-based, counted as Redis counts (see above)
  std::string text;  // the line trimmed of " \t\r\n", as the error block quotes it
  std::vector<std::string> args;
};

// What redis-server prints to stderr before exit(1). `message` is the whole text: the
// caller writes it followed by a newline.
struct ConfigError {
  std::string message;
};

// "\n*** FATAL CONFIG FILE ERROR (Redis <ver>) ***\nReading the configuration file, at line
// N\n>>> '<text>'\n<reason>": the block Redis prints for a bad line.
ConfigError MakeConfigError(const ConfigDirective& where, std::string_view reason);
// The same block without the line part, for errors found after the last line (Redis prints
// it this way for an unwritable logfile).
ConfigError MakeConfigError(std::string_view reason);

// Splits `text` into lines, trims each of " \t\r\n", skips blank lines and those starting
// with '#', splits the rest with SplitArgs and lower-cases the directive name. A line
// `include <path>` (exactly one argument) is replaced by the directives of that file,
// recursively; a path with '*', '?' or '[' is a glob whose matches are read in order as one
// text (no match is not an error, so an empty conf.d/ works). Relative paths are relative
// to the current directory, as in Redis. Appends to *out; on error *out holds the
// directives parsed before it.
std::optional<ConfigError> ParseConfigText(std::string_view text, const std::string& file,
                                           std::vector<ConfigDirective>* out);

// Reads a config file (or the files a glob pattern matches) and parses it as above.
std::optional<ConfigError> LoadConfigFile(const std::string& path,
                                          std::vector<ConfigDirective>* out);

// redis-server's command line: `[configfile] [--name value ...] [-]`.
struct CommandLine {
  std::string config_file;         // absolute path (as Redis stores it), or empty
  bool config_from_stdin = false;  // a lone "-" first or last: read config from stdin too
  // The options as config text, built exactly as redis-server builds it: "--name" starts
  // a line "name ", each value is appended quoted ("\"6380\" "), a "--name value" single
  // argument is copied as is, and a bare `--save` gets an empty "" value. Parsed after the
  // file and stdin, so the command line wins.
  std::string options_text;
  bool version = false;      // -v / --version (only as the first argument)
  bool help = false;         // -h / --help (only as the first argument)
  bool test_memory = false;  // --test-memory <megabytes>
  int test_memory_mb = 0;
  bool check_system = false;  // --check-system
  bool sentinel = false;      // --sentinel anywhere: Basalt has no sentinel mode
  // Non-empty when the command line itself is unusable (e.g. --test-memory without a
  // size): print it to stderr and exit 1.
  std::string error;
};

// REQUIRES: argv[0..argc) are valid C strings. Uses the current directory to make
// config_file absolute.
CommandLine ParseCommandLine(int argc, const char* const* argv);

// Concatenates the config sources in Redis's order: the config file's contents (if any),
// then everything on `stdin_stream` (if cmdline.config_from_stdin), then "\n" and
// cmdline.options_text. A config file that cannot be opened is an error.
std::optional<ConfigError> ReadConfigSources(const CommandLine& cmdline, std::istream& stdin_stream,
                                             std::string* text);

// ReadConfigSources followed by ParseConfigText.
std::optional<ConfigError> LoadConfigDirectives(const CommandLine& cmdline,
                                                std::istream& stdin_stream,
                                                std::vector<ConfigDirective>* out);

// sdscatrepr: `s` in double quotes with \\ \" \n \r \t \a \b escaped and other
// non-printable bytes as \xHH, so that SplitArgs gives `s` back.
std::string QuoteArg(std::string_view s);

// Redis's getAbsolutePath: trims " \r\n\t", keeps an absolute path, otherwise joins it to
// the current directory, folding leading "../" components. Empty on getcwd failure.
std::string AbsolutePath(std::string_view path);

}  // namespace basalt
