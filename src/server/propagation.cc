#include "server/propagation.h"

#include <algorithm>

namespace basalt {
namespace {

template <typename Str>
void AppendResp(std::string* out, std::span<const Str> argv) {
  out->push_back('*');
  out->append(std::to_string(argv.size()));
  out->append("\r\n");
  for (const Str& arg : argv) {
    out->push_back('$');
    out->append(std::to_string(arg.size()));
    out->append("\r\n");
    out->append(arg.data(), arg.size());
    out->append("\r\n");
  }
}

}  // namespace

void AppendRespCommand(std::string* out, std::span<const std::string_view> argv) {
  AppendResp(out, argv);
}

void AppendRespCommand(std::string* out, std::span<const std::string> argv) {
  AppendResp(out, argv);
}

void Propagator::AddSink(PropagationSink* sink) {
  if (std::find(sinks_.begin(), sinks_.end(), sink) == sinks_.end()) sinks_.push_back(sink);
}

void Propagator::RemoveSink(PropagationSink* sink) {
  sinks_.erase(std::remove(sinks_.begin(), sinks_.end(), sink), sinks_.end());
}

void Propagator::Add(int db, std::span<const std::string_view> argv) {
  if (sinks_.empty()) return;
  PropagatedCommand& cmd = pending_.emplace_back();
  cmd.db = db;
  AppendRespCommand(&cmd.resp, argv);
}

void Propagator::Add(int db, std::span<const std::string> argv) {
  if (sinks_.empty()) return;
  PropagatedCommand& cmd = pending_.emplace_back();
  cmd.db = db;
  AppendRespCommand(&cmd.resp, argv);
}

void Propagator::FlushPending() {
  if (pending_.size() == 1) {
    // One command is atomic by itself: no MULTI/EXEC around it.
    for (PropagationSink* sink : sinks_) sink->Append(pending_);
    pending_.clear();
    return;
  }
  batch_.clear();
  batch_.push_back({pending_.front().db, "*1\r\n$5\r\nMULTI\r\n"});
  for (PropagatedCommand& cmd : pending_) batch_.push_back(std::move(cmd));
  batch_.push_back({pending_.back().db, "*1\r\n$4\r\nEXEC\r\n"});
  pending_.clear();
  for (PropagationSink* sink : sinks_) sink->Append(batch_);
}

}  // namespace basalt
