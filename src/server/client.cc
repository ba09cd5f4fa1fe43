#include "server/client.h"

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>

#include "server/server.h"

namespace basalt {
namespace {

// Bytes read per read() call normally (Redis's PROTO_IOBUF_LEN).
constexpr size_t kReadChunk = 16 * 1024;
// Bulks at least this big are read straight to their full size (Redis's PROTO_MBULK_BIG_ARG).
constexpr size_t kBigArg = 32 * 1024;

}  // namespace

Client::Client(Server* server, int fd, uint64_t id, ConnKind kind)
    : id(id), fd(fd), kind(kind), server(server), reply(&reply_buf) {}

Client::~Client() {
  if (fd >= 0) close(fd);
}

size_t Client::NextReadSize() const {
  size_t want = kReadChunk;
  size_t needed = parser.BytesWanted();
  // A big bulk in flight: make room for all of it at once instead of growing by doubling.
  if (needed > query.size() && needed - query.size() >= kBigArg) want = needed - query.size();
  return want;
}

void Client::OnReadable() {
  // A batched read not yet handed over (a busy script polling inside the batched turn):
  // reading now would land on its bytes. Or this client's own command is polling (see
  // processing_input). The next turn reads: the socket stays readable.
  if (close_asap || read_in_flight_ || processing_input) return;
  const size_t want = NextReadSize();
  char* dst = query.PrepareWrite(want);
  const ssize_t n = read(fd, dst, want);
  if (TakeRead(n < 0 ? -errno : n)) server->ProcessInput(this);
}

FdHandler::ReadTarget Client::PrepareRead() {
  if (close_asap) return {};
  const size_t want = NextReadSize();
  char* dst = query.PrepareWrite(want);
  read_in_flight_ = true;
  return {fd, dst, want};
}

void Client::OnReadDone(ssize_t result) {
  read_in_flight_ = false;
  if (close_asap || !TakeRead(result)) return;
  server->ProcessInput(this);
}

bool Client::TakeRead(ssize_t result) {
  if (result <= 0) {
    if (result != -EAGAIN && result != -EINTR) server->CloseClientAsync(this);
    return false;
  }
  query.CommitWrite(static_cast<size_t>(result));
  net_input_bytes += static_cast<uint64_t>(result);
  server->stats().total_net_input_bytes += static_cast<uint64_t>(result);
  return true;
}

void Client::OnWritable() {
  if (!FlushReplies()) {
    server->CloseClientAsync(this);
    return;
  }
  if (!has_pending_replies() && want_write_event) {
    server->loop().SetWantWrite(fd, this, false);
    want_write_event = false;
    if (close_after_reply) server->CloseClientAsync(this);
  }
}

bool Client::is_local() const {
  if (kind == ConnKind::kUnix) return true;
  std::string_view ip(addr);
  size_t colon = ip.rfind(':');
  if (colon != std::string_view::npos) ip = ip.substr(0, colon);
  return ip == "127.0.0.1" || ip == "::1";
}

void Client::DropRepliesFrom(size_t start) {
  std::string kept;
  for (auto [begin, end] : kept_pushes_) {
    if (begin >= start && end <= reply_buf.size()) kept.append(reply_buf, begin, end - begin);
  }
  kept_pushes_.clear();
  reply_buf.resize(start);
  reply_buf += kept;
}

void Client::CountSent(size_t n) {
  reply_sent += n;
  net_output_bytes += n;
  server->stats().total_net_output_bytes += n;
}

bool Client::FlushReplies() {
  if (fd < 0) return true;  // the script client: its replies are read back, never sent
  while (reply_sent < reply_buf.size()) {
    ssize_t n = write(fd, reply_buf.data() + reply_sent, reply_buf.size() - reply_sent);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return true;
      return false;
    }
    CountSent(static_cast<size_t>(n));
  }
  reply_buf.clear();
  reply_sent = 0;
  kept_pushes_.clear();
  // Don't keep a big buffer around after one big reply: past 16 KB (what Redis keeps per
  // client, PROTO_REPLY_CHUNK_BYTES) it counts against maxmemory for every idle client.
  if (reply_buf.capacity() > 16 * 1024) reply_buf.shrink_to_fit();
  return true;
}

}  // namespace basalt
