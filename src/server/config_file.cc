#include "server/config_file.h"

#include <glob.h>
#include <strings.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <istream>
#include <iterator>
#include <sstream>

#include "server/version.h"

namespace basalt {
namespace {

// Redis recurses without a limit and would overflow its stack on an include cycle; a fixed
// depth turns that into a readable error instead.
constexpr int kMaxIncludeDepth = 64;

std::string_view Trim(std::string_view s, std::string_view chars) {
  size_t begin = s.find_first_not_of(chars);
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(chars);
  return s.substr(begin, end - begin + 1);
}

void AsciiLower(std::string& s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

bool StartsWithDashDash(const char* s) { return s[0] == '-' && s[1] == '-'; }

ConfigError CannotOpen(const std::string& path, int err) {
  return ConfigError{"Fatal error, can't open config file '" + path + "': " + std::strerror(err)};
}

// Appends the whole file to *out. Redis reads with fgets into a C string, so the text is
// the file's bytes; a NUL inside a line ends that line's parsing later, as in Redis.
std::optional<ConfigError> AppendFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return CannotOpen(path, errno);
  out->append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return std::nullopt;
}

// Reads `path`, or all files matching it when it contains glob characters.
std::optional<ConfigError> ReadConfigPath(const std::string& path, std::string* out) {
  if (path.find_first_of("*?[") == std::string::npos) return AppendFile(path, out);
  glob_t matches;
  if (glob(path.c_str(), 0, nullptr, &matches) != 0) return std::nullopt;  // no match: skip
  std::optional<ConfigError> error;
  for (size_t i = 0; i < matches.gl_pathc && !error; ++i) {
    error = AppendFile(matches.gl_pathv[i], out);
  }
  globfree(&matches);
  return error;
}

std::optional<ConfigError> ParseText(std::string_view text, const std::string& file, int depth,
                                     std::vector<ConfigDirective>* out) {
  // sdssplitlen(text, "\n"): an empty text has no lines; a trailing '\n' yields a last
  // empty line, which is skipped anyway.
  int line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view raw = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_number;

    std::string_view line = Trim(raw, " \t\r\n");
    if (line.empty() || line[0] == '#') continue;

    ConfigDirective directive;
    directive.file = file;
    directive.line = line_number;
    directive.text = std::string(line);
    auto args = SplitArgs(line);
    if (!args) return MakeConfigError(directive, "Unbalanced quotes in configuration line");
    if (args->empty()) continue;
    AsciiLower((*args)[0]);
    directive.args = std::move(*args);

    if (directive.args[0] == "include" && directive.args.size() == 2) {
      if (depth >= kMaxIncludeDepth) {
        return MakeConfigError(directive, "Too many nested include directives");
      }
      const std::string& path = directive.args[1];
      std::string content;
      if (auto error = ReadConfigPath(path, &content)) return error;
      if (auto error = ParseText(content, path, depth + 1, out)) return error;
      continue;
    }
    out->push_back(std::move(directive));
  }
  return std::nullopt;
}

}  // namespace

ConfigError MakeConfigError(const ConfigDirective& where, std::string_view reason) {
  std::string message = "\n*** FATAL CONFIG FILE ERROR (Redis ";
  message += kRedisCompatVersion;
  message += ") ***\nReading the configuration file, at line ";
  message += std::to_string(where.line);
  message += "\n>>> '";
  message += where.text;
  message += "'\n";
  message += reason;
  return ConfigError{std::move(message)};
}

ConfigError MakeConfigError(std::string_view reason) {
  std::string message = "\n*** FATAL CONFIG FILE ERROR (Redis ";
  message += kRedisCompatVersion;
  message += ") ***\n";
  message += reason;
  return ConfigError{std::move(message)};
}

std::optional<ConfigError> ParseConfigText(std::string_view text, const std::string& file,
                                           std::vector<ConfigDirective>* out) {
  return ParseText(text, file, 0, out);
}

std::optional<ConfigError> LoadConfigFile(const std::string& path,
                                          std::vector<ConfigDirective>* out) {
  std::string content;
  if (auto error = ReadConfigPath(path, &content)) return error;
  return ParseConfigText(content, path, out);
}

