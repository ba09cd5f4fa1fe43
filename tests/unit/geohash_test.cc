// Tests for types/geohash: scores, decoded positions, GEOHASH strings and distances as
// redis-server 7.0 prints them (GEOADD then ZSCORE / GEOPOS / GEOHASH / GEODIST), the cell
// arithmetic of searches, and whole searches over a sorted-set stand-in compared with
// redis-server's GEOSEARCH ... ASC WITHDIST replies.
#include "types/geohash.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "util/strconv.h"

namespace basalt {
namespace {

// GEOPOS prints coordinates with Redis's human long double form.
std::string Human(double v) { return FormatLongDouble(v, /*human=*/true); }

struct Known {
  double lon, lat;
  uint64_t score;
  const char* pos_lon;
  const char* pos_lat;
  const char* hash;
};

// From redis-server 7.0.15.
const Known kKnown[] = {
    {13.361389, 38.115556, 3479099956230698ULL, "13.36138933897018433", "38.11555639549629859",
     "sqc8b49rny0"},
    {15.087269, 37.502669, 3479447370796909ULL, "15.08726745843887329", "37.50266842333162032",
     "sqdtr74hyu0"},
    // On the upper limits: the cell index 2^26 spills into bits 52 and 53.
    {180, 85.05112878, 13510798882111488ULL, "180", "85.0511287799999991", "bp05b5048p0"},
    {-180, -85.05112878, 0, "-179.99999731779098511", "-85.05112751263942528", "00bh0hbj200"},
    {0, 0, 3377699720527872ULL, "0.00000268220901489", "0.00000126736058093", "s0000000000"},
    {-0.0001, 0.0001, 1876499844738231ULL, "-0.00009924173355103", "0.00010012148579364",
     "ebpbpbpbtd0"},
    {-122.4194, 37.7749, 1367859919124626ULL, "-122.41940170526504517", "37.77490001056577995",
     "9q8yyk8ytp0"},
    {151.2093, -33.8688, 3252046221964352ULL, "151.20929986238479614", "-33.86880091934155956",
     "r3gx2f77bj0"},
    {179.9999999, -85, 3002400025541359ULL, "179.99999731779098511", "-84.99999965213439168",
     "pbzurypzpg0"},
    {2.2944813, 48.8583701, 3663832614286749ULL, "2.29448229074478149", "48.85837130043967136",
     "u09tunqu9k0"},
};

TEST(GeohashTest, ScoresPositionsAndHashStringsMatchRedis) {
  for (const Known& k : kKnown) {
    SCOPED_TRACE(k.hash);
    ASSERT_TRUE(GeoValidLonLat(k.lon, k.lat));
    EXPECT_EQ(GeoScoreOf(k.lon, k.lat), k.score);
    GeoLonLat p = GeoDecodeScore(static_cast<double>(k.score));
    EXPECT_EQ(Human(p.lon), k.pos_lon);
    EXPECT_EQ(Human(p.lat), k.pos_lat);
    EXPECT_EQ(GeoHashString(static_cast<double>(k.score)), k.hash);
  }
}

TEST(GeohashTest, ValidRange) {
  EXPECT_TRUE(GeoValidLonLat(-180, -85.05112878));
  EXPECT_TRUE(GeoValidLonLat(180, 85.05112878));
  EXPECT_FALSE(GeoValidLonLat(180.0000001, 0));
  EXPECT_FALSE(GeoValidLonLat(-180.0000001, 0));
  EXPECT_FALSE(GeoValidLonLat(0, 85.05112879));
  EXPECT_FALSE(GeoValidLonLat(0, -85.05112879));
  EXPECT_FALSE(GeoEncodeWgs84(0, 86, 26).has_value());
  EXPECT_FALSE(GeoEncodeWgs84(0, 0, 0).has_value());
  EXPECT_FALSE(GeoEncodeWgs84(0, 0, 33).has_value());
}

TEST(GeohashTest, EncodeDecodeRoundTripStaysInsideTheCell) {
  for (double lon = -179.5; lon < 180; lon += 13.7) {
    for (double lat = -85; lat < 85; lat += 7.3) {
      std::optional<GeoHashBits> h = GeoEncodeWgs84(lon, lat, 26);
      ASSERT_TRUE(h.has_value());
      std::optional<GeoArea> a = GeoDecodeWgs84(*h);
      ASSERT_TRUE(a.has_value());
      EXPECT_LE(a->lon.min, lon);
      EXPECT_GE(a->lon.max, lon);
      EXPECT_LE(a->lat.min, lat);
      EXPECT_GE(a->lat.max, lat);
      EXPECT_EQ(GeoAlign52Bits(*h), h->bits);
    }
  }
}

TEST(GeohashTest, AnyScoreDecodes) {
  // Plain sorted-set scores decode too (ZADD then GEOPOS): no crash, inside the limits.
  for (double s : {-5.0, 1.5, 1e20, -1e300, 4503599627370495.0}) {
    GeoLonLat p = GeoDecodeScore(s);
    EXPECT_TRUE(GeoValidLonLat(p.lon, p.lat)) << s;
  }
}

TEST(GeohashTest, DistancesMatchRedis) {
  GeoLonLat palermo = GeoDecodeScore(3479099956230698.0);
  GeoLonLat catania = GeoDecodeScore(3479447370796909.0);
  double d = GeoDistance(palermo.lon, palermo.lat, catania.lon, catania.lat);
  EXPECT_EQ(GeoFormatDistance(d), "166274.1516");
  EXPECT_EQ(GeoFormatDistance(d / 1000), "166.2742");
  EXPECT_EQ(GeoFormatDistance(d / 1609.34), "103.3182");
  EXPECT_EQ(GeoFormatDistance(d / 0.3048), "545518.8700");

  GeoLonLat sf = GeoDecodeScore(1367859919124626.0);
  GeoLonLat sydney = GeoDecodeScore(3252046221964352.0);
  EXPECT_EQ(GeoFormatDistance(GeoDistance(sf.lon, sf.lat, sydney.lon, sydney.lat) / 1000),
            "11951.0315");
  GeoLonLat ne = GeoDecodeScore(13510798882111488.0);
  GeoLonLat sw = GeoDecodeScore(0);
  EXPECT_EQ(GeoFormatDistance(GeoDistance(ne.lon, ne.lat, sw.lon, sw.lat)), "18919844.5891");
  GeoLonLat origin = GeoDecodeScore(3377699720527872.0);
  GeoLonLat tiny = GeoDecodeScore(1876499844738231.0);
  EXPECT_EQ(GeoFormatDistance(GeoDistance(origin.lon, origin.lat, tiny.lon, tiny.lat)), "15.7928");
  EXPECT_EQ(GeoFormatDistance(GeoDistance(origin.lon, origin.lat, origin.lon, origin.lat)),
            "0.0000");
  // Same meridian: the latitude shortcut.
  EXPECT_DOUBLE_EQ(GeoDistance(10, 0, 10, 1), GeoLatDistance(0, 1));
  EXPECT_NEAR(GeoLatDistance(0, 1), kGeoEarthRadiusMeters * M_PI / 180, 1e-6);
}

TEST(GeohashTest, FormatDistanceIsFixedPointWithFourDigits) {
  EXPECT_EQ(GeoFormatDistance(0), "0.0000");
  EXPECT_EQ(GeoFormatDistance(-0.0), "0.0000");
  EXPECT_EQ(GeoFormatDistance(0.7750), "0.7750");
  EXPECT_EQ(GeoFormatDistance(0.00001), "0.0000");
  EXPECT_EQ(GeoFormatDistance(0.0005), "0.0005");
  EXPECT_EQ(GeoFormatDistance(1.23456), "1.2346");
  EXPECT_EQ(GeoFormatDistance(12345678.9), "12345678.9000");
  EXPECT_EQ(GeoFormatDistance(-0.5), "-0.5000");
  // Halfway cases round to even (llrint), unlike printf's exact-decimal rounding.
  EXPECT_EQ(GeoFormatDistance(0.00005), "0.0000");
  EXPECT_EQ(GeoFormatDistance(0.00025), "0.0002");  // printf says 0.0003
  EXPECT_EQ(GeoFormatDistance(0.00035), "0.0004");
}

TEST(GeohashTest, Units) {
  EXPECT_EQ(GeoUnitToMeters("m"), 1);
  EXPECT_EQ(GeoUnitToMeters("KM"), 1000);
  EXPECT_EQ(GeoUnitToMeters("Ft"), 0.3048);
  EXPECT_EQ(GeoUnitToMeters("mI"), 1609.34);
  EXPECT_FALSE(GeoUnitToMeters("meters").has_value());
  EXPECT_FALSE(GeoUnitToMeters("").has_value());
}

TEST(GeohashTest, NeighborsWrapAround) {
  // Step 1: four cells; bit 1 is the longitude half, bit 0 the latitude half.
  GeoNeighbors n = GeoNeighborsOf(GeoHashBits{0, 1});
  EXPECT_EQ(n.east, (GeoHashBits{2, 1}));
  EXPECT_EQ(n.west, (GeoHashBits{2, 1}));
  EXPECT_EQ(n.north, (GeoHashBits{1, 1}));
  EXPECT_EQ(n.south, (GeoHashBits{1, 1}));
  EXPECT_EQ(n.north_east, (GeoHashBits{3, 1}));
  // Step 2, cell (lon 1, lat 2): interleaved lat bits even, lon bits odd.
  auto cell = [](uint32_t lon, uint32_t lat) {
    uint64_t bits = 0;
    for (int i = 0; i < 2; ++i) {
      bits |= static_cast<uint64_t>((lat >> i) & 1) << (2 * i);
      bits |= static_cast<uint64_t>((lon >> i) & 1) << (2 * i + 1);
    }
    return GeoHashBits{bits, 2};
  };
  n = GeoNeighborsOf(cell(1, 2));
  EXPECT_EQ(n.east, cell(2, 2));
  EXPECT_EQ(n.west, cell(0, 2));
  EXPECT_EQ(n.north, cell(1, 3));
  EXPECT_EQ(n.south, cell(1, 1));
  EXPECT_EQ(n.south_west, cell(0, 1));
  EXPECT_EQ(n.north_east, cell(2, 3));
  EXPECT_EQ(GeoNeighborsOf(cell(3, 3)).north_east, cell(0, 0));
}

TEST(GeohashTest, EstimateSteps) {
  EXPECT_EQ(GeoEstimateStepsByRadius(0, 0), 26);
  // 1000 m doubles 15 times to pass 20037726.37 m: 1 + 15 - 2.
  EXPECT_EQ(GeoEstimateStepsByRadius(1000, 0), 14);
  EXPECT_EQ(GeoEstimateStepsByRadius(1000, 70), 13);
  EXPECT_EQ(GeoEstimateStepsByRadius(1000, -81), 12);
  EXPECT_EQ(GeoEstimateStepsByRadius(0.001, 0), 26);  // clamped
  EXPECT_EQ(GeoEstimateStepsByRadius(30000000, 0), 1);
}

TEST(GeohashTest, CellScoreRangeAndScanCells) {
  uint64_t min, max;
  GeoCellScoreRange(GeoHashBits{0b101010, 3}, &min, &max);
  EXPECT_EQ(min, 0b101010ULL << 46);
  EXPECT_EQ(max, 0b101011ULL << 46);

  GeoSearchAreas areas;
  areas.hash = GeoHashBits{5, 2};
  areas.neighbors.north = GeoHashBits{5, 2};  // equal to the centre: still scanned
  areas.neighbors.south = GeoHashBits{7, 2};
  areas.neighbors.east = GeoHashBits{7, 2};        // equal to the previous one: skipped
  areas.neighbors.west = GeoHashBits{};            // dropped
  areas.neighbors.north_east = GeoHashBits{7, 2};  // still equal to south (last scanned)
  areas.neighbors.north_west = GeoHashBits{0, 2};
  areas.neighbors.south_east = GeoHashBits{0, 2};
  areas.neighbors.south_west = GeoHashBits{1, 2};
  std::vector<GeoHashBits> cells = GeoCellsToScan(areas);
  std::vector<GeoHashBits> want = {{5, 2}, {5, 2}, {7, 2}, {0, 2}, {1, 2}};
  EXPECT_EQ(cells, want);
}

TEST(GeohashTest, BoundingBoxIsWiderTowardsThePole) {
  GeoShape s;
  s.centre = {10, 60};
  s.radius = 100;
  s.conversion = 1000;
  GeoBounds b = GeoBoundingBox(s);
  EXPECT_NEAR(b.max_lat - 60, 100000 / kGeoEarthRadiusMeters * 180 / M_PI, 1e-9);
  EXPECT_NEAR(60 - b.min_lat, b.max_lat - 60, 1e-9);
  EXPECT_NEAR(b.max_lon - 10, 10 - b.min_lon, 1e-9);
  EXPECT_GT(b.max_lon - 10, b.max_lat - 60);
  s.centre = {10, -60};
  GeoBounds south = GeoBoundingBox(s);
  EXPECT_NEAR(south.max_lon - 10, b.max_lon - 10, 1e-9);
}

// A sorted set stand-in: members ordered by (score, member).
class FakeGeoSet {
 public:
  void Add(double lon, double lat, std::string member) {
    entries_.emplace(static_cast<double>(GeoScoreOf(lon, lat)), std::move(member));
  }
  GeoRangeScanner Scanner() const {
    return [this](double min, double max, const GeoVisitor& visit) {
      for (auto it = entries_.lower_bound({min, std::string()}); it != entries_.end(); ++it) {
        if (!(it->first < max)) break;
        if (!visit(it->second, it->first)) break;
      }
    };
  }

