#include "scripting/lua_cmsgpack.h"

#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

namespace basalt {
namespace {

constexpr int kMaxNesting = 16;

// --- encoding ---

void PutBigEndian(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void PutTagged(std::string* out, uint8_t tag, uint64_t v, int bytes) {
  out->push_back(static_cast<char>(tag));
  PutBigEndian(out, v, bytes);
}

void EncodeInteger(std::string* out, int64_t n) {
  if (n >= 0) {
    uint64_t u = static_cast<uint64_t>(n);
    if (u <= 127) {
      out->push_back(static_cast<char>(u));
    } else if (u <= 0xFF) {
      PutTagged(out, 0xCC, u, 1);
    } else if (u <= 0xFFFF) {
      PutTagged(out, 0xCD, u, 2);
    } else if (u <= 0xFFFFFFFFULL) {
      PutTagged(out, 0xCE, u, 4);
    } else {
      PutTagged(out, 0xCF, u, 8);
    }
    return;
  }
  uint64_t bits = static_cast<uint64_t>(n);
  if (n >= -32) {
    out->push_back(static_cast<char>(bits & 0xFF));  // negative fixint 111xxxxx
  } else if (n >= INT8_MIN) {
    PutTagged(out, 0xD0, bits & 0xFF, 1);
  } else if (n >= INT16_MIN) {
    PutTagged(out, 0xD1, bits & 0xFFFF, 2);
  } else if (n >= INT32_MIN) {
    PutTagged(out, 0xD2, bits & 0xFFFFFFFFULL, 4);
  } else {
    PutTagged(out, 0xD3, bits, 8);
  }
}

void EncodeNumber(std::string* out, lua_Number n) {
  if (!std::isinf(n) && !std::isnan(n) && n >= -9223372036854775808.0 &&
      n < 9223372036854775808.0 && static_cast<lua_Number>(static_cast<int64_t>(n)) == n) {
    return EncodeInteger(out, static_cast<int64_t>(n));
  }
  float f = static_cast<float>(n);
  if (static_cast<lua_Number>(f) == n) {
    uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof(bits));
    return PutTagged(out, 0xCA, bits, 4);
  }
  uint64_t bits = 0;
  std::memcpy(&bits, &n, sizeof(bits));
  PutTagged(out, 0xCB, bits, 8);
}

void EncodeString(std::string* out, const char* s, size_t len) {
  if (len < 32) {
    out->push_back(static_cast<char>(0xA0 | len));
  } else if (len <= 0xFF) {
    PutTagged(out, 0xD9, len, 1);
  } else if (len <= 0xFFFF) {
    PutTagged(out, 0xDA, len, 2);
  } else {
    PutTagged(out, 0xDB, len, 4);
  }
  out->append(s, len);
}

void EncodeHeader(std::string* out, size_t n, uint8_t fix, uint8_t tag16, uint8_t tag32) {
  if (n <= 15) {
    out->push_back(static_cast<char>(fix | n));
  } else if (n <= 0xFFFF) {
    PutTagged(out, tag16, n, 2);
  } else {
    PutTagged(out, tag32, n, 4);
  }
}

// Whether the table at the top has exactly the keys 1..n (the empty table counts).
bool IsArray(lua_State* L) {
  int top = lua_gettop(L);
  lua_Number max = 0;
  lua_Number count = 0;
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TNUMBER) {
      lua_settop(L, top);
      return false;
    }
    lua_Number n = lua_tonumber(L, -1);
    if (n <= 0 || n != std::floor(n)) {
      lua_settop(L, top);
      return false;
    }
    if (n > max) max = n;
    ++count;
  }
  lua_settop(L, top);
  return max == count;
}

void EncodeValue(lua_State* L, std::string* out, int level);

void EncodeTable(lua_State* L, std::string* out, int level) {
  if (!lua_checkstack(L, 3)) luaL_error(L, "lua stack limit reached while packing");
  if (IsArray(L)) {
    size_t n = lua_objlen(L, -1);
    EncodeHeader(out, n, 0x90, 0xDC, 0xDD);
    for (size_t j = 1; j <= n; ++j) {
      lua_rawgeti(L, -1, static_cast<int>(j));
      EncodeValue(L, out, level + 1);
    }
    return;
  }
  size_t pairs = 0;
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pop(L, 1);
    ++pairs;
  }
  EncodeHeader(out, pairs, 0x80, 0xDE, 0xDF);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pushvalue(L, -2);
    EncodeValue(L, out, level + 1);  // the key
    EncodeValue(L, out, level + 1);  // the value
  }
}

