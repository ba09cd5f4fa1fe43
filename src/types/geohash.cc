#include "types/geohash.h"

#include <strings.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

namespace basalt {

namespace {

constexpr double kDegToRad = M_PI / 180.0;
// Half the length of the equator in the Mercator projection: the step estimate doubles the
// radius until it reaches it.
constexpr double kMercatorMax = 20037726.37;

double DegToRad(double deg) { return deg * kDegToRad; }
double RadToDeg(double rad) { return rad / kDegToRad; }

bool RangeIsZero(GeoRange r) { return r.max == 0 && r.min == 0; }

// Moves the low 32 bits of v to the even bit positions 0, 2, ..., 62.
uint64_t SpreadBits(uint64_t v) {
  v &= 0xFFFFFFFFULL;
  v = (v | (v << 16)) & 0x0000FFFF0000FFFFULL;
  v = (v | (v << 8)) & 0x00FF00FF00FF00FFULL;
  v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FULL;
  v = (v | (v << 2)) & 0x3333333333333333ULL;
  v = (v | (v << 1)) & 0x5555555555555555ULL;
  return v;
}

// The inverse of SpreadBits: gathers the even bits of v into the low 32 bits.
uint64_t GatherBits(uint64_t v) {
  v &= 0x5555555555555555ULL;
  v = (v | (v >> 1)) & 0x3333333333333333ULL;
  v = (v | (v >> 2)) & 0x0F0F0F0F0F0F0F0FULL;
  v = (v | (v >> 4)) & 0x00FF00FF00FF00FFULL;
  v = (v | (v >> 8)) & 0x0000FFFF0000FFFFULL;
  v = (v | (v >> 16)) & 0x00000000FFFFFFFFULL;
  return v;
}

// Latitude in the even bits, longitude in the odd ones.
uint64_t Interleave(uint32_t lat_index, uint32_t lon_index) {
  return SpreadBits(lat_index) | (SpreadBits(lon_index) << 1);
}

// Moves a cell one step east (d > 0) or west (d < 0): the longitude bits (odd positions) are
// incremented or decremented as one number, carrying through the latitude bits, which are
// masked out first; wraps around at the edges.
void MoveX(GeoHashBits* hash, int d) {
  if (d == 0) return;
  uint64_t x = hash->bits & 0xAAAAAAAAAAAAAAAAULL;
  uint64_t y = hash->bits & 0x5555555555555555ULL;
  uint64_t lat_mask = 0x5555555555555555ULL >> (64 - hash->step * 2);
  if (d > 0) {
    x += lat_mask + 1;
  } else {
    x = (x | lat_mask) - (lat_mask + 1);
  }
  x &= 0xAAAAAAAAAAAAAAAAULL >> (64 - hash->step * 2);
  hash->bits = x | y;
}

// The same for north (d > 0) and south (d < 0) on the latitude bits.
void MoveY(GeoHashBits* hash, int d) {
  if (d == 0) return;
  uint64_t x = hash->bits & 0xAAAAAAAAAAAAAAAAULL;
  uint64_t y = hash->bits & 0x5555555555555555ULL;
  uint64_t lon_mask = 0xAAAAAAAAAAAAAAAAULL >> (64 - hash->step * 2);
  if (d > 0) {
    y += lon_mask + 1;
  } else {
    y = (y | lon_mask) - (lon_mask + 1);
  }
  y &= 0x5555555555555555ULL >> (64 - hash->step * 2);
  hash->bits = x | y;
}

GeoHashBits Moved(GeoHashBits hash, int dx, int dy) {
  MoveX(&hash, dx);
  MoveY(&hash, dy);
  return hash;
}

constexpr GeoRange kLonRange{kGeoLonMin, kGeoLonMax};
constexpr GeoRange kLatRange{kGeoLatMin, kGeoLatMax};

// C's (uint64_t)double as gcc compiles it for x86-64: values below 2^63 go through a signed
// truncation (negative values wrap, out-of-range ones give 2^63), larger ones are offset by
// 2^63 first.
uint64_t DoubleToUint64(double v) {
  constexpr double kTwo63 = 9223372036854775808.0;
  auto signed_trunc = [](double d) -> uint64_t {
    if (!(d >= -kTwo63 && d < kTwo63)) return 0x8000000000000000ULL;
    return static_cast<uint64_t>(static_cast<int64_t>(d));
  };
  if (v < kTwo63) return signed_trunc(v);
  return signed_trunc(v - kTwo63) ^ 0x8000000000000000ULL;
}

}  // namespace

bool GeoValidLonLat(double lon, double lat) {
  return !(lon < kGeoLonMin || lon > kGeoLonMax || lat < kGeoLatMin || lat > kGeoLatMax);
}

std::optional<GeoHashBits> GeoEncode(GeoRange lon_range, GeoRange lat_range, double lon, double lat,
                                     uint8_t step) {
  if (step > 32 || step == 0 || RangeIsZero(lat_range) || RangeIsZero(lon_range)) {
    return std::nullopt;
  }
  if (lon > kGeoLonMax || lon < kGeoLonMin || lat > kGeoLatMax || lat < kGeoLatMin) {
    return std::nullopt;
  }
  if (lat < lat_range.min || lat > lat_range.max || lon < lon_range.min || lon > lon_range.max) {
    return std::nullopt;
  }
  double lat_offset = (lat - lat_range.min) / (lat_range.max - lat_range.min);
  double lon_offset = (lon - lon_range.min) / (lon_range.max - lon_range.min);
  // Fixed point with `step` bits; a coordinate on the upper limit gives 2^step, kept as is.
  lat_offset *= static_cast<double>(1ULL << step);
  lon_offset *= static_cast<double>(1ULL << step);
  GeoHashBits hash;
  hash.step = step;
  hash.bits = Interleave(static_cast<uint32_t>(static_cast<uint64_t>(lat_offset)),
                         static_cast<uint32_t>(static_cast<uint64_t>(lon_offset)));
  return hash;
}

std::optional<GeoHashBits> GeoEncodeWgs84(double lon, double lat, uint8_t step) {
  return GeoEncode(kLonRange, kLatRange, lon, lat, step);
}

std::optional<GeoArea> GeoDecode(GeoRange lon_range, GeoRange lat_range, GeoHashBits hash) {
  if (hash.IsZero() || RangeIsZero(lat_range) || RangeIsZero(lon_range)) return std::nullopt;
  GeoArea area;
  area.hash = hash;
  uint32_t lat_index = static_cast<uint32_t>(GatherBits(hash.bits));
  uint32_t lon_index = static_cast<uint32_t>(GatherBits(hash.bits >> 1));
  double lat_scale = lat_range.max - lat_range.min;
  double lon_scale = lon_range.max - lon_range.min;
  double cells = static_cast<double>(1ULL << hash.step);
  // Same operation order as Redis so the results agree to the last bit.
  area.lat.min = lat_range.min + (lat_index * 1.0 / cells) * lat_scale;
  area.lat.max = lat_range.min + (static_cast<uint32_t>(lat_index + 1) * 1.0 / cells) * lat_scale;
  area.lon.min = lon_range.min + (lon_index * 1.0 / cells) * lon_scale;
  area.lon.max = lon_range.min + (static_cast<uint32_t>(lon_index + 1) * 1.0 / cells) * lon_scale;
  return area;
}

std::optional<GeoArea> GeoDecodeWgs84(GeoHashBits hash) {
  return GeoDecode(kLonRange, kLatRange, hash);
}

GeoLonLat GeoAreaCentre(const GeoArea& area) {
  GeoLonLat p;
  p.lon = std::clamp((area.lon.min + area.lon.max) / 2, kGeoLonMin, kGeoLonMax);
  p.lat = std::clamp((area.lat.min + area.lat.max) / 2, kGeoLatMin, kGeoLatMax);
  return p;
}

uint64_t GeoAlign52Bits(GeoHashBits hash) { return hash.bits << (52 - hash.step * 2); }

uint64_t GeoScoreOf(double lon, double lat) {
  std::optional<GeoHashBits> hash = GeoEncodeWgs84(lon, lat, kGeoStepMax);
  return hash ? GeoAlign52Bits(*hash) : 0;
}

GeoLonLat GeoDecodeScore(double score) {
  GeoHashBits hash{DoubleToUint64(score), kGeoStepMax};
  // A step-26 hash is never zero, so the decode cannot fail.
  return GeoAreaCentre(*GeoDecodeWgs84(hash));
}

std::string GeoHashString(double score) {
  static constexpr char kAlphabet[] = "0123456789bcdefghjkmnpqrstuvwxyz";
  GeoLonLat p = GeoDecodeScore(score);
  std::optional<GeoHashBits> hash =
      GeoEncode(GeoRange{-180, 180}, GeoRange{-90, 90}, p.lon, p.lat, kGeoStepMax);
  uint64_t bits = hash ? hash->bits : 0;
  std::string out(11, '0');
  // 52 bits make 10 characters of 5 bits; the 11th (Redis's API promised 11) is '0'.
  for (int i = 0; i < 10; ++i) out[i] = kAlphabet[(bits >> (52 - (i + 1) * 5)) & 0x1f];
  return out;
}

double GeoLatDistance(double lat1, double lat2) {
  return kGeoEarthRadiusMeters * std::fabs(DegToRad(lat2) - DegToRad(lat1));
}

double GeoDistance(double lon1, double lat1, double lon2, double lat2) {
  double lon1r = DegToRad(lon1);
  double lon2r = DegToRad(lon2);
  double v = std::sin((lon2r - lon1r) / 2);
  // Same meridian: the haversine reduces to the latitude difference (and skips the trig).
  if (v == 0.0) return GeoLatDistance(lat1, lat2);
  double lat1r = DegToRad(lat1);
  double lat2r = DegToRad(lat2);
  double u = std::sin((lat2r - lat1r) / 2);
  double a = u * u + std::cos(lat1r) * std::cos(lat2r) * v * v;
  return 2.0 * kGeoEarthRadiusMeters * std::asin(std::sqrt(a));
}

std::string GeoFormatDistance(double d) {
  // Rounded to 1/10000 with the current rounding mode (llrint), then printed as a fixed
  // point number; this is not always what "%.4f" prints.
  long long scaled = std::llrint(d * 10000.0);
  std::string out;
  unsigned long long magnitude;
  if (scaled < 0) {
    out.push_back('-');
    magnitude = static_cast<unsigned long long>(-(scaled + 1)) + 1;
  } else {
    magnitude = static_cast<unsigned long long>(scaled);
  }
  std::string frac = std::to_string(magnitude % 10000);
  out += std::to_string(magnitude / 10000);
  out.push_back('.');
  out.append(4 - frac.size(), '0');
  out += frac;
  return out;
}

std::optional<double> GeoUnitToMeters(std::string_view unit) {
  auto is = [&](std::string_view name) {
    return unit.size() == name.size() && strncasecmp(unit.data(), name.data(), name.size()) == 0;
  };
  if (is("m")) return 1;
  if (is("km")) return 1000;
  if (is("ft")) return 0.3048;
  if (is("mi")) return 1609.34;
  return std::nullopt;
}

GeoNeighbors GeoNeighborsOf(GeoHashBits hash) {
  GeoNeighbors n;
  n.east = Moved(hash, 1, 0);
  n.west = Moved(hash, -1, 0);
  n.south = Moved(hash, 0, -1);
  n.north = Moved(hash, 0, 1);
  n.north_west = Moved(hash, -1, 1);
  n.north_east = Moved(hash, 1, 1);
  n.south_east = Moved(hash, 1, -1);
  n.south_west = Moved(hash, -1, -1);
  return n;
}

uint8_t GeoEstimateStepsByRadius(double range_meters, double lat) {
  if (range_meters == 0) return kGeoStepMax;
  int step = 1;
  while (range_meters < kMercatorMax) {
    range_meters *= 2;
    step++;
  }
  step -= 2;  // one cell should hold most of the radius
  // Meridians converge towards the poles: cells get narrower, so take bigger ones.
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  return static_cast<uint8_t>(std::clamp(step, 1, kGeoStepMax));
}

GeoBounds GeoBoundingBox(const GeoShape& shape) {
  bool circle = shape.kind == GeoShape::Kind::kCircle;
  double lon = shape.centre.lon;
  double lat = shape.centre.lat;
  double height = shape.conversion * (circle ? shape.radius : shape.height / 2);
  double width = shape.conversion * (circle ? shape.radius : shape.width / 2);
  const double lat_delta = RadToDeg(height / kGeoEarthRadiusMeters);
  const double lon_delta_top =
      RadToDeg(width / kGeoEarthRadiusMeters / std::cos(DegToRad(lat + lat_delta)));
  const double lon_delta_bottom =
      RadToDeg(width / kGeoEarthRadiusMeters / std::cos(DegToRad(lat - lat_delta)));
  // The edge nearer the pole is the wider one in degrees: north in the northern hemisphere.
  bool southern = lat < 0;
  GeoBounds b;
  b.min_lon = southern ? lon - lon_delta_bottom : lon - lon_delta_top;
  b.max_lon = southern ? lon + lon_delta_bottom : lon + lon_delta_top;
  b.min_lat = lat - lat_delta;
  b.max_lat = lat + lat_delta;
  return b;
}

GeoSearchAreas GeoAreasForShape(const GeoShape& shape) {
  GeoBounds b = GeoBoundingBox(shape);
  double lon = shape.centre.lon;
  double lat = shape.centre.lat;
  // A box is covered by the circle through its corners.
  double radius_meters = shape.kind == GeoShape::Kind::kCircle
                             ? shape.radius
                             : std::sqrt((shape.width / 2) * (shape.width / 2) +
                                         (shape.height / 2) * (shape.height / 2));
  radius_meters *= shape.conversion;

  int steps = GeoEstimateStepsByRadius(radius_meters, lat);
  auto cell_at = [&](int step) {
    GeoSearchAreas a;
    a.hash = GeoEncodeWgs84(lon, lat, static_cast<uint8_t>(step)).value_or(GeoHashBits{});
    a.neighbors = GeoNeighborsOf(a.hash);
    a.area = GeoDecodeWgs84(a.hash).value_or(GeoArea{});
    return a;
  };
  GeoSearchAreas areas = cell_at(steps);

  // Near the edge of its cell the estimated step may be too fine for a neighbour to reach
  // the bounding box: then use cells twice as big.
  auto decoded = [](GeoHashBits h) { return GeoDecodeWgs84(h).value_or(GeoArea{}); };
  bool decrease_step = decoded(areas.neighbors.north).lat.max < b.max_lat ||
                       decoded(areas.neighbors.south).lat.min > b.min_lat ||
                       decoded(areas.neighbors.east).lon.max < b.max_lon ||
                       decoded(areas.neighbors.west).lon.min > b.min_lon;
  if (steps > 1 && decrease_step) {
    steps--;
    areas = cell_at(steps);
  }

  // Drop the neighbours on a side the centre cell already covers past the bounding box.
  if (steps >= 2) {
    GeoNeighbors& n = areas.neighbors;
    if (areas.area.lat.min < b.min_lat) n.south = n.south_west = n.south_east = GeoHashBits{};
    if (areas.area.lat.max > b.max_lat) n.north = n.north_east = n.north_west = GeoHashBits{};
    if (areas.area.lon.min < b.min_lon) n.west = n.south_west = n.north_west = GeoHashBits{};
    if (areas.area.lon.max > b.max_lon) n.east = n.south_east = n.north_east = GeoHashBits{};
  }
  return areas;
}

std::vector<GeoHashBits> GeoCellsToScan(const GeoSearchAreas& areas) {
  const GeoNeighbors& n = areas.neighbors;
  const std::array<GeoHashBits, 9> cells = {areas.hash,   n.north,      n.south,
                                            n.east,       n.west,       n.north_east,
                                            n.north_west, n.south_east, n.south_west};
  std::vector<GeoHashBits> out;
  // Redis compares with the last scanned cell by index, and index 0 (the centre) counts as
  // "none yet": a north cell equal to the centre is scanned twice, as in Redis.
  size_t last = 0;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].IsZero()) continue;
    if (last != 0 && cells[i] == cells[last]) continue;
    out.push_back(cells[i]);
    last = i;
  }
  return out;
}