 private:
  std::set<std::pair<double, std::string>> entries_;
};

struct Pt {
  double lon, lat;
  const char* name;
};
const Pt kPoints[] = {
    {-0.57, 34.5255, "p0"},     {19.0561, 32.1731, "p1"},   {12.1529, 40.9707, "p2"},
    {-16.5201, 45.2231, "p3"},  {-17.7503, 43.0094, "p4"},  {-15.8087, 32.7214, "p5"},
    {5.4712, 54.8056, "p6"},    {-12.5719, 36.6972, "p7"},  {17.646, 58.4313, "p8"},
    {14.6262, 41.9004, "p9"},   {38.5753, 31.3975, "p10"},  {31.5081, 38.6883, "p11"},
    {-11.3447, 33.5338, "p12"}, {-1.4911, 54.4838, "p13"},  {-9.1564, 47.448, "p14"},
    {18.3348, 41.1719, "p15"},  {12.8647, 31.8837, "p16"},  {-16.4239, 36.1788, "p17"},
    {20.824, 42.8278, "p18"},   {-1.1512, 47.5669, "p19"},  {7.1911, 38.993, "p20"},
    {27.6628, 50.9698, "p21"},  {-5.3542, 47.2327, "p22"},  {11.5118, 56.2541, "p23"},
    {23.7667, 38.6381, "p24"},  {38.8105, 33.542, "p25"},   {5.0874, 52.7142, "p26"},
    {-10.8809, 44.6689, "p27"}, {-17.6476, 50.0465, "p28"}, {25.8743, 47.1908, "p29"},
    {32.5287, 39.4124, "p30"},  {21.7177, 47.8311, "p31"},  {14.7937, 43.6862, "p32"},
    {30.3981, 58.3404, "p33"},  {8.4459, 49.9246, "p34"},   {-16.3598, 51.0448, "p35"},
    {18.8277, 59.7929, "p36"},  {29.3155, 38.5379, "p37"},  {3.1475, 50.0596, "p38"},
    {-18.6462, 43.8509, "p39"}, {179.9, 10.0, "d1"},        {-179.9, 10.0, "d2"},
    {179.5, 10.2, "d3"},        {10.0, 84.9, "n1"},         {40.0, 84.0, "n2"},
};

// GEOSEARCH pts FROMLONLAT lon lat BYRADIUS r unit | BYBOX w h unit, ASC WITHDIST.
std::string Search(const FakeGeoSet& set, GeoShape shape, size_t limit = 0) {
  std::vector<GeoMatch> m = GeoCollect(shape, set.Scanner(), limit);
  GeoSortMatches(&m, /*descending=*/false, m.size());
  std::string out;
  for (const GeoMatch& g : m) {
    if (!out.empty()) out += ' ';
    out += g.member + ":" + GeoFormatDistance(g.dist / shape.conversion);
  }
  return out;
}

GeoShape Circle(double lon, double lat, double radius, double conversion) {
  GeoShape s;
  s.centre = {lon, lat};
  s.radius = radius;
  s.conversion = conversion;
  return s;
}

GeoShape Box(double lon, double lat, double w, double h, double conversion) {
  GeoShape s;
  s.kind = GeoShape::Kind::kBox;
  s.centre = {lon, lat};
  s.width = w;
  s.height = h;
  s.conversion = conversion;
  return s;
}

TEST(GeohashTest, SearchesMatchRedis) {
  FakeGeoSet set;
  for (const Pt& p : kPoints) set.Add(p.lon, p.lat, p.name);

  EXPECT_EQ(Search(set, Circle(15, 45, 500, 1000)), "p32:147.0476 p9:346.0746");
  EXPECT_EQ(Search(set, Box(15, 45, 1000, 600, 1000)), "p32:147.0476 p18:525.3070");
  EXPECT_EQ(Search(set, Circle(0, 50, 1200, 1609.34)),
            "p38:139.7913 p19:176.1353 p26:288.6640 p22:310.3942 p13:316.2290 p34:375.3395 "
            "p6:404.1262 p14:452.8099 p27:627.8749 p23:642.5115 p35:720.9687 p28:781.7968 "
            "p32:822.1110 p3:835.2477 p20:838.3250 p2:855.9075 p9:895.8169 p8:916.1029 "
            "p4:969.3136 p39:973.7851 p31:994.0996 p36:1002.5007 p0:1069.8779 p15:1071.8453 "
            "p18:1104.0965 p7:1112.2724 p29:1192.3394");
  // Across the antimeridian and near the pole.
  EXPECT_EQ(Search(set, Circle(179.95, 10, 100, 1000)), "d1:5.4769 d2:16.4306 d3:54.0646");
  EXPECT_EQ(Search(set, Circle(20, 84.5, 300, 1000)), "n1:111.7743 n2:228.4169");
  EXPECT_EQ(Search(set, Box(10, 40, 3000, 1000, 1000)),
            "p2:211.7134 p20:265.8160 p9:442.3058 p32:570.6584 p15:715.6970 p18:955.2467 "
            "p24:1193.0202");
  // Half the earth: every point, the step estimate bottoming out at 1.
  EXPECT_EQ(Search(set, Circle(10, 40, 20000, 1000)),
            "p2:211.7134 p20:265.8160 p9:442.3058 p32:570.6584 p15:715.6970 p16:938.7253 "
            "p18:955.2467 p34:1110.5641 p0:1115.1295 p1:1190.5143 p24:1193.0202 "
            "p19:1226.6194 p38:1240.5283 p31:1278.0723 p26:1462.6963 p22:1471.0262 "
            "p29:1503.9450 p37:1667.8850 p6:1680.8063 p14:1741.8870 p27:1787.9340 "
            "p23:1811.2529 p13:1824.4662 p21:1831.4861 p11:1851.2995 p30:1923.7495 "
            "p7:1997.2732 p12:2027.0285 p8:2120.7405 p3:2236.0264 p36:2285.8642 "
            "p4:2324.8199 p17:2342.9141 p35:2374.2180 p39:2396.4814 p28:2424.5344 "
            "p5:2438.9225 p33:2500.7324 p25:2652.5126 p10:2738.2374 n2:4991.6032 "
            "n1:4994.0609 d3:14333.1559 d1:14362.7724 d2:14366.5301");
  // Radius 0 on a stored coordinate: the stored point is its cell's centre, not the input.
  EXPECT_EQ(Search(set, Circle(5.4712, 54.8056, 0, 1)), "");
  EXPECT_EQ(Search(set, Circle(-10, -40, 7000, 1000)), "");
}

TEST(GeohashTest, CollectStopsAtTheLimit) {
  FakeGeoSet set;
  for (const Pt& p : kPoints) set.Add(p.lon, p.lat, p.name);
  std::vector<GeoMatch> all = GeoCollect(Circle(10, 40, 20000, 1000), set.Scanner(), 0);
  EXPECT_EQ(all.size(), std::size(kPoints));
  std::vector<GeoMatch> some = GeoCollect(Circle(10, 40, 20000, 1000), set.Scanner(), 3);
  ASSERT_EQ(some.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(some[i].member, all[i].member);
}

std::string Names(const std::vector<GeoMatch>& m, size_t n) {
  std::string out;
  for (size_t i = 0; i < n && i < m.size(); ++i) out += m[i].member;
  return out;
}

TEST(GeohashTest, TiesOrderAsRedisSortsThem) {
  // GEOADD t 10 10 a ... 10 10 h 10.001 10 i 10.001 10 j, then GEOSEARCH t FROMLONLAT 10 10
  // BYRADIUS 10 km [COUNT n] ASC|DESC on redis-server 7.0.
  FakeGeoSet set;
  for (const char* m : {"a", "b", "c", "d", "e", "f", "g", "h"}) set.Add(10, 10, m);
  set.Add(10.001, 10, "i");
  set.Add(10.001, 10, "j");
  auto run = [&](bool desc, size_t count) {
    std::vector<GeoMatch> m = GeoCollect(Circle(10, 10, 10, 1000), set.Scanner(), 0);
    size_t keep = count == 0 ? m.size() : std::min(count, m.size());
    GeoSortMatches(&m, desc, keep);
    return Names(m, keep);
  };
  EXPECT_EQ(run(false, 0), "abcdefghij");
  EXPECT_EQ(run(true, 0), "ijabcdefgh");
  EXPECT_EQ(run(false, 3), "abc");
  EXPECT_EQ(run(true, 3), "ijc");
  EXPECT_EQ(run(true, 9), "ijcdeaghf");
  EXPECT_EQ(run(false, 8), "abcdefgh");
}

}  // namespace
}  // namespace basalt
