// Geohash math of the GEO commands, bit for bit as Redis computes it (geohash.c,
// geohash_helper.c and the search helpers of geo.c).
//
// A GEO set is a sorted set whose scores are 52-bit interleaved geohashes:
//
//   bit 51 ........................................ bit 0
//   lon25 lat25 lon24 lat24 ... lon0 lat0       (26 bits of each coordinate)
//
// where lat is the cell index of the latitude within [kGeoLatMin, kGeoLatMax] (the
// EPSG:900913 limits: the poles cannot be encoded) and lon the index within [-180, 180],
// each split into 2^26 cells. A coordinate exactly on the upper limit gives the index 2^26,
// which spills into bit 52/53 — Redis stores that too, and so do we.
//
// Searches (GEOSEARCH, GEORADIUS) estimate a cell size (step) from the radius, take the
// cell of the centre and its 8 neighbours, drop the neighbours the bounding box of the
// shape does not reach, and scan the score range of each remaining cell, keeping the points
// whose exact distance passes the shape's filter. Everything here is plain arithmetic with
// no server dependency; the sorted-set walk is the caller's (GeoCollect takes a scanner).
//
// Thread-safe: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace basalt {

inline constexpr int kGeoStepMax = 26;  // 26 bits per coordinate, 52 in all
inline constexpr double kGeoLatMin = -85.05112878;
inline constexpr double kGeoLatMax = 85.05112878;
inline constexpr double kGeoLonMin = -180;
inline constexpr double kGeoLonMax = 180;
// Redis's "quadratic mean radius" of WGS-84, used by every distance.
inline constexpr double kGeoEarthRadiusMeters = 6372797.560856;

// A geohash of `step` bits per coordinate. step == 0 && bits == 0 is "no cell" (a neighbour
// dropped from a search).
struct GeoHashBits {
  uint64_t bits = 0;
  uint8_t step = 0;

  bool IsZero() const { return bits == 0 && step == 0; }
  bool operator==(const GeoHashBits&) const = default;
};

struct GeoRange {
  double min = 0;
  double max = 0;
};

// The rectangle a geohash covers.
struct GeoArea {
  GeoHashBits hash;
  GeoRange lon;
  GeoRange lat;
};

struct GeoLonLat {
  double lon = 0;
  double lat = 0;
};

// --- Encoding and decoding -------------------------------------------------------------------

// The longitude/latitude limits Redis accepts (GEOADD, FROMLONLAT, GEORADIUS).
bool GeoValidLonLat(double lon, double lat);

// geohashEncode: the `step`-bit cell of (lon, lat) within the given ranges. nullopt when step
// is not in 1..32, a range is zero, or the point lies outside the ranges or the Redis limits.
std::optional<GeoHashBits> GeoEncode(GeoRange lon_range, GeoRange lat_range, double lon, double lat,
                                     uint8_t step);
// With the Redis ranges (lon [-180, 180], lat [kGeoLatMin, kGeoLatMax]).
std::optional<GeoHashBits> GeoEncodeWgs84(double lon, double lat, uint8_t step);

// geohashDecode: the cell's rectangle; nullopt for a zero hash or a zero range.
std::optional<GeoArea> GeoDecode(GeoRange lon_range, GeoRange lat_range, GeoHashBits hash);
std::optional<GeoArea> GeoDecodeWgs84(GeoHashBits hash);

// The centre of a cell, clamped to the Redis limits.
GeoLonLat GeoAreaCentre(const GeoArea& area);

// The hash left-aligned to 52 bits (what GEOADD stores as the score).
uint64_t GeoAlign52Bits(GeoHashBits hash);

// The score GEOADD stores for a point. REQUIRES: GeoValidLonLat(lon, lat).
uint64_t GeoScoreOf(double lon, double lat);

// decodeGeohash: the point a score stands for (the centre of its step-26 cell). Any score
// decodes, as in Redis (C's double -> uint64_t conversion, x86-64 semantics for scores
// outside [0, 2^64)).
GeoLonLat GeoDecodeScore(double score);

