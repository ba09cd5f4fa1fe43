// ScriptCache: the EVAL scripts the server knows, by SHA1 of their body (Redis's
// lctx.lua_scripts): what EVALSHA and SCRIPT EXISTS look up. The compiled function of each
// lives in the eval Lua state's registry as "f_<sha>"; the cache keeps the body and flags.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace basalt {

struct CachedScript {
  std::string body;
  uint32_t flags = 0;  // ScriptFlag, from the shebang
};

class ScriptCache {
 public:
  // `sha` in lower-case hex; nullptr when unknown.
  const CachedScript* Find(std::string_view sha) const;
  void Add(std::string sha, CachedScript script);
  void Clear();
  size_t size() const { return scripts_.size(); }
  // Bytes held by bodies and keys (INFO used_memory_scripts_eval).
  size_t memory() const { return memory_; }

 private:
  std::unordered_map<std::string, CachedScript> scripts_;
  size_t memory_ = 0;
};

// Lower-case hex SHA1 of `body` (40 characters), the id EVALSHA takes.
std::string ScriptSha(std::string_view body);

}  // namespace basalt
