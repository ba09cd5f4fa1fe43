// Bitmap commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO.
//
// Strings are bitmaps (see types/bitmap.h for the bit order). The bit arithmetic lives in
// types/bitmap; this file parses arguments, finds the keys and replies, following Redis 7.0's
// bitops.c, including the order in which errors are detected. Writers leave the string raw,
// grown with zero bytes up to the highest bit they touch.
#include <algorithm>
#include <optional>
#include <vector>

#include "commands/keyspace_events.h"
#include "commands/registry.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "types/bitmap.h"
#include "util/strconv.h"

namespace basalt {

namespace {

constexpr std::string_view kErrBitOffset = "ERR bit offset is not an integer or out of range";

// proto-max-bulk-len: bit offsets must address a byte below it.
// Capped below 4 GB because string buffers keep 32-bit lengths.
uint64_t MaxStringBytes(CommandContext& ctx) {
  constexpr uint64_t kHardCap = (1ULL << 32) - (4ULL << 20);
  const int64_t configured = ctx.server.config().proto_max_bulk_len;
  return configured <= 0 ? 0 : std::min<uint64_t>(static_cast<uint64_t>(configured), kHardCap);
}

// Redis's lookupStringForBitCommand: the string at `key`, created or zero-padded so that bit
// `max_bit` exists. nullptr after a WRONGTYPE reply. *grew tells whether the key was created
// or lengthened (which counts as a change even when no bit flips).
DbEntry* LookupStringForBits(CommandContext& ctx, std::string_view key, uint64_t max_bit,
                             bool* grew) {
  const size_t need = static_cast<size_t>(max_bit >> 3) + 1;
  DbEntry* e = ctx.LookupWrite(key);
  if (e == nullptr) {
    Value v = Value::RawString("");
    v.MutableString(need);
    v.set_lru(static_cast<uint32_t>(ctx.server.lru_clock()));
    *grew = true;
    return ctx.db().Add(key, std::move(v));
  }
  if (!ctx.CheckType(e, ValueType::kString)) return nullptr;
  const size_t old_len = e->value.StringLength();
  e->value.MutableString(need);  // raw from now on, like Redis's dbUnshareStringValue
  *grew = e->value.StringLength() != old_len;
  return e;
}

// Whether argv[i] is BIT (true) or BYTE (false); nullopt after a syntax error reply.
std::optional<bool> ParseBitUnit(CommandContext& ctx, size_t i) {
  if (EqualsIgnoreCase(ctx.argv[i], "bit")) return true;
  if (EqualsIgnoreCase(ctx.argv[i], "byte")) return false;
  ctx.reply.Error(kErrSyntax);
  return std::nullopt;
}

// SETBIT key offset value
void SetBit(CommandContext& ctx) {
  std::optional<uint64_t> offset = ParseBitOffset(ctx.argv[2], 0, MaxStringBytes(ctx));
  if (!offset) return ctx.reply.Error(kErrBitOffset);
  std::optional<int64_t> on = ParseInt64(ctx.argv[3]);
  if (!on || (*on & ~int64_t{1}) != 0) {
    return ctx.reply.Error("ERR bit is not an integer or out of range");
  }
  bool grew = false;
  DbEntry* e = LookupStringForBits(ctx, ctx.argv[1], *offset, &grew);
  if (e == nullptr) return;
  auto* byte = reinterpret_cast<uint8_t*>(e->value.MutableString(0)) + (*offset >> 3);
  const uint8_t mask = static_cast<uint8_t>(0x80u >> (*offset & 7));
  const bool old_bit = (*byte & mask) != 0;
  if (grew || old_bit != (*on == 1)) {
    *byte = static_cast<uint8_t>(*on ? *byte | mask : *byte & ~mask);
    ctx.AddDirty();
  }
  ctx.reply.Integer(old_bit ? 1 : 0);
}

// GETBIT key offset
void GetBit(CommandContext& ctx) {
  std::optional<uint64_t> offset = ParseBitOffset(ctx.argv[2], 0, MaxStringBytes(ctx));
  if (!offset) return ctx.reply.Error(kErrBitOffset);
  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Integer(0);
  if (!ctx.CheckType(e, ValueType::kString)) return;
  char scratch[kInt64StrLen];
  std::string_view s = e->value.StringView(scratch);
  const uint64_t byte = *offset >> 3;
  if (byte >= s.size()) return ctx.reply.Integer(0);
  const uint8_t mask = static_cast<uint8_t>(0x80u >> (*offset & 7));
  ctx.reply.Integer((static_cast<uint8_t>(s[byte]) & mask) != 0 ? 1 : 0);
}

// BITCOUNT key [start end [BYTE | BIT]]
void BitCount(CommandContext& ctx) {
  // The key comes first: a missing key answers 0 whatever the other arguments are.
  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Integer(0);
  if (!ctx.CheckType(e, ValueType::kString)) return;
  char scratch[kInt64StrLen];
  std::string_view s = e->value.StringView(scratch);
  const int64_t len = static_cast<int64_t>(s.size());

  if (ctx.argc() == 2) return ctx.reply.Integer(static_cast<int64_t>(PopCount(s)));
  if (ctx.argc() != 4 && ctx.argc() != 5) return ctx.reply.Error(kErrSyntax);
  std::optional<int64_t> start = ParseInt64(ctx.argv[2]);
  if (!start) return ctx.reply.Error(kErrNotInteger);
  std::optional<int64_t> end = ParseInt64(ctx.argv[3]);
  if (!end) return ctx.reply.Error(kErrNotInteger);
  // Checked before the unit, so "BITCOUNT k -1 -2 FOO" is 0, not a syntax error.
  if (*start < 0 && *end < 0 && *start > *end) return ctx.reply.Integer(0);
  bool in_bits = false;
  if (ctx.argc() == 5) {
    std::optional<bool> unit = ParseBitUnit(ctx, 4);
    if (!unit) return;
    in_bits = *unit;
  }
  IndexRange r = ClampRange(*start, *end, in_bits ? len * 8 : len);
  if (r.empty()) return ctx.reply.Integer(0);
  const uint64_t first_bit = in_bits ? r.start : r.start * 8;
  const uint64_t last_bit = in_bits ? r.end : r.end * 8 + 7;
  ctx.reply.Integer(static_cast<int64_t>(PopCountBits(s, first_bit, last_bit)));
}

// BITPOS key bit [start [end [BYTE | BIT]]]
void BitPos(CommandContext& ctx) {
  std::optional<int64_t> bit = ParseInt64(ctx.argv[2]);
  if (!bit) return ctx.reply.Error(kErrNotInteger);
  if (*bit != 0 && *bit != 1) return ctx.reply.Error("ERR The bit argument must be 1 or 0.");
  // A missing key is an endless run of zeros.
  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Integer(*bit ? -1 : 0);
  if (!ctx.CheckType(e, ValueType::kString)) return;
  char scratch[kInt64StrLen];
  std::string_view s = e->value.StringView(scratch);
  const int64_t len = static_cast<int64_t>(s.size());

  bool in_bits = false, end_given = false;
  IndexRange r{0, len - 1};
  if (ctx.argc() >= 4 && ctx.argc() <= 6) {
    std::optional<int64_t> start = ParseInt64(ctx.argv[3]);
    if (!start) return ctx.reply.Error(kErrNotInteger);
    if (ctx.argc() == 6) {
      std::optional<bool> unit = ParseBitUnit(ctx, 5);
      if (!unit) return;
      in_bits = *unit;
    }
    int64_t end = len - 1;
    if (ctx.argc() >= 5) {
      std::optional<int64_t> parsed = ParseInt64(ctx.argv[4]);
      if (!parsed) return ctx.reply.Error(kErrNotInteger);
      end = *parsed;
      end_given = true;
    }
    r = ClampRange(*start, end, in_bits ? len * 8 : len);
  } else if (ctx.argc() != 3) {
    return ctx.reply.Error(kErrSyntax);
  }
  // An empty range holds neither a 0 nor a 1.
  if (r.empty()) return ctx.reply.Integer(-1);
  const uint64_t first_bit = in_bits ? r.start : r.start * 8;
  const uint64_t last_bit = in_bits ? r.end : r.end * 8 + 7;
  int64_t pos = FindBit(s, static_cast<int>(*bit), first_bit, last_bit);
  // Without an explicit end the string counts as zero-padded on the right, so a clear bit is
  // always found: the first one past the end.
  if (pos < 0 && *bit == 0 && !end_given) pos = static_cast<int64_t>(last_bit) + 1;
  ctx.reply.Integer(pos);
}

// BITOP AND | OR | XOR | NOT destkey key [key ...]
void BitOpCommand(CommandContext& ctx) {
  std::string_view op_name = ctx.argv[1];
  BitOpKind op;
  if (EqualsIgnoreCase(op_name, "and")) {
    op = BitOpKind::kAnd;
  } else if (EqualsIgnoreCase(op_name, "or")) {
    op = BitOpKind::kOr;
  } else if (EqualsIgnoreCase(op_name, "xor")) {
    op = BitOpKind::kXor;
  } else if (EqualsIgnoreCase(op_name, "not")) {
    op = BitOpKind::kNot;
  } else {
    return ctx.reply.Error(kErrSyntax);
  }
  if (op == BitOpKind::kNot && ctx.argc() != 4) {
    return ctx.reply.Error("ERR BITOP NOT must be called with a single source key.");
  }

  // Entries never move, and no lookup here deletes a key looked up before it, so the views
  // stay valid until the destination is written.
  const size_t num_sources = ctx.argc() - 3;
  std::vector<std::string_view> sources(num_sources);
  struct Scratch {
    char buf[kInt64StrLen];
  };
  std::vector<Scratch> scratch(num_sources);
  for (size_t j = 0; j < num_sources; ++j) {
    DbEntry* e = ctx.LookupRead(ctx.argv[j + 3]);
    if (e == nullptr) continue;  // a missing key is an empty string
    if (!ctx.CheckType(e, ValueType::kString)) return;
    sources[j] = e->value.StringView(scratch[j].buf);
  }

  std::string_view dest = ctx.argv[2];
  const size_t result_len = BitOpLength(sources);
  if (result_len > 0) {
    // The result is built in a fresh value: a source may be the destination itself.
    Value v = Value::RawString("");
    BitOp(op, sources, std::span<char>(v.MutableString(result_len), result_len));
    v.set_lru(static_cast<uint32_t>(ctx.server.lru_clock()));
    ctx.db().Set(dest, std::move(v), ctx.now_ms());
    ctx.AddDirty();
  } else if (ctx.db().Delete(dest)) {
    ctx.AddDirty();
    ctx.NotifyInstead(kEvDel, dest);
  }
  ctx.reply.Integer(static_cast<int64_t>(result_len));
}

// ---- BITFIELD ------------------------------------------------------------------------------

enum class FieldOp { kGet, kSet, kIncrBy };

struct FieldCommand {
  FieldOp op;
  BitfieldType type;
  uint64_t offset;
  int64_t arg;  // SET value or INCRBY increment
  BitfieldOverflow overflow;
};

// BITFIELD key [GET type offset | SET type offset value | INCRBY type offset increment |
//               OVERFLOW WRAP|SAT|FAIL] ...
// BITFIELD_RO key [GET type offset] ...
void BitfieldGeneric(CommandContext& ctx, bool read_only_command) {
  std::vector<FieldCommand> ops;
  BitfieldOverflow overflow = BitfieldOverflow::kWrap;
  bool writes = false;
  uint64_t highest_write_bit = 0;
  const uint64_t max_bytes = MaxStringBytes(ctx);

  // Parse everything first: nothing is read or written when any argument is bad.
  for (size_t j = 2; j < ctx.argc();) {
    const size_t remaining = ctx.argc() - j - 1;
    std::string_view sub = ctx.argv[j];
    FieldOp op;
    if (EqualsIgnoreCase(sub, "get") && remaining >= 2) {
      op = FieldOp::kGet;
    } else if (EqualsIgnoreCase(sub, "set") && remaining >= 3) {
      op = FieldOp::kSet;
    } else if (EqualsIgnoreCase(sub, "incrby") && remaining >= 3) {
      op = FieldOp::kIncrBy;
    } else if (EqualsIgnoreCase(sub, "overflow") && remaining >= 1) {
      std::string_view mode = ctx.argv[j + 1];
      if (EqualsIgnoreCase(mode, "wrap")) {
        overflow = BitfieldOverflow::kWrap;
      } else if (EqualsIgnoreCase(mode, "sat")) {
        overflow = BitfieldOverflow::kSat;
      } else if (EqualsIgnoreCase(mode, "fail")) {
        overflow = BitfieldOverflow::kFail;
      } else {
        return ctx.reply.Error("ERR Invalid OVERFLOW type specified");
      }
      j += 2;
      continue;
    } else {
      return ctx.reply.Error(kErrSyntax);
    }

    std::optional<BitfieldType> type = ParseBitfieldType(ctx.argv[j + 1]);
    if (!type) {
      return ctx.reply.Error(
          "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not "
          "supported but i64 is.");
    }
    std::optional<uint64_t> offset = ParseBitOffset(ctx.argv[j + 2], type->bits, max_bytes);
    if (!offset) return ctx.reply.Error(kErrBitOffset);
    int64_t arg = 0;
    if (op != FieldOp::kGet) {
      writes = true;
      highest_write_bit = std::max(highest_write_bit, *offset + type->bits - 1);
      std::optional<int64_t> parsed = ParseInt64(ctx.argv[j + 3]);
      if (!parsed) return ctx.reply.Error(kErrNotInteger);
      arg = *parsed;
    }
    ops.push_back({op, *type, *offset, arg, overflow});
    j += op == FieldOp::kGet ? 3 : 4;
  }

  DbEntry* e;
  bool grew = false;
  if (!writes) {
    e = ctx.LookupRead(ctx.argv[1]);
    if (e != nullptr && !ctx.CheckType(e, ValueType::kString)) return;
  } else {
    if (read_only_command) {
      return ctx.reply.Error("ERR BITFIELD_RO only supports the GET subcommand");
    }
    // Grown once, up to the farthest bit written, even if every write then fails.
    e = LookupStringForBits(ctx, ctx.argv[1], highest_write_bit, &grew);
    if (e == nullptr) return;
  }

  char scratch[kInt64StrLen];
  std::string_view bytes = e ? e->value.StringView(scratch) : std::string_view();
  char* mutable_bytes = writes ? e->value.MutableString(0) : nullptr;
  uint64_t changes = 0;
  ctx.reply.ArrayHeader(static_cast<int64_t>(ops.size()));
  for (const FieldCommand& f : ops) {
    const int bits = f.type.bits;
    const int64_t old_value = f.type.is_signed
                                  ? GetSignedField(bytes, f.offset, bits)
                                  : static_cast<int64_t>(GetUnsignedField(bytes, f.offset, bits));
    if (f.op == FieldOp::kGet) {
      ctx.reply.Integer(old_value);
      continue;
    }
    FieldOutcome out = f.op == FieldOp::kIncrBy ? FieldAdd(f.type, old_value, f.arg, f.overflow)
                                                : FieldAdd(f.type, f.arg, 0, f.overflow);
    if (out.overflow && f.overflow == BitfieldOverflow::kFail) {
      ctx.reply.Null();
      continue;
    }
    ctx.reply.Integer(f.op == FieldOp::kIncrBy ? out.value : old_value);
    SetField(mutable_bytes, f.offset, bits, static_cast<uint64_t>(out.value));
    if (grew || out.value != old_value) ++changes;
  }
  if (changes > 0) ctx.AddDirty(changes);
}

void Bitfield(CommandContext& ctx) { BitfieldGeneric(ctx, false); }
void BitfieldRo(CommandContext& ctx) { BitfieldGeneric(ctx, true); }

}  // namespace

void RegisterBitCommands(CommandTable& table) {
  constexpr uint64_t kAcl = kAclBitmap;
  table.Register({.name = "setbit", .arity = 4, .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "bitmap", .since = "2.2.0",
                  .summary = "Sets or clears the bit at offset in the string value stored at key",
                  .complexity = "O(1)", .handler = SetBit});
  table.Register({.name = "getbit", .arity = 3, .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "bitmap", .since = "2.2.0",
                  .summary = "Returns the bit value at offset in the string value stored at key",
                  .complexity = "O(1)", .handler = GetBit});
  table.Register({.name = "bitcount", .arity = -2, .flags = kCmdReadOnly, .keys = {1, 1, 1},
                  .acl = kAcl, .group = "bitmap", .since = "2.6.0",
                  .summary = "Count set bits in a string", .complexity = "O(N)",
                  .handler = BitCount});
  table.Register({.name = "bitpos", .arity = -3, .flags = kCmdReadOnly, .keys = {1, 1, 1},
                  .acl = kAcl, .group = "bitmap", .since = "2.8.7",
                  .summary = "Find first bit set or clear in a string", .complexity = "O(N)",
                  .handler = BitPos});
  table.Register({.name = "bitop", .arity = -4, .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {2, -1, 1}, .acl = kAcl, .group = "bitmap", .since = "2.6.0",
                  .summary = "Perform bitwise operations between strings", .complexity = "O(N)",
                  .handler = BitOpCommand, .written_keys = WrittenKeys::kFirst});
  table.Register({.name = "bitfield", .arity = -2, .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "bitmap", .since = "3.2.0",
                  .summary = "Perform arbitrary bitfield integer operations on strings",
                  .complexity = "O(1) for each subcommand specified", .handler = Bitfield});
  table.Register({.name = "bitfield_ro", .arity = -2, .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "bitmap", .since = "6.0.0",
                  .summary = "Perform arbitrary bitfield integer operations on strings. "
                             "Read-only variant of BITFIELD",
                  .complexity = "O(1) for each subcommand specified", .handler = BitfieldRo});
}

}  // namespace basalt
