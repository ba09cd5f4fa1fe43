// ReplyBuilder: writes replies in RESP2 or RESP3, whichever the client negotiated (HELLO).
//
// Handlers describe a reply by its shape (a map of 3 pairs, a double, a null) and the builder
// picks the wire form: a map is `%3` in RESP3 and a flat `*6` array in RESP2, a double is
// `,1.5` or a bulk string, a null is `_` or `$-1`/`*-1`. Handlers never format RESP by hand.
//
// The builder appends to a byte string owned by the connection; the event loop writes it out.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace basalt {

class ReplyBuilder {
 public:
  explicit ReplyBuilder(std::string* out) : out_(out) {}

  void set_resp(int version) { resp_ = version; }
  int resp() const { return resp_; }

  void SimpleString(std::string_view s);
  void Ok() { out_->append("+OK\r\n"); }
  // `message` is the full error line without the leading '-': "ERR syntax error",
  // "WRONGTYPE Operation against ...". CR/LF inside it are replaced by spaces (a newline
  // would desynchronise the client).
  void Error(std::string_view message);
  void Integer(int64_t v);
  void Bulk(std::string_view s);
  void BulkInt(int64_t v);  // an integer sent as a bulk string
  void Null();              // RESP2 `$-1`
  void NullArray();         // RESP2 `*-1`
  void ArrayHeader(int64_t n);
  void MapHeader(int64_t pairs);
  void SetHeader(int64_t n);
  void PushHeader(int64_t n);
  // RESP3 attribute (`|pairs`): `pairs` key/value replies of metadata that precede the reply
  // they describe. RESP2 has no attributes, and Redis sends none to RESP2 clients.
  // REQUIRES: resp() >= 3; callers skip the attribute and its pairs for RESP2 clients.
  void AttributeHeader(int64_t pairs);
  void Double(double v);
  void Bool(bool v);
  void Verbatim(std::string_view text, std::string_view format = "txt");
  void BigNumber(std::string_view digits);
  void EmptyArray() { out_->append("*0\r\n"); }

  // Appends bytes that are already RESP (e.g. a cached reply). Use sparingly.
  void Raw(std::string_view bytes) { out_->append(bytes); }

  std::string* buffer() { return out_; }

 private:
  void Header(char prefix, int64_t n);

  std::string* out_;
  int resp_ = 2;
};

}  // namespace basalt
