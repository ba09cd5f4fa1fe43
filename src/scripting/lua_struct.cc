#include "scripting/lua_struct.h"

#include <cctype>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace basalt {
namespace {

constexpr int kMaxIntSize = 32;
// The strictest alignment of the platform's scalar types.
constexpr int kMaxAlign = alignof(std::max_align_t) > 8 ? 8 : alignof(std::max_align_t);

struct Options {
  bool little = true;  // this code targets little-endian hosts, as Redis's builds do
  int align = 1;
};

// Reads an optional decimal count after a format character.
int ReadCount(lua_State* L, const char** fmt, int fallback) {
  if (!std::isdigit(static_cast<unsigned char>(**fmt))) return fallback;
  int n = 0;
  while (std::isdigit(static_cast<unsigned char>(**fmt))) {
    int digit = **fmt - '0';
    if (n > (INT_MAX - digit) / 10) luaL_error(L, "integral size overflow");
    n = n * 10 + digit;
    ++*fmt;
  }
  return n;
}

// The size of the item `opt` describes (0 for the control characters and 's').
size_t ItemSize(lua_State* L, char opt, const char** fmt) {
  switch (opt) {
    case 'b':
    case 'B':
    case 'x':
      return 1;
    case 'h':
    case 'H':
      return sizeof(short);
    case 'l':
    case 'L':
      return sizeof(long);
    case 'T':
      return sizeof(size_t);
    case 'f':
      return sizeof(float);
    case 'd':
      return sizeof(double);
    case 'c':
      return static_cast<size_t>(ReadCount(L, fmt, 1));
    case 'i':
    case 'I': {
      int n = ReadCount(L, fmt, sizeof(int));
      if (n > kMaxIntSize) {
        luaL_error(L, "integral size %d is larger than limit of %d", n, kMaxIntSize);
      }
      return static_cast<size_t>(n);
    }
    default:
      return 0;
  }
}

// Padding before an item of `size` at offset `pos`.
size_t Padding(size_t pos, const Options& o, char opt, size_t size) {
  if (size == 0 || opt == 'c') return 0;
  size_t a = size > static_cast<size_t>(o.align) ? static_cast<size_t>(o.align) : size;
  if ((a & (a - 1)) != 0) return 0;  // only powers of two align (odd 'i' sizes do not)
  return (a - (pos & (a - 1))) & (a - 1);
}

void ControlOption(lua_State* L, char opt, const char** fmt, Options* o) {
  switch (opt) {
    case ' ':
      return;
    case '>':
      o->little = false;
      return;
    case '<':
    case '=':
      o->little = true;
      return;
    case '!': {
      int a = ReadCount(L, fmt, kMaxAlign);
      if (a <= 0 || (a & (a - 1)) != 0) luaL_error(L, "alignment %d is not a power of 2", a);
      o->align = a;
      return;
    }
    default: {
      const char* msg = lua_pushfstring(L, "invalid format option '%c'", opt);
      luaL_argerror(L, 1, msg);
    }
  }
}

// Appends `size` bytes of the number at `arg` as a two's complement integer.
void PutInteger(lua_State* L, std::string* out, int arg, bool little, size_t size) {
  lua_Number n = luaL_checknumber(L, arg);
  uint64_t v = n < 0 ? static_cast<uint64_t>(static_cast<int64_t>(n)) : static_cast<uint64_t>(n);
  char bytes[kMaxIntSize];
  for (size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<char>(i < 8 ? (v >> (8 * i)) & 0xFF : 0);
  }
  if (!little) {
    for (size_t i = 0; i < size / 2; ++i) std::swap(bytes[i], bytes[size - 1 - i]);
  }
  out->append(bytes, size);
}

lua_Number GetInteger(const char* p, bool little, bool is_signed, size_t size) {
  uint64_t v = 0;
  for (size_t k = 0; k < size; ++k) {
    size_t i = little ? size - 1 - k : k;  // most significant byte first
    v = (v << 8) | static_cast<unsigned char>(p[i]);
  }
  if (!is_signed) return static_cast<lua_Number>(v);
  if (size < 8 && size > 0) {
    uint64_t sign = uint64_t{1} << (size * 8 - 1);
    if ((v & sign) != 0) v |= ~((sign << 1) - 1);
  }
  return static_cast<lua_Number>(static_cast<int64_t>(v));
}

template <typename T>
void PutFloat(std::string* out, T value, bool little) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  if (!little) {
    for (size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(bytes[i], bytes[sizeof(T) - 1 - i]);
  }
  out->append(bytes, sizeof(T));
}

template <typename T>
T GetFloat(const char* p, bool little) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, p, sizeof(T));
  if (!little) {
    for (size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(bytes[i], bytes[sizeof(T) - 1 - i]);
  }
  T v;
  std::memcpy(&v, bytes, sizeof(T));
  return v;
}