CommandLine ParseCommandLine(int argc, const char* const* argv) {
  CommandLine result;
  for (int j = 1; j < argc; ++j) {
    if (std::strcmp(argv[j], "--sentinel") == 0) result.sentinel = true;
  }
  if (argc < 2) return result;

  // The special options count only as the first argument, as in redis-server.
  const char* first = argv[1];
  if (std::strcmp(first, "-v") == 0 || std::strcmp(first, "--version") == 0) {
    result.version = true;
    return result;
  }
  if (std::strcmp(first, "--help") == 0 || std::strcmp(first, "-h") == 0) {
    result.help = true;
    return result;
  }
  if (std::strcmp(first, "--test-memory") == 0) {
    result.test_memory = true;
    if (argc == 3) {
      result.test_memory_mb = std::atoi(argv[2]);
    } else {
      result.error =
          "Please specify the amount of memory to test in megabytes.\n"
          "Example: ./redis-server --test-memory 4096\n";
    }
    return result;
  }
  if (std::strcmp(first, "--check-system") == 0) {
    result.check_system = true;
    return result;
  }

  int j = 1;
  if (first[0] != '-') {
    result.config_file = AbsolutePath(first);
    j = 2;
  }
  std::string& options = result.options_text;
  // False right after a "--name" that came alone: the next argument is its value even if
  // it starts with "--" (`--proc-title-template --my--title`).
  bool handled_last_config_arg = true;
  for (; j < argc; ++j) {
    const char* arg = argv[j];
    if (arg[0] == '-' && arg[1] == '\0' && (j == 1 || j == argc - 1)) {
      result.config_from_stdin = true;
    } else if (handled_last_config_arg && StartsWithDashDash(arg)) {
      if (!options.empty()) options += '\n';
      options += arg + 2;
      options += ' ';
      // "--port 6380" as one argument carries its own value; "--port" alone does not.
      auto words = SplitArgs(arg);
      if (words && words->size() == 1) {
        handled_last_config_arg = false;
        bool is_last = j == argc - 1;
        bool next_is_option = !is_last && StartsWithDashDash(argv[j + 1]);
        if (strcasecmp(arg, "--save") == 0 && (next_is_option || is_last)) {
          // `--save` with no value means `save ""` (pre-7.0.1 behaviour kept by Redis).
          options += "\"\"";
          handled_last_config_arg = true;
        } else if (strcasecmp(arg, "--sentinel") == 0 && next_is_option) {
          // A pseudo option without a value.
          handled_last_config_arg = true;
        }
      } else {
        handled_last_config_arg = true;
      }
    } else {
      options += QuoteArg(arg);
      options += ' ';
      handled_last_config_arg = true;
    }
  }
  return result;
}

std::optional<ConfigError> ReadConfigSources(const CommandLine& cmdline, std::istream& stdin_stream,
                                             std::string* text) {
  text->clear();
  if (!cmdline.config_file.empty()) {
    if (auto error = ReadConfigPath(cmdline.config_file, text)) return error;
  }
  if (cmdline.config_from_stdin) {
    text->append(std::istreambuf_iterator<char>(stdin_stream), std::istreambuf_iterator<char>());
  }
  *text += '\n';
  *text += cmdline.options_text;
  return std::nullopt;
}

std::optional<ConfigError> LoadConfigDirectives(const CommandLine& cmdline,
                                                std::istream& stdin_stream,
                                                std::vector<ConfigDirective>* out) {
  std::string text;
  if (auto error = ReadConfigSources(cmdline, stdin_stream, &text)) return error;
  return ParseConfigText(text, cmdline.config_file, out);
}

std::string QuoteArg(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      default:
        if (std::isprint(static_cast<unsigned char>(c))) {
          out += c;
        } else {
          unsigned char b = static_cast<unsigned char>(c);
          out += "\\x";
          out += kHex[b >> 4];
          out += kHex[b & 15];
        }
    }
  }
  out += '"';
  return out;
}

std::string AbsolutePath(std::string_view path) {
  std::string rel(Trim(path, " \r\n\t"));
  if (!rel.empty() && rel[0] == '/') return rel;
  char cwd[4096];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) return {};
  std::string abs = cwd;
  if (!abs.empty() && abs.back() != '/') abs += '/';
  // Each leading "../" drops the last component of the directory, stopping at "/".
  while (rel.size() >= 3 && rel.compare(0, 3, "../") == 0) {
    rel.erase(0, 3);
    if (abs.size() > 1) {
      size_t slash = abs.rfind('/', abs.size() - 2);
      abs.erase(slash + 1);
    }
  }
  return abs + rel;
}

}  // namespace basalt
