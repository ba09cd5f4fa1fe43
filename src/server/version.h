// Versions the server reports. Clients gate features on redis_version, so Basalt reports
// the Redis release whose behaviour it implements, and its own version beside it.
#pragma once

namespace basalt {

inline constexpr const char* kRedisCompatVersion = "7.2.4";
inline constexpr const char* kBasaltVersion = BASALT_VERSION;

}  // namespace basalt
