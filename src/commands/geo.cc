// GEO commands: GEOADD, GEOPOS, GEODIST, GEOHASH, GEOSEARCH, GEOSEARCHSTORE, GEORADIUS,
// GEORADIUSBYMEMBER, GEORADIUS_RO, GEORADIUSBYMEMBER_RO.
//
// A GEO set is a sorted set whose scores are 52-bit geohashes (types/geohash.h); these
// handlers are glue between the sorted-set API (types/zset.h) and the geohash math, with
// Redis 7.0's argument order, error texts and reply shapes (geo.c):
//   - distances print with 4 fixed decimals (bulk strings, even in RESP3); coordinates with
//     Redis's "human" long double form (bulk in RESP2, doubles in RESP3);
//   - errors come in the order Redis finds them: the source key's type first, then the
//     arguments left to right, then the option combinations;
//   - the STORE forms count one dirty change per stored member, as Redis.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "commands/keyspace_events.h"
#include "commands/registry.h"
#include "commands/zset_family.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "types/geohash.h"
#include "types/zset.h"
#include "util/strconv.h"

namespace basalt {

namespace {

constexpr std::string_view kErrUnit = "ERR unsupported unit provided. please use M, KM, FT, MI";
constexpr std::string_view kErrDecodeMember = "ERR could not decode requested zset member";

bool EqualsNoCase(std::string_view a, std::string_view b) { return EqualsIgnoreCase(a, b); }

// getDoubleFromObjectOrReply: `error` replaces the generic "not a valid float" text.
std::optional<double> ParseDoubleOrReply(CommandContext& ctx, std::string_view arg,
                                         std::string_view error = kErrNotFloat) {
  std::optional<double> v = ParseDouble(arg);
  if (!v) ctx.Error(error);
  return v;
}

// extractLongLatOrReply: longitude then latitude, each a float, together within the limits.
std::optional<GeoLonLat> ParseLonLatOrReply(CommandContext& ctx, std::string_view lon_arg,
                                            std::string_view lat_arg) {
  std::optional<double> lon = ParseDoubleOrReply(ctx, lon_arg);
  if (!lon) return std::nullopt;
  std::optional<double> lat = ParseDoubleOrReply(ctx, lat_arg);
  if (!lat) return std::nullopt;
  if (!GeoValidLonLat(*lon, *lat)) {
    char buf[128];
    std::snprintf(buf, sizeof(buf), "ERR invalid longitude,latitude pair %f,%f", *lon, *lat);
    ctx.Error(buf);
    return std::nullopt;
  }
  return GeoLonLat{*lon, *lat};
}

std::optional<double> ParseUnitOrReply(CommandContext& ctx, std::string_view unit) {
  std::optional<double> to_meters = GeoUnitToMeters(unit);
  if (!to_meters) ctx.Error(kErrUnit);
  return to_meters;
}

// extractDistanceOrReply: "<radius> <unit>" into the shape.
bool ParseRadiusOrReply(CommandContext& ctx, std::string_view radius_arg, std::string_view unit_arg,
                        GeoShape* shape) {
  std::optional<double> radius = ParseDoubleOrReply(ctx, radius_arg, "ERR need numeric radius");
  if (!radius) return false;
  if (*radius < 0) {
    ctx.Error("ERR radius cannot be negative");
    return false;
  }
  std::optional<double> to_meters = ParseUnitOrReply(ctx, unit_arg);
  if (!to_meters) return false;
  shape->kind = GeoShape::Kind::kCircle;
  shape->radius = *radius;
  shape->conversion = *to_meters;
  return true;
}

// extractBoxOrReply: "<width> <height> <unit>" into the shape.
bool ParseBoxOrReply(CommandContext& ctx, std::string_view width_arg, std::string_view height_arg,
                     std::string_view unit_arg, GeoShape* shape) {
  std::optional<double> width = ParseDoubleOrReply(ctx, width_arg, "ERR need numeric width");
  if (!width) return false;
  std::optional<double> height = ParseDoubleOrReply(ctx, height_arg, "ERR need numeric height");
  if (!height) return false;
  if (*height < 0 || *width < 0) {
    ctx.Error("ERR height or width cannot be negative");
    return false;
  }
  std::optional<double> to_meters = ParseUnitOrReply(ctx, unit_arg);
  if (!to_meters) return false;
  shape->kind = GeoShape::Kind::kBox;
  shape->width = *width;
  shape->height = *height;
  shape->conversion = *to_meters;
  return true;
}

// The decoded position of a member, nullopt if it is not in the set.
std::optional<GeoLonLat> MemberPosition(const Value& zset, std::string_view member) {
  std::optional<double> score = ZSetScore(zset, member);
  if (!score) return std::nullopt;
  return GeoDecodeScore(*score);
}

// addReplyHumanLongDouble: a bulk string in RESP2, a double in RESP3, same digits.
void ReplyCoordinate(CommandContext& ctx, double v) {
  std::string text = FormatLongDouble(static_cast<long double>(v), /*human=*/true);
  if (ctx.reply.resp() >= 3) {
    ctx.reply.Raw("," + text + "\r\n");
  } else {
    ctx.reply.Bulk(text);
  }
}

// The sorted-set walk GeoCollect needs: members with min <= score < max.
GeoRangeScanner ScannerOf(const Value& zset) {
  return [&zset](double min, double max, const GeoVisitor& visit) {
    ScoreRange range{min, max, /*min_exclusive=*/false, /*max_exclusive=*/true};
    RankSpan span = ZSetScoreSpan(zset, range);
    if (span.empty()) return;
    ZSetVisitSpan(zset, span, /*reverse=*/false, visit);
  };
}

// --- GEOADD ----------------------------------------------------------------------------------

// GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]
void GeoAdd(CommandContext& ctx) {
  bool nx = false, xx = false, ch = false;
  size_t first = 2;
  for (; first < ctx.argc(); ++first) {
    std::string_view opt = ctx.argv[first];
    if (EqualsNoCase(opt, "nx")) {
      nx = true;
    } else if (EqualsNoCase(opt, "xx")) {
      xx = true;
    } else if (EqualsNoCase(opt, "ch")) {
      ch = true;
    } else {
      break;
    }
  }
  const size_t elements = (ctx.argc() - first) / 3;
  if ((ctx.argc() - first) % 3 != 0 || (nx && xx) || elements == 0) return ctx.Error(kErrSyntax);

  std::vector<uint64_t> scores(elements);
  for (size_t i = 0; i < elements; ++i) {
    std::optional<GeoLonLat> p =
        ParseLonLatOrReply(ctx, ctx.argv[first + 3 * i], ctx.argv[first + 3 * i + 1]);
    if (!p) return;
    scores[i] = GeoScoreOf(p->lon, p->lat);
  }

  // From here on this is ZADD key [NX|XX] [CH] score member ...
  std::string_view key = ctx.argv[1];
  DbEntry* e = ctx.LookupWrite(key);
  if (e != nullptr && !ctx.CheckType(e, ValueType::kZSet)) return;
  if (e == nullptr) {
    if (xx) return ctx.reply.Integer(0);
    // Redis 7.0's ZADD sizes a new set by its first member only.
    Value v = NewZSet(1, ctx.argv[first + 2].size(), ZSetLimitsOf(ctx));
    v.set_lru(static_cast<uint32_t>(ctx.server.lru_clock()));
    e = ctx.db().Add(key, std::move(v));
  }
  const ZSetLimits limits = ZSetLimitsOf(ctx);
  const int flags = nx ? kZAddNx : xx ? kZAddXx : kZAddNone;
  int64_t added = 0, updated = 0;
  for (size_t i = 0; i < elements; ++i) {
    ZAddResult r = ZSetAdd(e->value, static_cast<double>(scores[i]), ctx.argv[first + 3 * i + 2],
                           flags, limits);
    if (r.outcome == ZAddOutcome::kAdded) ++added;
    if (r.outcome == ZAddOutcome::kUpdated) ++updated;
  }
  ctx.AddDirty(static_cast<uint64_t>(added + updated));
  if (added > 0) ctx.SignalKeyReady(key);
  ctx.reply.Integer(ch ? added + updated : added);
}

// --- GEOPOS, GEOHASH, GEODIST ----------------------------------------------------------------

// Looks up a GEO set for reading: false (after replying WRONGTYPE) on another type; *zset
// is nullptr when the key does not exist.
bool LookupGeoSet(CommandContext& ctx, std::string_view key, const Value** zset) {
  DbEntry* e = ctx.LookupRead(key);
  *zset = nullptr;
  if (e == nullptr) return true;
  if (!ctx.CheckType(e, ValueType::kZSet)) return false;
  *zset = &e->value;
  return true;
}

// GEOPOS key [member ...]
void GeoPos(CommandContext& ctx) {
  const Value* zset;
  if (!LookupGeoSet(ctx, ctx.argv[1], &zset)) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    std::optional<GeoLonLat> p = zset ? MemberPosition(*zset, ctx.argv[i]) : std::nullopt;
    if (!p) {
      ctx.reply.NullArray();
      continue;
    }
    ctx.reply.ArrayHeader(2);
    ReplyCoordinate(ctx, p->lon);
    ReplyCoordinate(ctx, p->lat);
  }
}

// GEOHASH key [member ...]
void GeoHash(CommandContext& ctx) {
  const Value* zset;
  if (!LookupGeoSet(ctx, ctx.argv[1], &zset)) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    std::optional<double> score = zset ? ZSetScore(*zset, ctx.argv[i]) : std::nullopt;
    if (!score) {
      ctx.reply.Null();
      continue;
    }
    ctx.reply.Bulk(GeoHashString(*score));
  }
}

