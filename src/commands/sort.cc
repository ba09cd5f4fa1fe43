// SORT and SORT_RO: sort the elements of a list, set or sorted set, numerically or
// lexicographically, optionally by external keys (BY pattern), projecting external keys
// (GET pattern), with LIMIT and STORE.
//
// Semantics follow Redis 7.0's sort.c, including its corner cases:
//   - BY with a pattern without '*' (e.g. BY nosort) means "don't sort": lists and sorted sets
//     keep their order (reversed by DESC) and LIMIT selects a range directly; sets come in
//     table order, except with STORE, where they are sorted lexicographically so that the
//     stored result is deterministic (Redis does the same for scripts).
//   - Numeric sorting reads values with strtod (so " 1", "0x10" and "" are numbers); a value
//     that is not a number fails the whole command. A BY key that is missing weighs 0 (or, in
//     ALPHA mode, sorts before every present one). Equal weights order by the element's bytes.
//   - ALPHA compares with strcoll (the server's LC_COLLATE) when replying, and byte-wise when
//     storing, as Redis does.
//   - Patterns: '*' is replaced by the element; "key->field" reads a hash field; "#" (GET #)
//     is the element itself; a pattern without '*' reads nothing.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "commands/keyspace_events.h"
#include "commands/registry.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "types/hash.h"
#include "types/list.h"
#include "types/set.h"
#include "types/zset.h"

