#include "persistence/rdb_writer.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "persistence/crc64.h"
#include "util/strconv.h"

namespace basalt {
namespace {

constexpr size_t kFlushThreshold = 64 * 1024;

}  // namespace

bool FdSink::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      errno_ = errno;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool RdbWriter::Flush() {
  if (failed_) return false;
  if (buf_.empty()) return true;
  if (checksum_) crc_ = Crc64Of(crc_, buf_);
  if (!sink_->Write(buf_)) {
    failed_ = true;
    return false;
  }
  flushed_ += buf_.size();
  buf_.clear();
  return true;
}

bool RdbWriter::MaybeFlush() {
  if (failed_) return false;
  return buf_.size() < kFlushThreshold || Flush();
}

bool RdbWriter::WriteHeader() {
  buf_.append(kRdbMagic);
  char version[8];
  std::snprintf(version, sizeof(version), "%04d", kRdbVersion);
  buf_.append(version, 4);
  return MaybeFlush();
}

bool RdbWriter::WriteAux(std::string_view name, std::string_view value) {
  buf_.push_back(static_cast<char>(kRdbOpAux));
  RdbPutString(&buf_, name, false);
  RdbPutString(&buf_, value, false);
  return MaybeFlush();
}

bool RdbWriter::WriteAuxInt(std::string_view name, int64_t value) {
  char text[24];
  return WriteAux(name, std::string_view(text, FormatInt64(value, text)));
}

bool RdbWriter::WriteFunction(std::string_view code) {
  buf_.push_back(static_cast<char>(kRdbOpFunction2));
  RdbPutString(&buf_, code, opts_.compress);
  return MaybeFlush();
}

bool RdbWriter::WriteSelectDb(int db, uint64_t keys, uint64_t expires) {
  buf_.push_back(static_cast<char>(kRdbOpSelectDb));
  RdbPutLength(&buf_, static_cast<uint64_t>(db));
  buf_.push_back(static_cast<char>(kRdbOpResizeDb));
  RdbPutLength(&buf_, keys);
  RdbPutLength(&buf_, expires);
  return MaybeFlush();
}

void RdbWriter::AppendEntry(std::string* out, std::string_view key, const Value& value,
                            int64_t expire_ms, int64_t idle_seconds, int freq,
                            const RdbSaveOptions& opts) {
  if (expire_ms != -1) {
    out->push_back(static_cast<char>(kRdbOpExpireTimeMs));
    RdbPutMillis(out, expire_ms);
  }
  if (idle_seconds >= 0) {
    out->push_back(static_cast<char>(kRdbOpIdle));
    RdbPutLength(out, static_cast<uint64_t>(idle_seconds));
  } else if (freq >= 0) {
    out->push_back(static_cast<char>(kRdbOpFreq));
    out->push_back(static_cast<char>(freq & 0xff));
  }
  out->push_back(static_cast<char>(RdbTypeOf(value)));
  RdbPutString(out, key, opts.compress);
  RdbPutValue(out, value, opts);
}

bool RdbWriter::WriteEntry(std::string_view key, const Value& value, int64_t expire_ms,
                           int64_t idle_seconds, int freq) {
  AppendEntry(&buf_, key, value, expire_ms, idle_seconds, freq, opts_);
  return MaybeFlush();
}

bool RdbWriter::WriteEntryLater(std::string_view key, const Value& value, int64_t expire_ms,
                                int64_t idle_seconds, int freq) {
  // What is buffered goes first, so that the entry keeps its place in the stream.
  if (!Flush()) return false;
  if (sink_->WriteEntryLater(std::string(key), value.Clone(), expire_ms, idle_seconds, freq,
                             opts_)) {
    return true;
  }
  return WriteEntry(key, value, expire_ms, idle_seconds, freq);
}

bool RdbWriter::Finish() {
  buf_.push_back(static_cast<char>(kRdbOpEof));
  if (!Flush()) return false;
  if (sink_->AppendsTrailer()) return true;
  const uint64_t crc = checksum_ ? crc_ : 0;
  for (int i = 0; i < 8; ++i) buf_.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  // The trailer itself is not part of the checksum.
  const bool saved = checksum_;
  checksum_ = false;
  const bool ok = Flush();
  checksum_ = saved;
  return ok;
}

}  // namespace basalt
