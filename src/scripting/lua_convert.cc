#include "scripting/lua_convert.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "util/strconv.h"

namespace basalt {
namespace {

// Reads one RESP reply from `data_` at `pos_`, pushing its Lua value onto `L_` (or only
// skipping it when `push` is false, for attributes).
class ReplyReader {
 public:
  ReplyReader(lua_State* L, std::string_view data) : L_(L), data_(data) {}

  bool Read(bool push) {
    if (pos_ >= data_.size()) return false;
    char type = data_[pos_++];
    std::string_view line;
    if (!Line(&line)) return false;
    if (push && !lua_checkstack(L_, 4)) return false;
    switch (type) {
      case ':': {
        std::optional<int64_t> v = ParseInt64(line);
        if (!v) return false;
        if (push) lua_pushnumber(L_, static_cast<lua_Number>(*v));
        return true;
      }
      case '+':
        if (push) PushSingleField("ok", line);
        return true;
      case '-':
        if (push) {
          std::string err = "-";
          err.append(line);
          PushLuaErrorTable(L_, err);
          // The dispatcher already counted this error; the script must not count it again.
          lua_pushboolean(L_, 1);
          lua_setfield(L_, -2, "ignore_error_stats_update");
        }
        return true;
      case '$':
      case '=':
      case '!': {
        std::optional<int64_t> len = ParseInt64(line);
        if (!len) return false;
        if (*len < 0) {
          if (push) lua_pushboolean(L_, 0);
          return true;
        }
        if (pos_ + static_cast<size_t>(*len) + 2 > data_.size()) return false;
        std::string_view body = data_.substr(pos_, static_cast<size_t>(*len));
        pos_ += static_cast<size_t>(*len) + 2;
        if (!push) return true;
        if (type == '=' && body.size() >= 4) {
          lua_newtable(L_);
          lua_newtable(L_);
          lua_pushlstring(L_, body.data() + 4, body.size() - 4);
          lua_setfield(L_, -2, "string");
          lua_pushlstring(L_, body.data(), 3);
          lua_setfield(L_, -2, "format");
          lua_setfield(L_, -2, "verbatim_string");
        } else if (type == '!') {
          PushLuaErrorTable(L_, "-" + std::string(body));
        } else {
          lua_pushlstring(L_, body.data(), body.size());
        }
        return true;
      }
      case '*':
      case '>':
      case '~':
      case '%':
      case '|':
        return Aggregate(type, line, push);
      case '_':
        if (push) lua_pushnil(L_);
        return true;
      case '#':
        if (push) lua_pushboolean(L_, line == "t");
        return true;
      case ',': {
        if (!push) return true;
        std::string s(line);
        double d = std::strtod(s.c_str(), nullptr);
        lua_newtable(L_);
        lua_pushnumber(L_, d);
        lua_setfield(L_, -2, "double");
        return true;
      }
      case '(':
        if (push) PushSingleField("big_number", line);
        return true;
      default:
        return false;
    }
  }

  size_t pos() const { return pos_; }

 private:
  bool Line(std::string_view* line) {
    size_t end = data_.find("\r\n", pos_);
    if (end == std::string_view::npos) return false;
    *line = data_.substr(pos_, end - pos_);
    pos_ = end + 2;
    return true;
  }

  void PushSingleField(const char* field, std::string_view value) {
    lua_newtable(L_);
    lua_pushlstring(L_, value.data(), value.size());
    lua_setfield(L_, -2, field);
  }

  bool Aggregate(char type, std::string_view line, bool push) {
    std::optional<int64_t> n = ParseInt64(line);
    if (!n) return false;
    if (*n < 0) {  // null array
      if (push) lua_pushboolean(L_, 0);
      return true;
    }
    if (type == '|') {
      // Attributes are metadata the script does not see: skip them, read the reply.
      for (int64_t i = 0; i < *n * 2; ++i) {
        if (!Read(false)) return false;
      }
      return Read(push);
    }
    if (type == '*' || type == '>') {
      if (push) lua_newtable(L_);
      for (int64_t i = 0; i < *n; ++i) {
        if (!Read(push)) return false;
        if (push) lua_rawseti(L_, -2, static_cast<int>(i + 1));
      }
      return true;
    }
    const char* field = type == '%' ? "map" : "set";
    if (push) {
      lua_newtable(L_);
      lua_newtable(L_);
    }
    for (int64_t i = 0; i < *n; ++i) {
      if (!Read(push)) return false;
      if (type == '%') {
        if (!Read(push)) return false;
      } else if (push) {
        lua_pushboolean(L_, 1);
      }
      if (push) lua_settable(L_, -3);
    }
    if (push) lua_setfield(L_, -2, field);
    return true;
  }