// GEODIST key member1 member2 [M|KM|FT|MI]
void GeoDist(CommandContext& ctx) {
  double to_meters = 1;
  if (ctx.argc() == 5) {
    std::optional<double> unit = ParseUnitOrReply(ctx, ctx.argv[4]);
    if (!unit) return;
    to_meters = *unit;
  } else if (ctx.argc() > 5) {
    return ctx.Error(kErrSyntax);
  }
  const Value* zset;
  if (!LookupGeoSet(ctx, ctx.argv[1], &zset)) return;
  if (zset == nullptr) return ctx.reply.Null();
  std::optional<GeoLonLat> a = MemberPosition(*zset, ctx.argv[2]);
  std::optional<GeoLonLat> b = a ? MemberPosition(*zset, ctx.argv[3]) : std::nullopt;
  if (!a || !b) return ctx.reply.Null();
  ctx.reply.Bulk(GeoFormatDistance(GeoDistance(a->lon, a->lat, b->lon, b->lat) / to_meters));
}

// --- GEOSEARCH and the GEORADIUS family ------------------------------------------------------

enum SearchFlags : int {
  kFromCoords = 1 << 0,   // GEORADIUS: longitude latitude radius unit
  kFromMember = 1 << 1,   // GEORADIUSBYMEMBER: member radius unit
  kNoStore = 1 << 2,      // the _RO variants: no STORE/STOREDIST
  kSearch = 1 << 3,       // GEOSEARCH syntax (FROM*/BY* options)
  kSearchStore = 1 << 4,  // GEOSEARCHSTORE: destination first, STOREDIST without a key
};