void GeoCellScoreRange(GeoHashBits cell, uint64_t* min, uint64_t* max) {
  *min = GeoAlign52Bits(cell);
  cell.bits++;
  *max = GeoAlign52Bits(cell);
}

std::optional<double> GeoWithinShape(const GeoShape& shape, double score, GeoLonLat* point) {
  *point = GeoDecodeScore(score);
  const GeoLonLat& c = shape.centre;
  if (shape.kind == GeoShape::Kind::kCircle) {
    double d = GeoDistance(c.lon, c.lat, point->lon, point->lat);
    if (d > shape.radius * shape.conversion) return std::nullopt;
    return d;
  }
  double width_m = shape.width * shape.conversion;
  double height_m = shape.height * shape.conversion;
  // The latitude test is the cheaper one, so it goes first.
  if (GeoLatDistance(point->lat, c.lat) > height_m / 2) return std::nullopt;
  if (GeoDistance(point->lon, point->lat, c.lon, point->lat) > width_m / 2) return std::nullopt;
  return GeoDistance(c.lon, c.lat, point->lon, point->lat);
}

std::vector<GeoMatch> GeoCollect(const GeoShape& shape, const GeoRangeScanner& scan, size_t limit) {
  std::vector<GeoMatch> matches;
  auto full = [&] { return limit != 0 && matches.size() >= limit; };
  for (GeoHashBits cell : GeoCellsToScan(GeoAreasForShape(shape))) {
    if (full()) break;
    uint64_t min, max;
    GeoCellScoreRange(cell, &min, &max);
    scan(static_cast<double>(min), static_cast<double>(max),
         [&](std::string_view member, double score) {
           GeoLonLat point;
           if (std::optional<double> dist = GeoWithinShape(shape, score, &point)) {
             matches.push_back(GeoMatch{std::string(member), score, point, *dist});
           }
           return !full();
         });
  }
  return matches;
}