  lua_State* L_;
  std::string_view data_;
  size_t pos_ = 0;
};

// The (long long) cast Redis applies to a Lua number: out-of-range values and NaN give the
// x86 "integer indefinite" value, INT64_MIN.
int64_t TruncateLuaNumber(lua_Number n) {
  if (std::isnan(n) || n >= 9223372036854775808.0 || n < -9223372036854775808.0) {
    return INT64_MIN;
  }
  return static_cast<int64_t>(n);
}

std::string SpacesForNewlines(const char* s, size_t len) {
  std::string out(s, len);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

// The field `name` of the table at the top, raw (metamethods are not consulted), pushed.
int RawField(lua_State* L, const char* name) {
  lua_pushstring(L, name);
  lua_rawget(L, -2);
  return lua_type(L, -1);
}

}  // namespace

size_t PushReplyAsLua(lua_State* L, std::string_view resp) {
  int top = lua_gettop(L);
  ReplyReader reader(L, resp);
  if (!reader.Read(true)) {
    lua_settop(L, top);
    return 0;
  }
  return reader.pos();
}

void PushLuaErrorTable(lua_State* L, std::string_view error) {
  std::string code = "ERR";
  std::string_view msg = error;
  if (!error.empty() && error[0] == '-') {
    size_t space = error.find(' ');
    if (space == std::string_view::npos) {
      msg = error.substr(1);
    } else {
      code = std::string(error.substr(1, space - 1));
      msg = error.substr(space + 1);
    }
  }
  while (!msg.empty() && (msg.back() == '\r' || msg.back() == '\n')) msg.remove_suffix(1);
  while (!msg.empty() && (msg.front() == '\r' || msg.front() == '\n')) msg.remove_prefix(1);
  std::string full = code + " " + std::string(msg);
  lua_newtable(L);
  lua_pushlstring(L, full.data(), full.size());
  lua_setfield(L, -2, "err");
}

void PopLuaAsReply(lua_State* L, ReplyBuilder& reply, int script_resp, bool* error_counted) {
  if (!lua_checkstack(L, 4)) {
    reply.Error("ERR reached lua stack limit");
    lua_pop(L, 1);
    return;
  }
  switch (lua_type(L, -1)) {
    case LUA_TSTRING: {
      size_t len = 0;
      const char* s = lua_tolstring(L, -1, &len);
      reply.Bulk(std::string_view(s, len));
      break;
    }
    case LUA_TBOOLEAN:
      if (script_resp == 2) {
        if (lua_toboolean(L, -1)) {
          reply.Integer(1);
        } else {
          reply.Null();
        }
      } else {
        reply.Bool(lua_toboolean(L, -1) != 0);
      }
      break;
    case LUA_TNUMBER:
      reply.Integer(TruncateLuaNumber(lua_tonumber(L, -1)));
      break;
    case LUA_TTABLE: {
      if (RawField(L, "err") == LUA_TSTRING) {
        size_t len = 0;
        const char* s = lua_tolstring(L, -1, &len);
        reply.Error(std::string_view(s, len));
        lua_pop(L, 1);
        if (error_counted != nullptr) {
          *error_counted = RawField(L, "ignore_error_stats_update") == LUA_TBOOLEAN &&
                           lua_toboolean(L, -1) != 0;
          lua_pop(L, 1);
        }
        lua_pop(L, 1);
        return;
      }
      lua_pop(L, 1);
      if (RawField(L, "ok") == LUA_TSTRING) {
        size_t len = 0;
        const char* s = lua_tolstring(L, -1, &len);
        reply.SimpleString(SpacesForNewlines(s, len));
        lua_pop(L, 2);
        return;
      }
      lua_pop(L, 1);
      if (RawField(L, "double") == LUA_TNUMBER) {
        reply.Double(lua_tonumber(L, -1));
        lua_pop(L, 2);
        return;
      }
      lua_pop(L, 1);
      if (RawField(L, "big_number") == LUA_TSTRING) {
        size_t len = 0;
        const char* s = lua_tolstring(L, -1, &len);
        reply.BigNumber(SpacesForNewlines(s, len));
        lua_pop(L, 2);
        return;
      }
      lua_pop(L, 1);
      if (RawField(L, "verbatim_string") == LUA_TTABLE) {
        if (RawField(L, "format") == LUA_TSTRING) {
          lua_pushstring(L, "string");
          lua_rawget(L, -3);  // from the verbatim table, below the format
          if (lua_type(L, -1) == LUA_TSTRING) {
            size_t len = 0;
            const char* s = lua_tolstring(L, -1, &len);
            size_t flen = 0;
            const char* f = lua_tolstring(L, -2, &flen);
            reply.Verbatim(std::string_view(s, len), std::string_view(f, flen < 3 ? flen : 3));
            lua_pop(L, 4);
            return;
          }
          lua_pop(L, 1);
        }
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
      if (RawField(L, "map") == LUA_TTABLE) {
        // The length is known only after walking the table: build into a side buffer.
        std::string body;
        ReplyBuilder inner(&body);
        inner.set_resp(reply.resp());
        int64_t pairs = 0;
        lua_pushnil(L);
        while (lua_next(L, -2)) {
          lua_pushvalue(L, -2);
          PopLuaAsReply(L, inner, script_resp);  // the key
          PopLuaAsReply(L, inner, script_resp);  // the value
          ++pairs;
        }
        reply.MapHeader(pairs);
        reply.Raw(body);
        lua_pop(L, 2);
        return;
      }
      lua_pop(L, 1);
      if (RawField(L, "set") == LUA_TTABLE) {
        std::string body;
        ReplyBuilder inner(&body);
        inner.set_resp(reply.resp());
        int64_t count = 0;
        lua_pushnil(L);
        while (lua_next(L, -2)) {
          lua_pop(L, 1);
          lua_pushvalue(L, -1);
          PopLuaAsReply(L, inner, script_resp);
          ++count;
        }
        reply.SetHeader(count);
        reply.Raw(body);
        lua_pop(L, 2);
        return;
      }
      lua_pop(L, 1);
      std::string body;
      ReplyBuilder inner(&body);
      inner.set_resp(reply.resp());
      int64_t count = 0;
      for (int j = 1;; ++j) {
        lua_rawgeti(L, -1, j);
        if (lua_isnil(L, -1)) {
          lua_pop(L, 1);
          break;
        }
        PopLuaAsReply(L, inner, script_resp);
        ++count;
      }
      reply.ArrayHeader(count);
      reply.Raw(body);
      break;
    }
    default:
      reply.Null();
  }
  lua_pop(L, 1);
}

}  // namespace basalt
