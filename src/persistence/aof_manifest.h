// AofManifest: the list of files that make up a multi-part AOF (Redis 7.0's format), kept in
// `<appenddirname>/<appendfilename>.manifest`, one line per file:
//
//   file appendonly.aof.3.base.rdb seq 3 type b      the base: a snapshot (RDB or commands)
//   file appendonly.aof.2.incr.aof seq 2 type h      history: replaced, to be deleted
//   file appendonly.aof.5.incr.aof seq 5 type i      incr: commands after the base, in order
//
// The base comes first, then history files, then incr files in increasing seq order.
// Names that need quoting are written as sdscatrepr does; '#' lines are comments; keys
// other than file/seq/type are ignored (forward compatibility), as Redis's parser does.
//
// The value type is plain data; the functions that change it follow Redis's naming rules.
// PersistManifest writes it atomically (temp file, fsync, rename, fsync of the directory).
// Used on the execution thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace basalt {

struct AofFileInfo {
  std::string name;
  int64_t seq = 0;
  char type = 0;  // 'b' base, 'h' history, 'i' incr
};

struct AofManifest {
  std::optional<AofFileInfo> base;
  std::vector<AofFileInfo> incrs;    // in seq order
  std::vector<AofFileInfo> history;  // newest first, as Redis lists them
  int64_t base_seq = 0;              // the last base seq used
  int64_t incr_seq = 0;              // the last incr seq used

  bool empty() const { return !base && incrs.empty(); }
};

struct ManifestParse {
  std::optional<AofManifest> manifest;
  std::string error;  // Redis's message ("Invalid AOF manifest file format", ...)
  int line = 0;       // the offending line (1-based), 0 when not about one line
  std::string line_text;
};
ManifestParse ParseAofManifest(std::string_view text);

// The manifest's text, as Redis writes it.
std::string FormatAofManifest(const AofManifest& m);

// "<appendfilename>.manifest" and the names of new files.
std::string ManifestFileName(std::string_view aof_filename);
std::string TempManifestFileName(std::string_view aof_filename);
// "temp-<appendfilename>.incr": the incr file written while AOF is being turned on.
std::string TempIncrFileName(std::string_view aof_filename);

// Makes a new base "<aof_filename>.<seq>.base.rdb|aof" the manifest's base, the old one
// (if any) becoming history. Returns the new name.
std::string AddNewBase(AofManifest& m, std::string_view aof_filename, bool rdb_preamble);
// Appends a new incr "<aof_filename>.<seq>.incr.aof". Returns its name.
std::string AddNewIncr(AofManifest& m, std::string_view aof_filename);
// After a rewrite: every incr but the last (which is being written, when `keep_last`)
// becomes history.
void MarkRewrittenIncrsAsHistory(AofManifest& m, bool keep_last);

// Writes `m` to `dir`/<aof_filename>.manifest atomically. Returns false after logging why.
bool PersistAofManifest(const AofManifest& m, const std::string& dir,
                        std::string_view aof_filename);

// "<dir>/<name>".
std::string AofPath(std::string_view dir, std::string_view name);

}  // namespace basalt
