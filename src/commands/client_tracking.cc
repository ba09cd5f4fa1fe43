// CLIENT TRACKING and friends (see client_tracking.h), with Redis 7.0's checks and texts.
#include "commands/client_tracking.h"

#include <string>
#include <vector>

#include "server/command_context.h"
#include "server/command_table.h"
#include "server/server.h"
#include "util/strconv.h"

namespace basalt {

void ClientTracking(CommandContext& ctx) {
  auto argv = ctx.argv;
  TrackingOptions opt;
  for (size_t j = 3; j < argv.size(); ++j) {
    bool more = j + 1 < argv.size();
    std::string_view a = argv[j];
    if (EqualsIgnoreCase(a, "redirect") && more) {
      ++j;
      if (opt.redirect != 0) {
        return ctx.reply.Error("ERR A client can only redirect to a single other client");
      }
      std::optional<int64_t> id = ParseInt64(argv[j]);
      if (!id) return ctx.reply.Error(kErrNotInteger);
      if (*id <= 0 || ctx.server.FindClient(static_cast<uint64_t>(*id)) == nullptr) {
        return ctx.reply.Error("ERR The client ID you want redirect to does not exist");
      }
      opt.redirect = static_cast<uint64_t>(*id);
    } else if (EqualsIgnoreCase(a, "bcast")) {
      opt.bcast = true;
    } else if (EqualsIgnoreCase(a, "optin")) {
      opt.optin = true;
    } else if (EqualsIgnoreCase(a, "optout")) {
      opt.optout = true;
    } else if (EqualsIgnoreCase(a, "noloop")) {
      opt.noloop = true;
    } else if (EqualsIgnoreCase(a, "prefix") && more) {
      opt.prefixes.emplace_back(argv[++j]);
    } else {
      return ctx.reply.Error(kErrSyntax);
    }
  }
  Tracking& tracking = ctx.server.tracking();
  const ClientTrackingState& state = ctx.client.tracking;
  if (EqualsIgnoreCase(argv[2], "on")) {
    if (!opt.bcast && !opt.prefixes.empty()) {
      return ctx.reply.Error("ERR PREFIX option requires BCAST mode to be enabled");
    }
    if (state.on && state.bcast != opt.bcast) {
      return ctx.reply.Error(
          "ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
          "and then re-enabling it with a different mode.");
    }
    if (opt.bcast && (opt.optin || opt.optout)) {
      return ctx.reply.Error("ERR OPTIN and OPTOUT are not compatible with BCAST");
    }
    if (opt.optin && opt.optout) {
      return ctx.reply.Error("ERR You can't specify both OPTIN mode and OPTOUT mode");
    }
    if ((opt.optin && state.optout) || (opt.optout && state.optin)) {
      return ctx.reply.Error(
          "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
          "and then re-enabling it with a different mode.");
    }
    if (opt.bcast) {
      std::string err = Tracking::PrefixCollision(ctx.client, opt.prefixes);
      if (!err.empty()) return ctx.reply.Error(err);
    }
    tracking.Enable(ctx.client, opt);
  } else if (EqualsIgnoreCase(argv[2], "off")) {
    tracking.Disable(ctx.client);
  } else {
    return ctx.reply.Error(kErrSyntax);
  }
  ctx.reply.Ok();
}

void ClientCaching(CommandContext& ctx) {
  ClientTrackingState& t = ctx.client.tracking;
  if (!t.on) {
    return ctx.reply.Error(
        "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN "
        "or OPTOUT mode enabled");
  }
  std::string_view opt = ctx.argv[2];
  if (EqualsIgnoreCase(opt, "yes")) {
    if (!t.optin) {
      return ctx.reply.Error(
          "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
    }
  } else if (EqualsIgnoreCase(opt, "no")) {
    if (!t.optout) {
      return ctx.reply.Error(
          "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
    }
  } else {
    return ctx.reply.Error(kErrSyntax);
  }
  t.caching = true;
  ctx.reply.Ok();
}

void ClientGetRedir(CommandContext& ctx) {
  const ClientTrackingState& t = ctx.client.tracking;
  ctx.reply.Integer(t.on ? static_cast<int64_t>(t.redirect) : -1);
}

void ClientTrackingInfo(CommandContext& ctx) {
  const ClientTrackingState& t = ctx.client.tracking;
  ctx.reply.MapHeader(3);
  ctx.reply.Bulk("flags");
  std::vector<const char*> flags;
  if (!t.on) {
    flags.push_back("off");
  } else {
    flags.push_back("on");
    if (t.bcast) flags.push_back("bcast");
    if (t.optin) {
      flags.push_back("optin");
      if (t.caching) flags.push_back("caching-yes");
    }
    if (t.optout) {
      flags.push_back("optout");
      if (t.caching) flags.push_back("caching-no");
    }
    if (t.noloop) flags.push_back("noloop");
    if (t.broken_redirect) flags.push_back("broken_redirect");
  }
  ctx.reply.SetHeader(static_cast<int64_t>(flags.size()));
  for (const char* f : flags) ctx.reply.Bulk(f);
  ctx.reply.Bulk("redirect");
  if (!t.on) {
    ctx.reply.Integer(-1);
  } else {
    ctx.reply.Integer(static_cast<int64_t>(t.redirect));
  }
  ctx.reply.Bulk("prefixes");
  ctx.reply.ArrayHeader(static_cast<int64_t>(t.prefixes.size()));
  for (const std::string& p : t.prefixes) ctx.reply.Bulk(p);
}

}  // namespace basalt