namespace basalt {

namespace {

struct SortOptions {
  bool desc = false;
  bool alpha = false;
  bool dont_sort = false;
  std::optional<std::string_view> by;
  std::vector<std::string_view> get_patterns;
  std::optional<std::string_view> store;
  int64_t limit_start = 0;
  int64_t limit_count = -1;
};

// Parses SORT's options from argv[2] on. Replies the error and returns nullopt on a bad one.
std::optional<SortOptions> ParseSortOptions(CommandContext& ctx, bool read_only) {
  SortOptions opts;
  for (size_t j = 2; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.argv[j];
    const size_t left = ctx.argc() - j - 1;
    if (EqualsIgnoreCase(opt, "asc")) {
      opts.desc = false;
    } else if (EqualsIgnoreCase(opt, "desc")) {
      opts.desc = true;
    } else if (EqualsIgnoreCase(opt, "alpha")) {
      opts.alpha = true;
    } else if (EqualsIgnoreCase(opt, "limit") && left >= 2) {
      std::optional<int64_t> start = ParseInt64(ctx.argv[j + 1]);
      std::optional<int64_t> count = ParseInt64(ctx.argv[j + 2]);
      if (!start || !count) {
        ctx.Error(kErrNotInteger);
        return std::nullopt;
      }
      opts.limit_start = *start;
      opts.limit_count = *count;
      j += 2;
    } else if (!read_only && EqualsIgnoreCase(opt, "store") && left >= 1) {
      opts.store = ctx.argv[++j];
    } else if (EqualsIgnoreCase(opt, "by") && left >= 1) {
      opts.by = ctx.argv[++j];
      // A pattern that names no element-specific key cannot order anything.
      if (opts.by->find('*') == std::string_view::npos) opts.dont_sort = true;
    } else if (EqualsIgnoreCase(opt, "get") && left >= 1) {
      opts.get_patterns.push_back(ctx.argv[++j]);
    } else {
      ctx.Error(kErrSyntax);
      return std::nullopt;
    }
  }
  return opts;
}

// Redis's lookupKeyByPattern: the string (or hash field) that `pattern` names for `element`.
std::optional<std::string> LookupByPattern(CommandContext& ctx, std::string_view pattern,
                                           std::string_view element) {
  if (pattern == "#") return std::string(element);
  const size_t star = pattern.find('*');
  if (star == std::string_view::npos) return std::nullopt;
  // "->" after the '*' followed by at least one byte selects a hash field.
  std::string_view field;
  std::string_view key_pattern = pattern;
  const size_t arrow = pattern.find("->", star + 1);
  if (arrow != std::string_view::npos && arrow + 2 < pattern.size()) {
    field = pattern.substr(arrow + 2);
    key_pattern = pattern.substr(0, arrow);
  }
  std::string key;
  key.reserve(key_pattern.size() + element.size());
  key.append(key_pattern.substr(0, star)).append(element).append(key_pattern.substr(star + 1));

  DbEntry* e = ctx.LookupRead(key);
  if (e == nullptr) return std::nullopt;
  if (!field.empty()) {
    if (e->value.type() != ValueType::kHash) return std::nullopt;
    return HashGet(e->value, field);
  }
  if (e->value.type() != ValueType::kString) return std::nullopt;
  char scratch[kInt64StrLen];
  return std::string(e->value.StringView(scratch));
}

// The elements to sort, in the collection's own order; with `dont_sort`, lists are read
// only in [start, start + count) from the end DESC starts at.
std::vector<std::string> LoadElements(const Value& v, bool dont_sort, bool desc, int64_t start,
                                      int64_t count) {
  std::vector<std::string> out;
  switch (v.type()) {
    case ValueType::kList:
      if (dont_sort) {
        if (count <= 0) break;
        const int64_t first = desc ? static_cast<int64_t>(ListLength(v)) - start - 1 : start;
        out.reserve(static_cast<size_t>(count));
        for (ListIterator it(v, first, /*forward=*/!desc);
             !it.Done() && static_cast<int64_t>(out.size()) < count; it.Advance()) {
          out.push_back(it.Get().ToString());
        }
      } else {
        out.reserve(ListLength(v));
        ForEachListElement(v, [&](const ListpackEntry& e) { out.push_back(e.ToString()); });
      }
      break;
    case ValueType::kSet:
      out.reserve(SetSize(v));
      ForEachSetMember(v, [&](std::string_view m) { out.emplace_back(m); });
      break;
    case ValueType::kZSet: {
      const size_t size = ZSetSize(v);
      RankSpan span{0, size};
      if (dont_sort) {
        // As lists: the rank range [start, start + count) counted from the end DESC starts at.
        if (count <= 0 || start < 0 || static_cast<size_t>(start) >= size) break;
        const size_t n = std::min(static_cast<size_t>(count), size - static_cast<size_t>(start));
        const size_t first = desc ? size - static_cast<size_t>(start) - n
                                  : static_cast<size_t>(start);
        span = RankSpan{first, first + n};
      }
      out.reserve(span.size());
      ZSetVisitSpan(v, span, /*reverse=*/dont_sort && desc, [&](std::string_view m, double) {
        out.emplace_back(m);
        return true;
      });
      break;
    }
    default:
      break;  // other types were refused with WRONGTYPE
  }
  return out;
}

int64_t CollectionLength(const Value& v) {
  switch (v.type()) {
    case ValueType::kList: return static_cast<int64_t>(ListLength(v));
    case ValueType::kSet: return static_cast<int64_t>(SetSize(v));
    case ValueType::kZSet: return static_cast<int64_t>(ZSetSize(v));
    default: return 0;
  }
}

struct SortItem {
  std::string element;
  double score = 0;                   // numeric weight
  std::optional<std::string> weight;  // ALPHA with BY: the external string, if found
};

// Redis's strtod check: the whole text is a double, without overflow, not NaN.
std::optional<double> ParseSortScore(const std::string& text) {
  errno = 0;
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (*end != '\0' || errno == ERANGE || std::isnan(d)) return std::nullopt;
  return d;
}

// The comparison of Redis's sortCompare (before DESC is applied).
int CompareItems(const SortItem& a, const SortItem& b, const SortOptions& opts) {
  auto bytes_cmp = [](std::string_view x, std::string_view y) { return x.compare(y); };
  // Replies collate in the server's locale; stored results compare bytes (Redis's choice,
  // so that a replica computes the same list).
  auto alpha_cmp = [&](const std::string& x, const std::string& y) {
    return opts.store ? bytes_cmp(x, y) : std::strcoll(x.c_str(), y.c_str());
  };
  if (!opts.alpha) {
    if (a.score != b.score) return a.score < b.score ? -1 : 1;
    return bytes_cmp(a.element, b.element);
  }
  if (opts.by) {
    if (!a.weight || !b.weight) {
      if (!a.weight && !b.weight) return 0;
      return !a.weight ? -1 : 1;
    }
    return alpha_cmp(*a.weight, *b.weight);
  }
  return alpha_cmp(a.element, b.element);
}

void SortGeneric(CommandContext& ctx, bool read_only) {
  std::optional<SortOptions> parsed = ParseSortOptions(ctx, read_only);
  if (!parsed) return;
  SortOptions& opts = *parsed;

  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e != nullptr && e->value.type() != ValueType::kList &&
      e->value.type() != ValueType::kSet && e->value.type() != ValueType::kZSet) {
    return ctx.Error(kErrWrongType);
  }
  // A set read unsorted comes in table order; a stored result, or one a script sees, must
  // not depend on it.
  if (e != nullptr && opts.dont_sort && e->value.type() == ValueType::kSet &&
      (opts.store || ctx.client.is_script)) {
    opts.dont_sort = false;
    opts.alpha = true;
    opts.by.reset();
  }

  // LIMIT, clamped as Redis does: [start, end] inclusive, possibly empty.
  const int64_t length = e != nullptr ? CollectionLength(e->value) : 0;
  int64_t start = opts.limit_start < 0 ? 0 : opts.limit_start;
  int64_t end = opts.limit_count < 0 ? length - 1 : start + opts.limit_count - 1;
  if (start >= length) {
    start = length - 1;
    end = length - 2;
  }
  if (end >= length) end = length - 1;

  std::vector<SortItem> items;
  const bool direct_range =
      e != nullptr && opts.dont_sort &&
      (e->value.type() == ValueType::kList || e->value.type() == ValueType::kZSet);
  if (e != nullptr) {
    std::vector<std::string> elements =
        LoadElements(e->value, opts.dont_sort, opts.desc, start, end - start + 1);
    items.reserve(elements.size());
    for (std::string& el : elements) items.push_back(SortItem{.element = std::move(el)});
  }
  if (direct_range) {
    // The range was applied while loading.
    end -= start;
    start = 0;
  }

