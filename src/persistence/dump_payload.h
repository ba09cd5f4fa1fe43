// DUMP / RESTORE payloads, byte-compatible with Redis 7.0:
//
//   +---------------------------+-------------------------+----------------------+
//   | body                      | RDB version: 2 bytes LE | CRC-64 of all before |
//   |                           |                         | 8 bytes LE           |
//   +---------------------------+-------------------------+----------------------+
//
// For a key (DUMP / RESTORE) the body is a type id and a value body (rdb_value.h); for
// FUNCTION DUMP / RESTORE it is a FUNCTION2 record per library. The footer is the same for
// both and is written and checked only here.
//
// Pure functions over bytes; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "persistence/rdb_format.h"
#include "persistence/rdb_value.h"

namespace basalt {

// Appends the footer to `*payload`, which holds the body: the RDB version we write and the
// CRC-64 of everything before the checksum.
void AppendDumpFooter(std::string* payload);

// Redis's verifyDumpPayload: at least the footer's 10 bytes, a version not newer than
// `max_version`, a matching checksum (unless `check_crc` is false: DEBUG
// SET-SKIP-CHECKSUM-VALIDATION, which lets tests feed crafted payloads to the decoders).
// Returns the body (viewing `payload`), or nullopt meaning "ERR DUMP payload version or
// checksum are wrong".
std::optional<std::string_view> VerifiedDumpBody(std::string_view payload,
                                                 int max_version = kRdbMaxVersion,
                                                 bool check_crc = true);

std::string CreateDumpPayload(const Value& v, const RdbSaveOptions& opts);

// VerifiedDumpBody for a key's payload. Redis 7.0 accepts payloads up to its own version;
// we also read Redis 7.2's (11).
bool VerifyDumpPayload(std::string_view payload, bool check_crc = true);

// The value in a verified payload. nullopt value (empty or malformed) means
// "ERR Bad data format".
RdbLoadedValue DecodeDumpPayload(std::string_view payload, const RdbLoadLimits& limits);

}  // namespace basalt