namespace {

// Redis's pqsort: Bentley & McIlroy's quicksort (median of three, ninther above 40 elements,
// insertion sort below 7, fat partition around keys equal to the pivot) that skips the
// partitions lying entirely outside the wanted range of positions [lo, hi]. Reproduced step
// for step because it is not stable: which of several points at the same distance survive
// a COUNT, and in which order, depends on its exact swaps.
class PartialQuickSort {
 public:
  PartialQuickSort(std::vector<GeoMatch>& v, bool descending) : v_(v), descending_(descending) {}

  void Sort(ptrdiff_t first, ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi) {
    for (;;) {
      if (n < 7) {
        for (ptrdiff_t m = first + 1; m < first + n; ++m) {
          for (ptrdiff_t l = m; l > first && Cmp(l - 1, l) > 0; --l) Swap(l, l - 1);
        }
        return;
      }
      ptrdiff_t pivot = first + n / 2;
      if (n > 7) {
        ptrdiff_t left = first;
        ptrdiff_t right = first + n - 1;
        if (n > 40) {
          ptrdiff_t d = n / 8;
          left = Median(left, left + d, left + 2 * d);
          pivot = Median(pivot - d, pivot, pivot + d);
          right = Median(right - 2 * d, right - d, right);
        }
        pivot = Median(left, pivot, right);
      }
      Swap(first, pivot);
      // [first+1, pa): equal to the pivot; [pa, pb): less; (pc, pd]: greater; (pd, end): equal.
      ptrdiff_t pa = first + 1, pb = first + 1;
      ptrdiff_t pc = first + n - 1, pd = first + n - 1;
      for (;;) {
        int c;
        while (pb <= pc && (c = Cmp(pb, first)) <= 0) {
          if (c == 0) Swap(pa++, pb);
          ++pb;
        }
        while (pb <= pc && (c = Cmp(pc, first)) >= 0) {
          if (c == 0) Swap(pc, pd--);
          --pc;
        }
        if (pb > pc) break;
        Swap(pb++, pc--);
      }
      const ptrdiff_t end = first + n;
      ptrdiff_t r = std::min(pa - first, pb - pa);
      SwapRuns(first, pb - r, r);
      r = std::min(pd - pc, end - pd - 1);
      SwapRuns(pb, end - r, r);
      if ((r = pb - pa) > 1 && Overlaps(first, first + r - 1, lo, hi)) Sort(first, r, lo, hi);
      if ((r = pd - pc) > 1) {
        first = end - r;
        n = r;
        if (Overlaps(first, first + r - 1, lo, hi)) continue;
      }
      return;
    }
  }