int Pack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  Options o;
  int arg = 2;
  std::string out;
  while (*fmt != '\0') {
    char opt = *fmt++;
    size_t size = ItemSize(L, opt, &fmt);
    out.append(Padding(out.size(), o, opt, size), '\0');
    switch (opt) {
      case 'b':
      case 'B':
      case 'h':
      case 'H':
      case 'l':
      case 'L':
      case 'T':
      case 'i':
      case 'I':
        PutInteger(L, &out, arg++, o.little, size);
        break;
      case 'x':
        out.push_back('\0');
        break;
      case 'f':
        PutFloat(&out, static_cast<float>(luaL_checknumber(L, arg++)), o.little);
        break;
      case 'd':
        PutFloat(&out, static_cast<double>(luaL_checknumber(L, arg++)), o.little);
        break;
      case 'c':
      case 's': {
        size_t len = 0;
        const char* s = luaL_checklstring(L, arg++, &len);
        if (size == 0) size = len;
        luaL_argcheck(L, len >= size, arg, "string too short");
        out.append(s, size);
        if (opt == 's') out.push_back('\0');
        break;
      }
      default:
        ControlOption(L, opt, &fmt, &o);
    }
  }
  lua_pushlstring(L, out.data(), out.size());
  return 1;
}

int Unpack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  size_t len = 0;
  const char* data = luaL_checklstring(L, 2, &len);
  lua_Integer start = luaL_optinteger(L, 3, 1);
  luaL_argcheck(L, start >= 1 && static_cast<size_t>(start - 1) <= len, 3,
                "offset must be 1 or greater");
  size_t pos = static_cast<size_t>(start - 1);
  Options o;
  int results = 0;
  while (*fmt != '\0') {
    char opt = *fmt++;
    size_t size = ItemSize(L, opt, &fmt);
    pos += Padding(pos, o, opt, size);
    luaL_argcheck(L, size <= len && pos <= len - size, 2, "data string too short");
    luaL_checkstack(L, 2, "too many results");
    switch (opt) {
      case 'b':
      case 'B':
      case 'h':
      case 'H':
      case 'l':
      case 'L':
      case 'T':
      case 'i':
      case 'I':
        lua_pushnumber(L, GetInteger(data + pos, o.little, std::islower(opt) != 0, size));
        ++results;
        break;
      case 'x':
        break;
      case 'f':
        lua_pushnumber(L, GetFloat<float>(data + pos, o.little));
        ++results;
        break;
      case 'd':
        lua_pushnumber(L, GetFloat<double>(data + pos, o.little));
        ++results;
        break;
      case 'c':
        if (size == 0) {
          if (results == 0 || !lua_isnumber(L, -1)) {
            luaL_error(L, "format 'c0' needs a previous size");
          }
          size = static_cast<size_t>(lua_tonumber(L, -1));
          lua_pop(L, 1);
          --results;
          luaL_argcheck(L, size <= len && pos <= len - size, 2, "data string too short");
        }
        lua_pushlstring(L, data + pos, size);
        ++results;
        break;
      case 's': {
        const void* end = std::memchr(data + pos, '\0', len - pos);
        if (end == nullptr) luaL_error(L, "unfinished string in data");
        size = static_cast<size_t>(static_cast<const char*>(end) - (data + pos)) + 1;
        lua_pushlstring(L, data + pos, size - 1);
        ++results;
        break;
      }
      default:
        ControlOption(L, opt, &fmt, &o);
    }
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos + 1));
  return results + 1;
}

int Size(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  Options o;
  size_t pos = 0;
  while (*fmt != '\0') {
    char opt = *fmt++;
    size_t size = ItemSize(L, opt, &fmt);
    pos += Padding(pos, o, opt, size);
    if (opt == 's') {
      luaL_argerror(L, 1, "option 's' has no fixed size");
    } else if (opt == 'c' && size == 0) {
      luaL_argerror(L, 1, "option 'c0' has no fixed size");
    }
    if (size == 0 && opt != 'c') ControlOption(L, opt, &fmt, &o);
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos));
  return 1;
}

const luaL_Reg kFunctions[] = {
    {"pack", Pack},
    {"unpack", Unpack},
    {"size", Size},
    {nullptr, nullptr},
};

}  // namespace

int OpenLuaStruct(lua_State* L) {
  luaL_register(L, "struct", kFunctions);
  return 1;
}

}  // namespace basalt
