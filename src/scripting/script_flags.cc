#include "scripting/script_flags.h"

#include <strings.h>

#include <optional>
#include <vector>

#include "util/split_args.h"

namespace basalt {

uint32_t ScriptFlagByName(std::string_view name, bool nocase) {
  for (const ScriptFlagName& f : kScriptFlagNames) {
    std::string_view n(f.name);
    if (n.size() != name.size()) continue;
    if (nocase ? strncasecmp(n.data(), name.data(), n.size()) == 0 : n == name) return f.flag;
  }
  return 0;
}

EvalShebang ParseEvalShebang(std::string_view body) {
  EvalShebang out;
  if (body.substr(0, 2) != "#!") return out;
  auto fail = [&out](std::string error) {
    out.ok = false;
    out.error = std::move(error);
    return out;
  };
  size_t eol = body.find('\n');
  if (eol == std::string_view::npos) return fail("Invalid script shebang");
  out.length = eol;
  std::optional<std::vector<std::string>> parts = SplitArgs(body.substr(0, eol));
  if (!parts || parts->empty()) return fail("Invalid engine in script shebang");
  if ((*parts)[0] != "#!lua") return fail("Unexpected engine in script shebang: " + (*parts)[0]);
  out.flags = 0;
  for (size_t i = 1; i < parts->size(); ++i) {
    std::string_view part = (*parts)[i];
    if (part.substr(0, 6) != "flags=") return fail("Unknown lua shebang option: " + (*parts)[i]);
    part.remove_prefix(6);
    // Split on ',' keeping empty items, as sdssplitlen: "flags=" alone declares no flags.
    if (part.empty()) continue;
    size_t start = 0;
    while (true) {
      size_t comma = part.find(',', start);
      std::string_view flag = part.substr(start, comma == std::string_view::npos
                                                     ? std::string_view::npos
                                                     : comma - start);
      uint32_t f = ScriptFlagByName(flag, false);
      if (f == 0) return fail("Unexpected flag in script shebang: " + std::string(flag));
      out.flags |= f;
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

LibraryShebang ParseLibraryShebang(std::string_view payload) {
  LibraryShebang out;
  if (payload.substr(0, 2) != "#!") {
    out.error = "Missing library metadata";
    return out;
  }
  size_t eol = payload.find('\n');
  if (eol == std::string_view::npos) {
    out.error = "Invalid library metadata";
    return out;
  }
  std::optional<std::vector<std::string>> parts = SplitArgs(payload.substr(0, eol));
  if (!parts || parts->empty()) {
    out.error = "Invalid library metadata";
    return out;
  }
  out.engine = (*parts)[0].substr(2);
  bool have_name = false;
  for (size_t i = 1; i < parts->size(); ++i) {
    const std::string& part = (*parts)[i];
    if (part.size() >= 5 && strncasecmp(part.data(), "name=", 5) == 0) {
      if (have_name) {
        out.error = "Invalid metadata value, name argument was given multiple times";
        return out;
      }
      have_name = true;
      out.name = part.substr(5);
      continue;
    }
    out.error = "Invalid metadata value given: " + part;
    return out;
  }
  if (!have_name) {
    out.error = "Library name was not given";
    return out;
  }
  out.code = std::string(payload.substr(eol));
  out.ok = true;
  return out;
}

bool IsValidFunctionName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace basalt
