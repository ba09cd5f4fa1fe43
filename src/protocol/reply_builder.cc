#include "protocol/reply_builder.h"

#include <cassert>

#include "util/strconv.h"

namespace basalt {

void ReplyBuilder::Header(char prefix, int64_t n) {
  char buf[24];
  buf[0] = prefix;
  size_t len = FormatInt64(n, buf + 1);
  buf[len + 1] = '\r';
  buf[len + 2] = '\n';
  out_->append(buf, len + 3);
}

void ReplyBuilder::SimpleString(std::string_view s) {
  out_->push_back('+');
  out_->append(s);
  out_->append("\r\n");
}

void ReplyBuilder::Error(std::string_view message) {
  out_->push_back('-');
  size_t start = out_->size();
  out_->append(message);
  for (size_t i = start; i < out_->size(); ++i) {
    if ((*out_)[i] == '\r' || (*out_)[i] == '\n') (*out_)[i] = ' ';
  }
  out_->append("\r\n");
}

void ReplyBuilder::Integer(int64_t v) { Header(':', v); }

void ReplyBuilder::Bulk(std::string_view s) {
  Header('$', static_cast<int64_t>(s.size()));
  out_->append(s);
  out_->append("\r\n");
}

void ReplyBuilder::BulkInt(int64_t v) {
  char buf[24];
  size_t len = FormatInt64(v, buf);
  Bulk(std::string_view(buf, len));
}

void ReplyBuilder::Null() { out_->append(resp_ >= 3 ? "_\r\n" : "$-1\r\n"); }

void ReplyBuilder::NullArray() { out_->append(resp_ >= 3 ? "_\r\n" : "*-1\r\n"); }

void ReplyBuilder::ArrayHeader(int64_t n) { Header('*', n); }

void ReplyBuilder::MapHeader(int64_t pairs) {
  if (resp_ >= 3) {
    Header('%', pairs);
  } else {
    Header('*', pairs * 2);
  }
}

void ReplyBuilder::SetHeader(int64_t n) { Header(resp_ >= 3 ? '~' : '*', n); }

void ReplyBuilder::PushHeader(int64_t n) { Header(resp_ >= 3 ? '>' : '*', n); }

void ReplyBuilder::AttributeHeader(int64_t pairs) {
  assert(resp_ >= 3);
  Header('|', pairs);
}

void ReplyBuilder::Double(double v) {
  if (resp_ >= 3) {
    out_->push_back(',');
    out_->append(FormatDouble(v));
    out_->append("\r\n");
  } else {
    Bulk(FormatDouble(v));
  }
}

void ReplyBuilder::Bool(bool v) {
  if (resp_ >= 3) {
    out_->append(v ? "#t\r\n" : "#f\r\n");
  } else {
    out_->append(v ? ":1\r\n" : ":0\r\n");
  }
}

void ReplyBuilder::Verbatim(std::string_view text, std::string_view format) {
  if (resp_ < 3) return Bulk(text);
  Header('=', static_cast<int64_t>(text.size() + 4));
  out_->append(format);
  out_->push_back(':');
  out_->append(text);
  out_->append("\r\n");
}

void ReplyBuilder::BigNumber(std::string_view digits) {
  if (resp_ < 3) return Bulk(digits);
  out_->push_back('(');
  out_->append(digits);
  out_->append("\r\n");
}

}  // namespace basalt
