// Dataset digests: the SHA-1 based fingerprints of DEBUG DIGEST and DEBUG DIGEST-VALUE.
//
// They are computed exactly as Redis computes them, so that two servers (or one server before
// and after an operation) holding the same data report the same 40 hex digits, and a test
// suite written for Redis can compare them. Two ways to fold bytes into a 20-byte digest:
//
//   Xor(d, bytes):  d ^= SHA1(bytes)            order-insensitive (set members, keys of a db)
//   Mix(d, bytes):  d = SHA1(d ^ SHA1(bytes))   order-sensitive (list elements, fields of one
//                                               element), and "ab","c" differs from "a","bc"
//
// A key's digest is Mix(key) followed by the value digest: Mix(type as 4 big-endian bytes),
// then the value's contents (per type, below), then Xor("!!expire!!") when it has a TTL. A
// database contributes Mix(db id as 4 big-endian bytes) to the dataset digest and then
// Xor(key digest) for each key (that is, the SHA1 of the key's 20 digest bytes); empty
// databases contribute nothing, so an empty dataset is all zeros.
//
// Per-type contents (Redis's rules; only strings exist so far, the others land with their type):
//   string  Mix(bytes) (an int-encoded string as its decimal text)
//   list    Mix(element) for each element, head to tail
//   set     Xor(member) for each member
//   zset    per member e = 0, Mix(e, member), Mix(e, "%.17g" score); XorDigest(d, e)
//   hash    per field  e = 0, Mix(e, field), Mix(e, value); XorDigest(d, e)
//   stream  per entry Mix("<ms>.<seq>"), then Mix(field), Mix(value) for each field
//
// Expired keys not yet removed are included, as in Redis (the digest does not expire keys).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "db/database.h"

namespace basalt {

class Digest {
 public:
  using Bytes = std::array<uint8_t, 20>;

  // Folds SHA1(bytes) in with XOR (order-insensitive).
  void Xor(std::string_view bytes);
  // Folds `bytes` in so that order matters: d = SHA1(d ^ SHA1(bytes)).
  void Mix(std::string_view bytes);
  // Xor() of another digest's 20 bytes (so d ^= SHA1(other)): how per-key and per-element
  // digests are folded into their container's.
  void XorDigest(const Digest& other);
  // Mix() of a 32-bit number as its 4 big-endian bytes (how Redis feeds types and db ids).
  void MixUint32(uint32_t v);

  const Bytes& bytes() const { return bytes_; }
  bool IsZero() const;
  // 40 lower-case hex digits.
  std::string Hex() const;

 private:
  Bytes bytes_{};
};

// Mixes the value digest of `entry` (type, contents, expiry flag; not the key) into `d`: what
// DEBUG DIGEST-VALUE reports for one key, starting from a zero digest.
void MixValueDigest(const DbEntry& entry, Digest* d);

// The digest of one key: Mix(key), then its value digest.
Digest KeyDigest(const DbEntry& entry);

// Folds database `db` into a dataset digest `d` (nothing when it is empty). Call for every
// database in id order, starting from a zero digest, to get DEBUG DIGEST's value.
void AddDatabaseDigest(Database& db, Digest* d);

}  // namespace basalt
