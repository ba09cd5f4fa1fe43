// Tracking: server-assisted client-side caching (CLIENT TRACKING), as Redis 7.0's tracking.c.
//
// Two tables, owned by Server:
//   keys_      "user:1" -> {client ids that read it}   default mode: keys a client read
//   prefixes_  "user:"  -> {clients in BCAST mode}     BCAST: every write under the prefix
//
// Keys are tracked by name across all databases (as Redis: one cache namespace). When a
// tracked key is modified, expires or is evicted from the table (tracking-table-max-keys),
// its entry is dropped and each client that read it receives one invalidation message:
//   RESP3:                  >2 "invalidate" [key]
//   RESP2 with REDIRECT:    the redirect client, if it is in Pub/Sub mode, receives
//                           *3 "message" "__redis__:invalidate" [key]
// FLUSHDB/FLUSHALL send a null instead of the key list to every tracking client. A
// message for a client running the command that caused it is held until its reply is out
// (and until EXEC's whole reply is out), so pushes never interleave with replies.
//
// Ids, not pointers, live in keys_: a client that goes away is skipped lazily, as Redis does.
// BCAST prefixes hold Client pointers: Disable() removes them before a client is freed.
// Single-threaded like the rest of the server.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace basalt {

class Client;
class Server;
struct CommandSpec;

// One client's tracking options (a member of Client).
struct ClientTrackingState {
  bool on = false;
  bool bcast = false;
  bool optin = false;
  bool optout = false;
  bool caching = false;  // CLIENT CACHING yes/no given for the next command
  bool noloop = false;
  bool broken_redirect = false;
  uint64_t redirect = 0;  // 0: no redirection
  std::vector<std::string> prefixes;  // BCAST prefixes, in the order given
};

// The options of one CLIENT TRACKING ON.
struct TrackingOptions {
  uint64_t redirect = 0;
  bool bcast = false;
  bool optin = false;
  bool optout = false;
  bool noloop = false;
  std::vector<std::string> prefixes;
};

class Tracking {
 public:
  explicit Tracking(Server& server) : server_(server) {}
  Tracking(const Tracking&) = delete;
  Tracking& operator=(const Tracking&) = delete;

  // Cheap test for the dispatcher's hooks: nothing to do while no client tracks and the
  // table is empty.
  bool active() const { return tracking_clients_ > 0 || !keys_.empty(); }

  // CLIENT TRACKING ON with validated options (a second ON replaces the options, as Redis).
  void Enable(Client& c, const TrackingOptions& options);
  // CLIENT TRACKING OFF, RESET, disconnection.
  void Disable(Client& c);
  // CLIENT TRACKING's overlap check of new BCAST prefixes against each other and the
  // client's: the error text ("ERR ..."), or "" when they do not overlap.
  static std::string PrefixCollision(const Client& c, std::span<const std::string> prefixes);

  // `key` was modified by `writer` (NOLOOP: not sent to it), or by the server itself when
  // null (expiry); see Server::SignalModifiedKey.
  void InvalidateKey(Client* writer, std::string_view key);
  // FLUSHDB/FLUSHALL: a null invalidation to every tracking client; the table is emptied.
  void InvalidateAll(Client* writer);
  // After every command: remembers the keys of a read-only command for its client (default
  // mode, honouring OPTIN/OPTOUT and CACHING), ends a CLIENT CACHING's one-command scope,
  // sends the client's held messages when `nested` is false (not inside EXEC), and evicts
  // keys over tracking-table-max-keys.
  void AfterCommand(Client& c, const CommandSpec& spec, std::span<const std::string_view> argv,
                    bool nested);
  // Remembers the keys of `argv` (a `spec` command) as read by `c`, if `c` tracks them
  // (default mode, honouring OPTIN/OPTOUT and CACHING). A read inside a script uses it for
  // the script's caller.
  void RememberKeys(Client& c, const CommandSpec& spec, std::span<const std::string_view> argv);

  size_t tracking_clients() const { return tracking_clients_; }
  size_t total_keys() const { return keys_.size(); }
  uint64_t total_items() const { return total_items_; }
  size_t total_prefixes() const { return prefixes_.size(); }

 private:
  struct KeyEntry {
    size_t index = 0;            // position in key_list_ (for random eviction)
    std::vector<uint64_t> ids;   // clients that may cache the key, without repeats
  };
  // Sends (or holds, for `writer` itself) the invalidation of `key` to its readers and
  // drops its entry. `bcast`: also to BCAST clients whose prefix matches (false when
  // evicting from the table: the key did not change).
  void Invalidate(Client* writer, std::string_view key, bool bcast);
  // Removes the entry from keys_ and key_list_ (the caller accounts for its ids).
  void EraseKey(std::unordered_map<std::string, KeyEntry>::iterator it);
  // Sends one invalidation message whose payload (RESP bytes of an array of keys, or a null
  // when `keys` is nullptr) is built per receiving protocol.
  void Send(Client& c, const std::vector<std::string_view>* keys);
  void EvictOverLimit();

  Server& server_;
  size_t tracking_clients_ = 0;
  uint64_t total_items_ = 0;
  std::unordered_map<std::string, KeyEntry> keys_;
  std::vector<const std::string*> key_list_;  // keys_'s keys, for O(1) random picks
  std::map<std::string, std::vector<Client*>, std::less<>> prefixes_;
  // Invalidations held for the client whose command caused them, in order (nullopt: a
  // flush). Sent after its reply.
  uint64_t held_for_ = 0;
  std::vector<std::optional<std::string>> held_;
  // BCAST: keys written by the running command, per prefix, with the writer's id (NOLOOP),
  // sent as one message per prefix and client once the command is done.
  std::map<std::string, std::vector<std::pair<std::string, uint64_t>>, std::less<>> bcast_keys_;
  void FlushBroadcasts();
  uint64_t rng_state_ = 0x9E3779B97F4A7C15ULL;
};

}  // namespace basalt