// Encodes and pops the value at the top.
void EncodeValue(lua_State* L, std::string* out, int level) {
  int type = lua_type(L, -1);
  if (type == LUA_TTABLE && level == kMaxNesting) type = LUA_TNIL;
  switch (type) {
    case LUA_TSTRING: {
      size_t len = 0;
      const char* s = lua_tolstring(L, -1, &len);
      EncodeString(out, s, len);
      break;
    }
    case LUA_TBOOLEAN:
      out->push_back(static_cast<char>(lua_toboolean(L, -1) ? 0xC3 : 0xC2));
      break;
    case LUA_TNUMBER:
      EncodeNumber(out, lua_tonumber(L, -1));
      break;
    case LUA_TTABLE:
      EncodeTable(L, out, level);
      break;
    default:
      out->push_back(static_cast<char>(0xC0));
  }
  lua_pop(L, 1);
}

int Pack(lua_State* L) {
  int argc = lua_gettop(L);
  if (argc == 0) return luaL_argerror(L, 0, "MessagePack pack needs input.");
  std::string out;
  for (int i = 1; i <= argc; ++i) {
    lua_pushvalue(L, i);
    EncodeValue(L, &out, 0);
  }
  lua_pushlstring(L, out.data(), out.size());
  return 1;
}

// --- decoding ---

class Decoder {
 public:
  enum class Error { kNone, kEof, kBadFormat };

  Decoder(lua_State* L, const unsigned char* p, size_t len) : L_(L), p_(p), left_(len) {}
  size_t left() const { return left_; }
  Error error() const { return error_; }

  // Pushes one decoded value (or sets error(), pushing nothing).
  void Decode() {
    if (!lua_checkstack(L_, 3)) luaL_error(L_, "lua stack limit reached while unpacking");
    if (!Need(1)) return;
    unsigned c = p_[0];
    if (c <= 0x7F) return Advance(1), lua_pushnumber(L_, c);
    if (c >= 0xE0) return Advance(1), lua_pushnumber(L_, static_cast<int8_t>(c));
    if (c >= 0xA0 && c <= 0xBF) return Str(1, c & 0x1F);
    if (c >= 0x90 && c <= 0x9F) return Advance(1), Array(c & 0x0F);
    if (c >= 0x80 && c <= 0x8F) return Advance(1), Map(c & 0x0F);
    switch (c) {
      case 0xC0:
        return Advance(1), lua_pushnil(L_);
      case 0xC2:
        return Advance(1), lua_pushboolean(L_, 0);
      case 0xC3:
        return Advance(1), lua_pushboolean(L_, 1);
      case 0xCC:
      case 0xCD:
      case 0xCE:
      case 0xCF: {
        int bytes = 1 << (c - 0xCC);
        if (!Need(1 + bytes)) return;
        uint64_t v = BigEndian(1, bytes);
        Advance(1 + bytes);
        return lua_pushnumber(L_, static_cast<lua_Number>(v));
      }
      case 0xD0:
      case 0xD1:
      case 0xD2:
      case 0xD3: {
        int bytes = 1 << (c - 0xD0);
        if (!Need(1 + bytes)) return;
        uint64_t v = BigEndian(1, bytes);
        Advance(1 + bytes);
        int64_t s = bytes == 1   ? static_cast<int8_t>(v)
                    : bytes == 2 ? static_cast<int16_t>(v)
                    : bytes == 4 ? static_cast<int32_t>(v)
                                 : static_cast<int64_t>(v);
        return lua_pushnumber(L_, static_cast<lua_Number>(s));
      }
      case 0xCA: {
        if (!Need(5)) return;
        uint32_t bits = static_cast<uint32_t>(BigEndian(1, 4));
        float f = 0;
        std::memcpy(&f, &bits, sizeof(f));
        Advance(5);
        return lua_pushnumber(L_, f);
      }
      case 0xCB: {
        if (!Need(9)) return;
        uint64_t bits = BigEndian(1, 8);
        double d = 0;
        std::memcpy(&d, &bits, sizeof(d));
        Advance(9);
        return lua_pushnumber(L_, d);
      }
      case 0xC4:
      case 0xD9:
        return SizedStr(1);
      case 0xC5:
      case 0xDA:
        return SizedStr(2);
      case 0xC6:
      case 0xDB:
        return SizedStr(4);
      case 0xDC:
      case 0xDD: {
        int bytes = c == 0xDC ? 2 : 4;
        if (!Need(1 + bytes)) return;
        uint64_t n = BigEndian(1, bytes);
        Advance(1 + bytes);
        return Array(n);
      }
      case 0xDE:
      case 0xDF: {
        int bytes = c == 0xDE ? 2 : 4;
        if (!Need(1 + bytes)) return;
        uint64_t n = BigEndian(1, bytes);
        Advance(1 + bytes);
        return Map(n);
      }
      default:
        error_ = Error::kBadFormat;
    }
  }

