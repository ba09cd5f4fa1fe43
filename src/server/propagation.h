// Propagation: the one feed of write effects that AOF and replication consume.
//
// Every command that changed the dataset is propagated once, after it ran, as the commands
// that reproduce its effect deterministically: as it was sent (SET, DEL, ...), or rewritten
// by its handler (EXPIRE → PEXPIREAT, SPOP → SREM, INCRBYFLOAT → SET ... KEEPTTL, a served
// BLPOP → LPOP). Keys that leave the keyspace without a command naming them (expiry,
// eviction) propagate as DEL (UNLINK under lazyfree). What one top-level call produced (a
// command with the lazy expiry it caused, an EXEC, a script's effects) is one batch, wrapped
// in MULTI/EXEC when it holds more than one command, as Redis's propagatePendingCommands.
//
// Sinks (the AOF, replicas) receive whole batches. Each command carries its database; a
// sink emits SELECT itself when the database differs from the last one it wrote. MULTI
// carries the first command's database and EXEC the last one's, so that a SELECT goes
// before MULTI rather than inside it, as Redis does. When no sink is attached nothing is
// recorded, so a server without AOF or replicas pays one branch per write.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace basalt {

// One command as it is propagated: its database and its RESP array.
struct PropagatedCommand {
  int db = -1;
  std::string resp;
};

class PropagationSink {
 public:
  virtual ~PropagationSink() = default;
  // One top-level call's effects, in order; MULTI ... EXEC around them when more than one.
  virtual void Append(std::span<const PropagatedCommand> batch) = 0;
};

// Appends `argv` as a RESP array of bulk strings to `out`.
void AppendRespCommand(std::string* out, std::span<const std::string_view> argv);
void AppendRespCommand(std::string* out, std::span<const std::string> argv);

class Propagator {
 public:
  bool enabled() const { return !sinks_.empty(); }
  void AddSink(PropagationSink* sink);
  void RemoveSink(PropagationSink* sink);

  // Queues one command of the running call. No-op when no sink is attached.
  void Add(int db, std::span<const std::string_view> argv);
  void Add(int db, std::span<const std::string> argv);
  // Hands the queued commands to every sink as one batch (MULTI/EXEC-wrapped when more than
  // one) and clears the queue. Called when a top-level call ends: inline, since nearly every
  // call has nothing queued.
  void Flush() {
    if (!pending_.empty()) FlushPending();
  }
  bool has_pending() const { return !pending_.empty(); }

 private:
  void FlushPending();

  std::vector<PropagationSink*> sinks_;
  std::vector<PropagatedCommand> pending_;
  std::vector<PropagatedCommand> batch_;  // reused: the wrapped batch handed to the sinks
};

}  // namespace basalt
