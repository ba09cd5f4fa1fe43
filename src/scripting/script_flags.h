// Script flags: what a script or function declares it does (`#!lua flags=no-writes,...` for
// EVAL, the `flags` table of redis.register_function), and the shebang parsers that read them.
//
// A script without a shebang runs in "eval compat mode" (kScriptEvalCompat): Redis 7.0
// judges it by what it does (a write inside EVAL_RO fails at the write) rather than by what
// it declares (a shebang script without no-writes is refused by EVAL_RO before it runs).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace basalt {

enum ScriptFlag : uint32_t {
  kScriptNoWrites = 1u << 0,
  kScriptAllowOom = 1u << 1,
  kScriptAllowStale = 1u << 2,
  kScriptNoCluster = 1u << 3,
  kScriptAllowCrossSlot = 1u << 4,
  kScriptEvalCompat = 1u << 5,  // no shebang: not a user flag
};

struct ScriptFlagName {
  ScriptFlag flag;
  const char* name;
};
// The user flags in Redis's order (FUNCTION LIST prints them in this order).
inline constexpr ScriptFlagName kScriptFlagNames[] = {
    {kScriptNoWrites, "no-writes"},        {kScriptAllowOom, "allow-oom"},
    {kScriptAllowStale, "allow-stale"},    {kScriptNoCluster, "no-cluster"},
    {kScriptAllowCrossSlot, "allow-cross-slot-keys"},
};

// The flag called `name` (exact, or any case when `nocase`), or 0.
uint32_t ScriptFlagByName(std::string_view name, bool nocase);

// The first line of an EVAL body when it starts with "#!": its flags and the length of the
// line (without its '\n', which the compiled body keeps so line numbers stay right).
struct EvalShebang {
  bool ok = true;
  uint32_t flags = kScriptEvalCompat;
  size_t length = 0;
  std::string error;  // Redis's text, without "ERR "
};
EvalShebang ParseEvalShebang(std::string_view body);

// The first line of a FUNCTION LOAD payload: "#!<engine> name=<library>".
struct LibraryShebang {
  bool ok = false;
  std::string engine;
  std::string name;
  std::string code;  // the payload after the shebang line, starting at its '\n'
  std::string error;
};
LibraryShebang ParseLibraryShebang(std::string_view payload);

// Library and function names: letters, digits and '_', at least one.
bool IsValidFunctionName(std::string_view name);

}  // namespace basalt
