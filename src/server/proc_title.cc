#include "server/proc_title.h"

#include <errno.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace basalt {
namespace {

// Redis caps the title at 255 bytes; longer ones are cut.
constexpr size_t kMaxTitleLen = 255;

// The memory the kernel reads /proc/PID/cmdline from, freed by InitProcTitle.
struct TitleArea {
  char* base = nullptr;     // where argv[0]'s string started
  char* end = nullptr;      // one past the last byte we may overwrite (argv, then environ)
  char* arg_end = nullptr;  // one past the original argv strings (the kernel's arg_end)
};

TitleArea g_area;

std::string& Argv0() {
  static std::string* argv0 = new std::string();  // never destroyed: read until exit
  return *argv0;
}

// Extends `end` over `strings` that continue the area without a gap.
void ExtendOver(char* const* strings, size_t count, char** end) {
  for (size_t i = 0; i < count && strings[i] != nullptr; ++i) {
    char* s = strings[i];
    if (s == *end) *end = s + std::strlen(s) + 1;
  }
}

char* CopyString(const char* s) {
  size_t n = std::strlen(s) + 1;
  char* copy = static_cast<char*>(std::malloc(n));
  if (copy != nullptr) std::memcpy(copy, s, n);
  return copy;
}

// Appends a {variable}'s value; false if the name is unknown.
bool AppendVariable(std::string_view name, std::string_view title, const ProcTitleVars& vars,
                    std::string* out) {
  const ServerConfig& c = *vars.config;
  if (name == "title") {
    out->append(title);
  } else if (name == "listen-addr") {
    if (c.port != 0 || c.tls_port != 0) {
      out->append(c.bind.empty() ? std::string("*") : c.bind.front());
      out->push_back(':');
      out->append(std::to_string(c.port != 0 ? c.port : c.tls_port));
    } else {
      out->append("unixsocket:");
      out->append(c.unixsocket);
    }
  } else if (name == "server-mode") {
    if (c.cluster_enabled) {
      out->append("[cluster]");
    } else if (vars.sentinel) {
      out->append("[sentinel]");
    }
  } else if (name == "config-file") {
    out->append(vars.config_file.empty() ? std::string_view("-") : vars.config_file);
  } else if (name == "port") {
    out->append(std::to_string(c.port));
  } else if (name == "tls-port") {
    out->append(std::to_string(c.tls_port));
  } else if (name == "unixsocket") {
    out->append(c.unixsocket);
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> ExpandProcTitleTemplate(std::string_view tmpl, std::string_view title,
                                                   const ProcTitleVars& vars) {
  std::string out;
  size_t pos = 0;
  while (pos < tmpl.size()) {
    size_t open = tmpl.find('{', pos);
    if (open == std::string_view::npos) {
      out.append(tmpl.substr(pos));
      break;
    }
    out.append(tmpl.substr(pos, open - pos));
    if (open + 1 == tmpl.size()) return std::nullopt;  // a lone '{' at the end
    if (tmpl[open + 1] == '{') {
      out.push_back('{');
      pos = open + 2;
      continue;
    }
    size_t close = tmpl.find('}', open + 1);
    if (close == std::string_view::npos) return std::nullopt;
    if (!AppendVariable(tmpl.substr(open + 1, close - open - 1), title, vars, &out)) {
      return std::nullopt;
    }
    pos = close + 1;
  }
  // Spaces around an empty {server-mode} (the default template) must not show.
  size_t first = out.find_first_not_of(' ');
  if (first == std::string::npos) return std::string();
  size_t last = out.find_last_not_of(' ');
  return out.substr(first, last - first + 1);
}

bool ValidProcTitleTemplate(std::string_view tmpl, const ProcTitleVars& vars) {
  std::optional<std::string> expanded = ExpandProcTitleTemplate(tmpl, "", vars);
  return expanded.has_value() && !expanded->empty();
}

void InitProcTitle(int argc, char** argv) {
  if (argc < 1 || argv == nullptr || argv[0] == nullptr || g_area.base != nullptr) return;
  Argv0() = argv[0];
#ifndef __linux__
  return;  // only Linux reads the command line back from this memory
#endif
  char* base = argv[0];
  char* end = base;
  ExtendOver(argv, static_cast<size_t>(argc), &end);
  char* arg_end = end;
  size_t envc = 0;
  while (environ != nullptr && environ[envc] != nullptr) ++envc;
  ExtendOver(environ, envc, &end);

  // Move everything that lives in the area before it gets overwritten. The copies are
  // never freed: argv and environ stay in use for the life of the process.
  char** new_environ = static_cast<char**>(std::malloc((envc + 1) * sizeof(char*)));
  if (new_environ == nullptr) return;
  for (size_t i = 0; i < envc; ++i) {
    new_environ[i] = CopyString(environ[i]);
    if (new_environ[i] == nullptr) return;  // environ untouched: no title, nothing broken
  }
  new_environ[envc] = nullptr;
  environ = new_environ;
  for (int i = 0; i < argc; ++i) {
    if (argv[i] == nullptr) continue;
    char* copy = CopyString(argv[i]);
    if (copy == nullptr) return;  // the area is not claimed, so the originals stay valid
    argv[i] = copy;
  }
#ifdef __GLIBC__
  // glibc's error messages print these; they point into argv[0]'s string.
  program_invocation_name = CopyString(program_invocation_name);
  program_invocation_short_name = CopyString(program_invocation_short_name);
#endif
  g_area = TitleArea{base, end, arg_end};
}

const std::string& ProcTitleArgv0() { return Argv0(); }

bool SetProcTitle(std::string_view title) {
  if (g_area.base == nullptr) return false;
  size_t room = static_cast<size_t>(g_area.end - g_area.base);
  size_t len = std::min({title.size(), kMaxTitleLen, room - 1});
  std::memset(g_area.base, 0, room);
  std::memcpy(g_area.base, title.data(), len);
  // The kernel shows all of [argv start, arg_end) (trailing NULs included) unless the last
  // byte of that range is non-zero, in which case it shows one string up to its NUL. Mark
  // that byte when the title ends before it, so cmdline holds exactly the title.
  char* title_nul = g_area.base + len;
  if (title_nul < g_area.arg_end - 1) g_area.arg_end[-1] = '.';
  return true;
}

bool SetServerProcTitle(std::string_view tmpl, const ProcTitleVars& vars) {
  std::optional<std::string> title = ExpandProcTitleTemplate(tmpl, ProcTitleArgv0(), vars);
  if (!title) return false;
  SetProcTitle(*title);
  return true;
}

}  // namespace basalt
