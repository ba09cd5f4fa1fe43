#include "scripting/script_cache.h"

#include "util/sha1.h"

namespace basalt {

const CachedScript* ScriptCache::Find(std::string_view sha) const {
  auto it = scripts_.find(std::string(sha));
  return it == scripts_.end() ? nullptr : &it->second;
}

void ScriptCache::Add(std::string sha, CachedScript script) {
  memory_ += sha.size() + script.body.size();
  scripts_.emplace(std::move(sha), std::move(script));
}

void ScriptCache::Clear() {
  scripts_.clear();
  memory_ = 0;
}

std::string ScriptSha(std::string_view body) { return Sha1::Hex(Sha1::Of(body)); }

}  // namespace basalt
