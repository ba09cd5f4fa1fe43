// DatasetWriter: writes an image of the dataset, key by key, in one of the forms a snapshot
// takes: an RDB file (SAVE, BGSAVE, and the AOF base under aof-use-rdb-preamble) or AOF
// commands (the AOF base without the preamble: FUNCTION LOAD, SELECT, RESTORE).
//
// Keys may come in any order of databases: the writer emits a SELECT (SELECTDB) whenever the
// database changes, and in RDB the RESIZEDB hint the first time it selects each one, with the
// sizes the databases had at Begin. Redis's loaders accept SELECTDB at any point, which lets a
// snapshot taken while commands run (background_snapshot.h) write keys out of order.
//
// Execution thread only (or a forked child); one image per writer.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "db/db_entry.h"
#include "persistence/rdb_writer.h"

namespace basalt {

class Server;

enum class DatasetForm {
  kRdb,              // an RDB file
  kAofBaseRdb,       // an AOF base in RDB form (aux aof-base 1)
  kAofBaseCommands,  // an AOF base in command form
};

class DatasetWriter {
 public:
  virtual ~DatasetWriter() = default;
  // The header: aux fields or timestamp, function libraries. Takes the time of the image
  // (relative TTLs, LRU idle times) and the databases' sizes.
  virtual bool Begin() = 0;
  // One key of database `db`, with its value, TTL and access clock.
  virtual bool WriteKey(int db, const DbEntry& e) = 0;
  // The trailer (EOF and checksum in RDB), then flushes everything to the sink.
  virtual bool Finish() = 0;
  // Bytes handed to the sink or still buffered.
  virtual uint64_t bytes_written() const = 0;
};

// A writer of `form` for `server`'s dataset into `sink` (which must outlive it).
std::unique_ptr<DatasetWriter> MakeDatasetWriter(Server& server, RdbSink& sink, DatasetForm form);

// Writes the whole dataset at once with `writer` (Begin, every key, Finish): the saving
// process (SAVE) or a forked child. Sleeps rdb-key-save-delay microseconds after each key, and
// calls `progress`, if given, with the number of keys written so far.
bool WriteWholeDataset(Server& server, DatasetWriter& writer,
                       const std::function<void(uint64_t keys_done)>& progress = {});

}  // namespace basalt
