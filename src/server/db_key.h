// DbKey: a key name in one numbered database, the unit that blocked clients (blocking.h) and
// WATCHed keys (watch.h) are registered under.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace basalt {

struct DbKey {
  int db;
  std::string key;
  bool operator==(const DbKey&) const = default;
};

struct DbKeyHash {
  size_t operator()(const DbKey& k) const {
    return std::hash<std::string_view>()(k.key) ^ (static_cast<size_t>(k.db) * 0x9e3779b97f4a7c15ULL);
  }
};

}  // namespace basalt