enum class SortOrder { kNone, kAsc, kDesc };

// georadiusGeneric: every search command, `src_index` being the source key's position.
void GeoSearchGeneric(CommandContext& ctx, size_t src_index, int flags) {
  const Value* zset;
  if (!LookupGeoSet(ctx, ctx.argv[src_index], &zset)) return;

  GeoShape shape;
  std::optional<std::string_view> store_key;
  bool store_dist = false;
  size_t base_args;
  if (flags & kFromCoords) {
    base_args = 6;
    std::optional<GeoLonLat> centre = ParseLonLatOrReply(ctx, ctx.argv[2], ctx.argv[3]);
    if (!centre) return;
    shape.centre = *centre;
    if (!ParseRadiusOrReply(ctx, ctx.argv[4], ctx.argv[5], &shape)) return;
  } else if (flags & kFromMember) {
    base_args = 5;
    // Without a source key Redis still parses the options (for the reply's shape), but not
    // the member or the radius.
    if (zset != nullptr) {
      std::optional<GeoLonLat> centre = MemberPosition(*zset, ctx.argv[2]);
      if (!centre) return ctx.Error(kErrDecodeMember);
      shape.centre = *centre;
      if (!ParseRadiusOrReply(ctx, ctx.argv[3], ctx.argv[4], &shape)) return;
    }
  } else {
    base_args = 2;
    if (flags & kSearchStore) {
      base_args = 3;
      store_key = ctx.argv[1];
    }
  }

  bool with_dist = false, with_hash = false, with_coord = false;
  bool from_member = false, from_lonlat = false, by_radius = false, by_box = false;
  bool any = false;
  SortOrder sort = SortOrder::kNone;
  int64_t count = 0;  // 0: unlimited
  const bool store_options = !(flags & kNoStore) && !(flags & kSearch);
  for (size_t i = base_args; i < ctx.argc(); ++i) {
    std::string_view arg = ctx.argv[i];
    const size_t left = ctx.argc() - i - 1;  // arguments after this one
    if (EqualsNoCase(arg, "withdist")) {
      with_dist = true;
    } else if (EqualsNoCase(arg, "withhash")) {
      with_hash = true;
    } else if (EqualsNoCase(arg, "withcoord")) {
      with_coord = true;
    } else if (EqualsNoCase(arg, "any")) {
      any = true;
    } else if (EqualsNoCase(arg, "asc")) {
      sort = SortOrder::kAsc;
    } else if (EqualsNoCase(arg, "desc")) {
      sort = SortOrder::kDesc;
    } else if (EqualsNoCase(arg, "count") && left >= 1) {
      std::optional<int64_t> n = ParseInt64(ctx.argv[i + 1]);
      if (!n) return ctx.Error(kErrNotInteger);
      if (*n <= 0) return ctx.Error("ERR COUNT must be > 0");
      count = *n;
      ++i;
    } else if (EqualsNoCase(arg, "store") && left >= 1 && store_options) {
      store_key = ctx.argv[i + 1];
      store_dist = false;
      ++i;
    } else if (EqualsNoCase(arg, "storedist") && left >= 1 && store_options) {
      store_key = ctx.argv[i + 1];
      store_dist = true;
      ++i;
    } else if (EqualsNoCase(arg, "storedist") && (flags & kSearch) && (flags & kSearchStore)) {
      store_dist = true;
    } else if (EqualsNoCase(arg, "frommember") && left >= 1 && (flags & kSearch) && !from_lonlat) {
      if (zset != nullptr) {
        std::optional<GeoLonLat> centre = MemberPosition(*zset, ctx.argv[i + 1]);
        if (!centre) return ctx.Error(kErrDecodeMember);
        shape.centre = *centre;
      }
      from_member = true;
      ++i;
    } else if (EqualsNoCase(arg, "fromlonlat") && left >= 2 && (flags & kSearch) && !from_member) {
      std::optional<GeoLonLat> centre = ParseLonLatOrReply(ctx, ctx.argv[i + 1], ctx.argv[i + 2]);
      if (!centre) return;
      shape.centre = *centre;
      from_lonlat = true;
      i += 2;
    } else if (EqualsNoCase(arg, "byradius") && left >= 2 && (flags & kSearch) && !by_box) {
      if (!ParseRadiusOrReply(ctx, ctx.argv[i + 1], ctx.argv[i + 2], &shape)) return;
      by_radius = true;
      i += 2;
    } else if (EqualsNoCase(arg, "bybox") && left >= 3 && (flags & kSearch) && !by_radius) {
      if (!ParseBoxOrReply(ctx, ctx.argv[i + 1], ctx.argv[i + 2], ctx.argv[i + 3], &shape)) {
        return;
      }
      by_box = true;
      i += 3;
    } else {
      return ctx.Error(kErrSyntax);
    }
  }

  if (store_key && (with_dist || with_hash || with_coord)) {
    return ctx.Error((flags & kSearchStore)
                         ? "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and "
                           "WITHCOORD options"
                         : "ERR STORE option in GEORADIUS is not compatible with WITHDIST, "
                           "WITHHASH and WITHCOORD options");
  }
  if ((flags & kSearch) && !(from_member || from_lonlat)) {
    return ctx.Error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " +
                     std::string(ctx.argv[0]));
  }
  if ((flags & kSearch) && !(by_radius || by_box)) {
    return ctx.Error("ERR exactly one of BYRADIUS and BYBOX can be specified for " +
                     std::string(ctx.argv[0]));
  }
  if (any && count == 0) return ctx.Error("ERR the ANY argument requires COUNT argument");

  if (zset == nullptr) {
    if (store_key) {
      if (ctx.db().Delete(*store_key)) {
        ctx.AddDirty();
        ctx.NotifyInstead(kEvDel, *store_key);
      }
      return ctx.reply.Integer(0);
    }
    return ctx.reply.EmptyArray();
  }

  // The nearest COUNT need the results sorted; ANY takes whichever were found first.
  if (count != 0 && sort == SortOrder::kNone && !any) sort = SortOrder::kAsc;

  std::vector<GeoMatch> matches =
      GeoCollect(shape, ScannerOf(*zset), any ? static_cast<size_t>(count) : 0);
  if (matches.empty() && !store_key) return ctx.reply.EmptyArray();

  size_t returned = matches.size();
  if (count != 0 && static_cast<uint64_t>(count) < returned) returned = static_cast<size_t>(count);
  if (sort != SortOrder::kNone) GeoSortMatches(&matches, sort == SortOrder::kDesc, returned);
  matches.resize(returned);

  if (!store_key) {
    const int64_t extras = int64_t{with_dist} + int64_t{with_hash} + int64_t{with_coord};
    ctx.reply.ArrayHeader(static_cast<int64_t>(returned));
    for (const GeoMatch& m : matches) {
      if (extras > 0) ctx.reply.ArrayHeader(extras + 1);
      ctx.reply.Bulk(m.member);
      if (with_dist) ctx.reply.Bulk(GeoFormatDistance(m.dist / shape.conversion));
      if (with_hash) ctx.reply.Integer(static_cast<int64_t>(m.score));
      if (with_coord) {
        ctx.reply.ArrayHeader(2);
        ReplyCoordinate(ctx, m.point.lon);
        ReplyCoordinate(ctx, m.point.lat);
      }
    }
    return;
  }

  if (returned == 0) {
    if (ctx.db().Delete(*store_key)) {
      ctx.AddDirty();
      ctx.NotifyInstead(kEvDel, *store_key);
    }
    return ctx.reply.Integer(0);
  }
  std::vector<ZSetEntry> entries;
  entries.reserve(returned);
  for (GeoMatch& m : matches) {
    entries.push_back(
        ZSetEntry{std::move(m.member), store_dist ? m.dist / shape.conversion : m.score});
  }
  Value v = ZSetFromEntries(std::move(entries), ZSetLimitsOf(ctx));
  v.set_lru(static_cast<uint32_t>(ctx.server.lru_clock()));
  ctx.db().Set(*store_key, std::move(v), ctx.now_ms());
  ctx.AddDirty(returned);
  ctx.SignalKeyReady(*store_key);
  // GEOSEARCHSTORE's event comes from the table; GEORADIUS's STORE key is no key spec.
  if ((flags & kSearch) == 0) ctx.Notify(kEvGeoRadiusStore, *store_key);
  ctx.reply.Integer(static_cast<int64_t>(returned));
}

