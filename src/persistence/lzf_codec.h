// LZF compression of RDB strings (liblzf, the codec Redis links), with the size rules Redis
// applies: compress only when it saves at least 4 bytes (the encoded form carries two extra
// lengths), and decompress only into exactly the length the file announces.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace basalt {

// The LZF-compressed bytes of `in`, or nullopt when `in` is too short (<= 4 bytes) or would
// not shrink by more than 4 bytes.
std::optional<std::string> LzfCompress(std::string_view in);

// Decompresses `in` into exactly `out_len` bytes; nullopt if the data is corrupt or does not
// decompress to that length.
std::optional<std::string> LzfDecompress(std::string_view in, size_t out_len);

}  // namespace basalt