 private:
  bool Need(size_t n) {
    if (left_ >= n) return true;
    error_ = Error::kEof;
    return false;
  }
  void Advance(size_t n) {
    p_ += n;
    left_ -= n;
  }
  uint64_t BigEndian(size_t offset, int bytes) const {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | p_[offset + static_cast<size_t>(i)];
    return v;
  }
  void Str(size_t header, uint64_t len) {
    if (!Need(header + len)) return;
    lua_pushlstring(L_, reinterpret_cast<const char*>(p_ + header), len);
    Advance(header + len);
  }
  void SizedStr(int bytes) {
    if (!Need(1 + static_cast<size_t>(bytes))) return;
    Str(1 + static_cast<size_t>(bytes), BigEndian(1, bytes));
  }
  void Array(uint64_t n) {
    lua_newtable(L_);
    for (uint64_t i = 1; i <= n; ++i) {
      Decode();
      if (error_ != Error::kNone) return lua_pop(L_, 1);
      lua_rawseti(L_, -2, static_cast<int>(i));
    }
  }
  void Map(uint64_t n) {
    lua_newtable(L_);
    for (uint64_t i = 0; i < n; ++i) {
      Decode();
      if (error_ != Error::kNone) return lua_pop(L_, 1);
      Decode();
      if (error_ != Error::kNone) return lua_pop(L_, 2);
      lua_settable(L_, -3);
    }
  }

  lua_State* L_;
  const unsigned char* p_;
  size_t left_;
  Error error_ = Error::kNone;
};

// Decodes up to `limit` values (all when `all`) from `offset`; see the header for results.
int UnpackFull(lua_State* L, lua_Integer limit, lua_Integer offset, bool all) {
  size_t len = 0;
  const char* s = luaL_checklstring(L, 1, &len);
  if (offset < 0 || limit < 0) {
    return luaL_error(L, "Invalid request to unpack with offset of %d and limit of %d.",
                      static_cast<int>(offset), static_cast<int>(len));
  }
  if (static_cast<size_t>(offset) > len) {
    return luaL_error(L, "Start offset %d greater than input length %d.",
                      static_cast<int>(offset), static_cast<int>(len));
  }
  if (all) limit = INT_MAX;
  Decoder d(L, reinterpret_cast<const unsigned char*>(s) + offset,
            len - static_cast<size_t>(offset));
  int count = 0;
  for (; d.left() > 0 && count < limit; ++count) {
    d.Decode();
    if (d.error() == Decoder::Error::kEof) return luaL_error(L, "Missing bytes in input.");
    if (d.error() == Decoder::Error::kBadFormat) return luaL_error(L, "Bad data format in input.");
  }
  if (all) return count;
  luaL_checkstack(L, 1, "in function mp_unpack_full");
  lua_pushinteger(L, d.left() == 0 ? -1 : static_cast<lua_Integer>(len - d.left()));
  lua_insert(L, 2);  // after the input string, before the values
  return count + 1;
}

int Unpack(lua_State* L) {
  lua_settop(L, 1);
  return UnpackFull(L, 0, 0, true);
}

int UnpackOne(lua_State* L) {
  lua_Integer offset = luaL_optinteger(L, 2, 0);
  lua_settop(L, 1);
  return UnpackFull(L, 1, offset, false);
}

int UnpackLimit(lua_State* L) {
  lua_Integer limit = luaL_checkinteger(L, 2);
  lua_Integer offset = luaL_optinteger(L, 3, 0);
  lua_settop(L, 1);
  return UnpackFull(L, limit, offset, limit == 0 && offset == 0);
}

const luaL_Reg kFunctions[] = {
    {"pack", Pack},
    {"unpack", Unpack},
    {"unpack_one", UnpackOne},
    {"unpack_limit", UnpackLimit},
    {nullptr, nullptr},
};

}  // namespace

int OpenLuaCmsgpack(lua_State* L) {
  luaL_register(L, "cmsgpack", kFunctions);
  lua_pushliteral(L, "lua-cmsgpack");
  lua_setfield(L, -2, "_NAME");
  lua_pushliteral(L, "0.4.0");
  lua_setfield(L, -2, "_VERSION");
  return 1;
}

}  // namespace basalt