void GeoRadius(CommandContext& ctx) { GeoSearchGeneric(ctx, 1, kFromCoords); }
void GeoRadiusByMember(CommandContext& ctx) { GeoSearchGeneric(ctx, 1, kFromMember); }
void GeoRadiusRo(CommandContext& ctx) { GeoSearchGeneric(ctx, 1, kFromCoords | kNoStore); }
void GeoRadiusByMemberRo(CommandContext& ctx) { GeoSearchGeneric(ctx, 1, kFromMember | kNoStore); }
void GeoSearch(CommandContext& ctx) { GeoSearchGeneric(ctx, 1, kSearch); }
void GeoSearchStore(CommandContext& ctx) { GeoSearchGeneric(ctx, 2, kSearch | kSearchStore); }

// The keys as Redis 7.0's key specs find them (COMMAND GETKEYS prefers the specs to
// georadiusGetKeys): the source, then the argument after the first STORE, then the one after
// the first STOREDIST, each keyword searched from `kFirstOption` on and not as the last
// argument. (The key the command writes is the last STORE/STOREDIST one; they differ only
// when both options are given.)
template <size_t kFirstOption>
std::vector<int> GeoRadiusKeys(std::span<const std::string_view> argv) {
  std::vector<int> keys = {1};
  for (std::string_view keyword : {std::string_view("store"), std::string_view("storedist")}) {
    for (size_t i = kFirstOption; i + 1 < argv.size(); ++i) {
      if (EqualsNoCase(argv[i], keyword)) {
        keys.push_back(static_cast<int>(i + 1));
        break;
      }
    }
  }
  return keys;
}

}  // namespace

