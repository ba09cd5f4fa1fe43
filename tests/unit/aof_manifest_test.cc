// Tests for persistence/aof_manifest: Redis 7.0's manifest lines (parsed and written back
// byte for byte), its errors, and the naming of new base and incr files after rewrites.
#include "persistence/aof_manifest.h"

#include <gtest/gtest.h>

#include <string>

namespace basalt {
namespace {

TEST(AofManifestTest, ParsesRedisManifestAndWritesItBack) {
  // As redis-server 7.0.15 writes it after two rewrites with aof-disable-auto-gc yes.
  const std::string text =
      "file appendonly.aof.2.base.rdb seq 2 type b\n"
      "file appendonly.aof.1.base.rdb seq 1 type h\n"
      "file appendonly.aof.1.incr.aof seq 1 type h\n"
      "file appendonly.aof.2.incr.aof seq 2 type i\n"
      "file appendonly.aof.3.incr.aof seq 3 type i\n";
  ManifestParse p = ParseAofManifest(text);
  ASSERT_TRUE(p.manifest) << p.error;
  const AofManifest& m = *p.manifest;
  ASSERT_TRUE(m.base);
  EXPECT_EQ(m.base->name, "appendonly.aof.2.base.rdb");
  EXPECT_EQ(m.base_seq, 2);
  ASSERT_EQ(m.incrs.size(), 2u);
  EXPECT_EQ(m.incrs[1].name, "appendonly.aof.3.incr.aof");
  EXPECT_EQ(m.incr_seq, 3);
  EXPECT_EQ(m.history.size(), 2u);
  EXPECT_EQ(FormatAofManifest(m), text);
}

TEST(AofManifestTest, CommentsQuotedNamesAndUnknownKeys) {
  const std::string text =
      "# a comment\n"
      "file \"my file.aof\" seq 1 type b future value\n"
      "FILE x.aof SEQ 4 TYPE i\n";
  ManifestParse p = ParseAofManifest(text);
  ASSERT_TRUE(p.manifest) << p.error;
  EXPECT_EQ(p.manifest->base->name, "my file.aof");
  EXPECT_EQ(p.manifest->incrs[0].seq, 4);
  // A name with a space is written quoted, as sdscatrepr does, and reads back the same.
  EXPECT_EQ(FormatAofManifest(*p.manifest),
            "file \"my file.aof\" seq 1 type b\nfile x.aof seq 4 type i\n");
}

TEST(AofManifestTest, RefusesWhatRedisRefuses) {
  struct Case {
    const char* text;
    const char* error;
    int line;
  } cases[] = {
      {"", "Found an empty AOF manifest", 0},
      {"file a seq 1 type b\n\n", "Invalid AOF manifest file format", 2},
      {"file a seq 1 type b", "The AOF manifest file contains too long line", 1},
      {"file a seq 1\n", "Invalid AOF manifest file format", 1},
      {"file a seq 1 type b extra\n", "Invalid AOF manifest file format", 1},
      {"file a seq 0 type b\n", "Invalid AOF manifest file format", 1},
      {"file dir/a seq 1 type b\n", "File can't be a path, just a filename", 1},
      {"file a seq 1 type b\nfile b seq 2 type b\n", "Found duplicate base file information", 2},
      {"file a seq 2 type i\nfile b seq 2 type i\n", "Found a non-monotonic sequence number", 2},
      {"file a seq 1 type x\n", "Unknown AOF file type", 1},
      {"file \"a seq 1 type b\n", "Invalid AOF manifest file format", 1},
  };
  for (const Case& c : cases) {
    ManifestParse p = ParseAofManifest(c.text);
    EXPECT_FALSE(p.manifest) << c.text;
    EXPECT_EQ(p.error, c.error) << c.text;
    EXPECT_EQ(p.line, c.line) << c.text;
  }
  const std::string long_line = "file " + std::string(1100, 'a') + " seq 1 type b\n";
  EXPECT_EQ(ParseAofManifest(long_line).error, "The AOF manifest file contains too long line");
}

TEST(AofManifestTest, RewriteNaming) {
  AofManifest m;
  EXPECT_EQ(AddNewBase(m, "appendonly.aof", true), "appendonly.aof.1.base.rdb");
  EXPECT_EQ(AddNewIncr(m, "appendonly.aof"), "appendonly.aof.1.incr.aof");
  // A rewrite: a new incr opens when it starts, then the new base replaces the old one and
  // every incr but the one being written becomes history.
  EXPECT_EQ(AddNewIncr(m, "appendonly.aof"), "appendonly.aof.2.incr.aof");
  EXPECT_EQ(AddNewBase(m, "appendonly.aof", false), "appendonly.aof.2.base.aof");
  MarkRewrittenIncrsAsHistory(m, /*keep_last=*/true);
  EXPECT_EQ(FormatAofManifest(m),
            "file appendonly.aof.2.base.aof seq 2 type b\n"
            "file appendonly.aof.1.incr.aof seq 1 type h\n"
            "file appendonly.aof.1.base.rdb seq 1 type h\n"
            "file appendonly.aof.2.incr.aof seq 2 type i\n");
  MarkRewrittenIncrsAsHistory(m, /*keep_last=*/false);
  EXPECT_TRUE(m.incrs.empty());
  EXPECT_EQ(m.history.front().name, "appendonly.aof.2.incr.aof");
  EXPECT_EQ(TempIncrFileName("appendonly.aof"), "temp-appendonly.aof.incr");
  EXPECT_EQ(ManifestFileName("appendonly.aof"), "appendonly.aof.manifest");
}

}  // namespace
}  // namespace basalt