  if (!opts.dont_sort) {
    for (SortItem& item : items) {
      std::optional<std::string> by_value;
      if (opts.by) {
        by_value = LookupByPattern(ctx, *opts.by, item.element);
        if (!by_value) continue;  // weighs 0 / sorts first
      }
      if (opts.alpha) {
        if (opts.by) item.weight = std::move(by_value);
      } else {
        std::optional<double> score = ParseSortScore(by_value ? *by_value : item.element);
        if (!score) return ctx.Error("ERR One or more scores can't be converted into double");
        item.score = *score;
      }
    }
    auto less = [&](const SortItem& a, const SortItem& b) {
      int cmp = CompareItems(a, b, opts);
      return opts.desc ? cmp > 0 : cmp < 0;
    };
    std::sort(items.begin(), items.end(), less);
  }

  const int64_t selected = end >= start ? end - start + 1 : 0;
  const int64_t per_element =
      opts.get_patterns.empty() ? 1 : static_cast<int64_t>(opts.get_patterns.size());
  const int64_t output_len = selected * per_element;

  if (!opts.store) {
    ctx.reply.ArrayHeader(output_len);
    for (int64_t j = start; j <= end; ++j) {
      const std::string& element = items[static_cast<size_t>(j)].element;
      if (opts.get_patterns.empty()) ctx.reply.Bulk(element);
      for (std::string_view pattern : opts.get_patterns) {
        std::optional<std::string> v = LookupByPattern(ctx, pattern, element);
        if (v) {
          ctx.reply.Bulk(*v);
        } else {
          ctx.reply.Null();
        }
      }
    }
    return;
  }

  std::vector<std::string> output;
  output.reserve(static_cast<size_t>(output_len));
  for (int64_t j = start; j <= end; ++j) {
    std::string& element = items[static_cast<size_t>(j)].element;
    if (opts.get_patterns.empty()) output.push_back(std::move(element));
    for (std::string_view pattern : opts.get_patterns) {
      output.push_back(LookupByPattern(ctx, pattern, element).value_or(std::string()));
    }
  }
  const std::string_view dest = *opts.store;
  if (!output.empty()) {
    const ServerConfig& cfg = ctx.server.config();
    Value list = MakeList(output, ListConfig{.max_listpack_size = cfg.list_max_listpack_size,
                                             .compress_depth = cfg.list_compress_depth});
    list.set_lru(static_cast<uint32_t>(ctx.server.lru_clock()));
    ctx.db().Set(dest, std::move(list), ctx.now_ms());
    ctx.SignalKeyReady(dest);
    ctx.AddDirty(static_cast<uint64_t>(output.size()));
  } else if (ctx.db().Delete(dest)) {
    ctx.AddDirty();
    ctx.NotifyInstead(kEvDel, dest);
  }
  ctx.reply.Integer(output_len);
}

void Sort(CommandContext& ctx) { SortGeneric(ctx, /*read_only=*/false); }
void SortRo(CommandContext& ctx) { SortGeneric(ctx, /*read_only=*/true); }

// SORT's keys for COMMAND GETKEYS: the sorted key, and the STORE destination if any (Redis's
// sortGetKeys skips the arguments of the options it knows, so "GET store" is not a STORE).
std::vector<int> SortKeys(std::span<const std::string_view> argv) {
  std::vector<int> keys = {1};
  for (size_t j = 2; j < argv.size(); ++j) {
    std::string_view opt = argv[j];
    if (EqualsIgnoreCase(opt, "limit")) {
      j += 2;
    } else if (EqualsIgnoreCase(opt, "get") || EqualsIgnoreCase(opt, "by")) {
      j += 1;
    } else if (EqualsIgnoreCase(opt, "store") && j + 1 < argv.size()) {
      // The last STORE wins, as in SortGeneric. Like Redis, the scan does not skip the
      // destination, so it is read as an option name too.
      if (keys.size() == 2) keys.pop_back();
      keys.push_back(static_cast<int>(j + 1));
    }
  }
  return keys;
}

}  // namespace

void RegisterSortCommands(CommandTable& table) {
  constexpr uint64_t kAcl = kAclSet | kAclSortedSet | kAclList | kAclDangerous;
  constexpr const char* kComplexity =
      "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the "
      "number of returned elements. When the elements are not sorted, complexity is O(N).";
  table.Register({.name = "sort", .arity = -2,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdMovableKeys, .keys = {1, 1, 1},
                  .acl = kAcl, .group = "generic", .since = "1.0.0",
                  .summary = "Sort the elements in a list, set or sorted set",
                  .complexity = kComplexity, .handler = Sort, .find_keys = SortKeys,
                  .written_keys = WrittenKeys::kLast});
  table.Register({.name = "sort_ro", .arity = -2, .flags = kCmdReadOnly | kCmdMovableKeys,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "generic", .since = "7.0.0",
                  .summary = "Sort the elements in a list, set or sorted set. Read-only variant "
                             "of SORT.",
                  .complexity = kComplexity, .handler = SortRo});
}

}  // namespace basalt
