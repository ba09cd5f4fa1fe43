// CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO: the client-side caching subcommands
// (registered in client.cc's CLIENT table; the tables live in server/tracking.h).
#pragma once

namespace basalt {

class CommandContext;

// CLIENT TRACKING <ON|OFF> [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
void ClientTracking(CommandContext& ctx);
// CLIENT CACHING <YES|NO>
void ClientCaching(CommandContext& ctx);
// CLIENT GETREDIR: -1 when not tracking, 0 without redirection, else the redirect id.
void ClientGetRedir(CommandContext& ctx);
// CLIENT TRACKINGINFO: a map of flags, redirect and prefixes.
void ClientTrackingInfo(CommandContext& ctx);

}  // namespace basalt