 private:
  int Cmp(ptrdiff_t i, ptrdiff_t j) const {
    double a = v_[i].dist, b = v_[j].dist;
    int c = a > b ? 1 : a == b ? 0 : -1;
    return descending_ ? -c : c;
  }
  void Swap(ptrdiff_t i, ptrdiff_t j) { std::swap(v_[i], v_[j]); }
  void SwapRuns(ptrdiff_t i, ptrdiff_t j, ptrdiff_t n) {
    for (ptrdiff_t k = 0; k < n; ++k) Swap(i + k, j + k);
  }
  ptrdiff_t Median(ptrdiff_t a, ptrdiff_t b, ptrdiff_t c) const {
    return Cmp(a, b) < 0 ? (Cmp(b, c) < 0 ? b : (Cmp(a, c) < 0 ? c : a))
                         : (Cmp(b, c) > 0 ? b : (Cmp(a, c) < 0 ? a : c));
  }
  // Whether [first, last] holds a position of [lo, hi] (or straddles it).
  static bool Overlaps(ptrdiff_t first, ptrdiff_t last, ptrdiff_t lo, ptrdiff_t hi) {
    return !((lo < first && hi < first) || (lo > last && hi > last));
  }

  std::vector<GeoMatch>& v_;
  bool descending_;
};

}  // namespace

void GeoSortMatches(std::vector<GeoMatch>* matches, bool descending, size_t keep) {
  if (keep >= matches->size()) {
    // Redis uses the C library's qsort here; glibc's is a stable merge sort.
    if (descending) {
      std::stable_sort(matches->begin(), matches->end(),
                       [](const GeoMatch& a, const GeoMatch& b) { return a.dist > b.dist; });
    } else {
      std::stable_sort(matches->begin(), matches->end(),
                       [](const GeoMatch& a, const GeoMatch& b) { return a.dist < b.dist; });
    }
    return;
  }
  if (keep == 0) return;
  PartialQuickSort(*matches, descending)
      .Sort(0, static_cast<ptrdiff_t>(matches->size()), 0, static_cast<ptrdiff_t>(keep) - 1);
}

}  // namespace basalt
