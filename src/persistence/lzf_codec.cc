#include "persistence/lzf_codec.h"

#include <lzf.h>

#include <climits>

namespace basalt {

std::optional<std::string> LzfCompress(std::string_view in) {
  if (in.size() <= 4 || in.size() > UINT_MAX) return std::nullopt;
  std::string out(in.size() - 4, '\0');
  unsigned int n = lzf_compress(in.data(), static_cast<unsigned int>(in.size()), out.data(),
                                static_cast<unsigned int>(out.size()));
  if (n == 0) return std::nullopt;
  out.resize(n);
  return out;
}

std::optional<std::string> LzfDecompress(std::string_view in, size_t out_len) {
  if (out_len == 0 || out_len > UINT_MAX || in.size() > UINT_MAX || in.empty()) {
    return std::nullopt;
  }
  // An LZF back reference expands 3 bytes into at most 264, so a longer announced length is
  // corrupt; checking first keeps a flipped length from allocating gigabytes.
  if (out_len / 88 > in.size()) return std::nullopt;
  std::string out(out_len, '\0');
  unsigned int n = lzf_decompress(in.data(), static_cast<unsigned int>(in.size()), out.data(),
                                  static_cast<unsigned int>(out_len));
  if (n != out_len) return std::nullopt;
  return out;
}

}  // namespace basalt
