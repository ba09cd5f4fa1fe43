// Decoders for the compact encodings of RDB files older than Redis 7.0 (which Redis 7.0
// still loads): the ziplist (RDB types 10, 12, 13 and the nodes of 14) and the zipmap
// (type 9). Basalt never writes them: they are turned into plain elements and re-encoded.
//
// Ziplist: zlbytes:4 LE | zltail:4 LE | zllen:2 LE | entries | 0xFF, each entry being
//   prevlen (1 byte < 254, or 0xFE + 4 bytes LE) | encoding | data:
//     00llllll / 01llllll llllllll (big endian) / 10000000 + 4 bytes BE: a string
//     0xC0 int16, 0xD0 int32, 0xE0 int64, 0xF0 int24, 0xFE int8 (little endian)
//     0xF1..0xFD: the integer 0..12 itself
// Zipmap: zmlen:1 | (len key len free value pad)* | 0xFF, lengths one byte < 254 or 0xFE +
//   4 bytes LE.
//
// Every read is bounds-checked: a corrupt blob gives nullopt, never a read outside it.
// Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace basalt {

// The ziplist's entries as strings (integers in decimal), or nullopt if malformed.
std::optional<std::vector<std::string>> DecodeZiplist(std::string_view blob);

// The zipmap's key, value, key, value, ... or nullopt if malformed.
std::optional<std::vector<std::string>> DecodeZipmap(std::string_view blob);

}  // namespace basalt