void RegisterGeoCommands(CommandTable& table) {
  constexpr uint64_t kAcl = kAclGeo;
  constexpr const char* kSearchComplexity =
      "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area "
      "around the shape provided as the filter and M is the number of items inside the shape";
  constexpr const char* kRadiusComplexity =
      "O(N+log(M)) where N is the number of elements inside the bounding box of the circular "
      "area delimited by center and radius and M is the number of items inside the index.";
  table.Register({.name = "geoadd",
                  .arity = -5,
                  .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "geo",
                  .since = "3.2.0",
                  .summary = "Add one or more geospatial items in the geospatial index "
                             "represented using a sorted set",
                  .complexity = "O(log(N)) for each item added, where N is the number of "
                                "elements in the sorted set.",
                  .handler = GeoAdd});
  table.Register({.name = "geopos",
                  .arity = -2,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "geo",
                  .since = "3.2.0",
                  .summary = "Returns longitude and latitude of members of a geospatial index",
                  .complexity = "O(N) where N is the number of members requested.",
                  .handler = GeoPos});
  table.Register({.name = "geodist",
                  .arity = -4,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "geo",
                  .since = "3.2.0",
                  .summary = "Returns the distance between two members of a geospatial index",
                  .complexity = "O(log(N))",
                  .handler = GeoDist});
  table.Register({.name = "geohash",
                  .arity = -2,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "geo",
                  .since = "3.2.0",
                  .summary = "Returns members of a geospatial index as standard geohash strings",
                  .complexity = "O(log(N)) for each member requested, where N is the number of "
                                "elements in the sorted set.",
                  .handler = GeoHash});
  table.Register({.name = "geosearch",
                  .arity = -7,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "geo",
                  .since = "6.2.0",
                  .summary = "Query a sorted set representing a geospatial index to fetch "
                             "members inside an area of a box or a circle.",
                  .complexity = kSearchComplexity,
                  .handler = GeoSearch});
  table.Register({.name = "geosearchstore",
                  .arity = -8,
                  .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, 2, 1},
                  .acl = kAcl,
                  .group = "geo",
                  .since = "6.2.0",
                  .summary = "Query a sorted set representing a geospatial index to fetch "
                             "members inside an area of a box or a circle, and store the result "
                             "in another key.",
                  .complexity = kSearchComplexity,
                  .handler = GeoSearchStore,
                  .written_keys = WrittenKeys::kFirst});
  table.Register({.name = "georadius",
                  .arity = -6,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdMovableKeys,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "geo",
                  .since = "3.2.0",
                  .summary = "Query a sorted set representing a geospatial index to fetch "
                             "members matching a given maximum distance from a point",
                  .complexity = kRadiusComplexity,
                  .handler = GeoRadius,
                  .find_keys = GeoRadiusKeys<6>,
                  .written_keys = WrittenKeys::kLast});
  table.Register({.name = "georadiusbymember",
                  .arity = -5,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdMovableKeys,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "geo",
                  .since = "3.2.0",
                  .summary = "Query a sorted set representing a geospatial index to fetch "
                             "members matching a given maximum distance from a member",
                  .complexity = kRadiusComplexity,
                  .handler = GeoRadiusByMember,
                  .find_keys = GeoRadiusKeys<5>,
                  .written_keys = WrittenKeys::kLast});
  table.Register({.name = "georadius_ro",
                  .arity = -6,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "geo",
                  .since = "3.2.10",
                  .summary = "A read-only variant for GEORADIUS",
                  .complexity = kRadiusComplexity,
                  .handler = GeoRadiusRo});
  table.Register({.name = "georadiusbymember_ro",
                  .arity = -5,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "geo",
                  .since = "3.2.10",
                  .summary = "A read-only variant for GEORADIUSBYMEMBER",
                  .complexity = kRadiusComplexity,
                  .handler = GeoRadiusByMemberRo});
}

}  // namespace basalt