// The 11-character base32 geohash GEOHASH prints for a score: decoded, then re-encoded with
// the standard latitude range [-90, 90]; the 11th character is always '0'.
std::string GeoHashString(double score);

// --- Distances -------------------------------------------------------------------------------

// Haversine great-circle distance in meters (Redis's geohashGetDistance, with its shortcut
// when the longitudes are equal).
double GeoDistance(double lon1, double lat1, double lon2, double lat2);
// Distance along a meridian.
double GeoLatDistance(double lat1, double lat2);

// fixedpoint_d2string(d, 4): the distance text of GEODIST and WITHDIST ("166274.1516").
std::string GeoFormatDistance(double d);

// extractUnitOrReply: meters per unit for "m", "km", "ft", "mi" (any case); nullopt otherwise.
std::optional<double> GeoUnitToMeters(std::string_view unit);

// --- Search ----------------------------------------------------------------------------------

// The 8 neighbours of a cell (same step), wrapping around at the edges as Redis's bit moves.
struct GeoNeighbors {
  GeoHashBits north, east, west, south, north_east, south_east, north_west, south_west;
};
GeoNeighbors GeoNeighborsOf(GeoHashBits hash);

// geohashEstimateStepsByRadius: the cell size (1..26) for a radius around latitude `lat`.
uint8_t GeoEstimateStepsByRadius(double range_meters, double lat);

// A search shape: a circle of `radius` or a box of `width` x `height`, in units of
// `conversion` meters, centred on `centre`.
struct GeoShape {
  enum class Kind { kCircle, kBox };
  Kind kind = Kind::kCircle;
  GeoLonLat centre;
  double conversion = 1;  // meters per unit
  double radius = 0;
  double width = 0;
  double height = 0;
};

struct GeoBounds {
  double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;
};
// geohashBoundingBox: the lon/lat box enclosing the shape.
GeoBounds GeoBoundingBox(const GeoShape& shape);

// geohashCalculateAreasByShapeWGS84: the centre cell and its neighbours to scan, unneeded
// neighbours zeroed.
struct GeoSearchAreas {
  GeoHashBits hash;
  GeoArea area;
  GeoNeighbors neighbors;
};
GeoSearchAreas GeoAreasForShape(const GeoShape& shape);

// The cells to scan, in Redis's order (centre, N, S, E, W, NE, NW, SE, SW), without the
// zeroed ones and without a cell equal to the previous one scanned (huge radii).
std::vector<GeoHashBits> GeoCellsToScan(const GeoSearchAreas& areas);

// The score range [min, max) holding every point of a cell.
void GeoCellScoreRange(GeoHashBits cell, uint64_t* min, uint64_t* max);

// geoWithinShape: decodes `score` into `*point` and returns the distance from the shape's
// centre in meters if the point is inside the shape, nullopt otherwise.
std::optional<double> GeoWithinShape(const GeoShape& shape, double score, GeoLonLat* point);

// One point a search found.
struct GeoMatch {
  std::string member;
  double score = 0;
  GeoLonLat point;
  double dist = 0;  // meters from the centre
};

// Walks a sorted set: calls visit(member, score) for its members with min <= score < max in
// order until visit returns false.
using GeoVisitor = std::function<bool(std::string_view member, double score)>;
using GeoRangeScanner = std::function<void(double min, double max, const GeoVisitor& visit)>;

// membersOfAllNeighbors: the points of the set inside the shape, in scan order. limit > 0
// (COUNT ... ANY) stops once that many points were found, checking between members and
// between cells exactly where Redis does.
std::vector<GeoMatch> GeoCollect(const GeoShape& shape, const GeoRangeScanner& scan, size_t limit);

// Orders matches by distance (ascending or descending) exactly as Redis does, ties included:
// a stable sort when all are kept (glibc's qsort), else Redis's partial quicksort (pqsort),
// which only guarantees the first `keep` positions (the caller drops the rest).
void GeoSortMatches(std::vector<GeoMatch>* matches, bool descending, size_t keep);

}  // namespace basalt
