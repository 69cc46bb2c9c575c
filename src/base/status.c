/* status.c - names, messages and HTTP codes of gn_status (from the map). */
#include "govnet/status.h"

const char *gn_status_name(gn_status s) {
  switch (s) {
#define GN__CASE(name, http, msg) \
  case GN_##name:                 \
    return #name;
    GN_STATUS_MAP(GN__CASE)
#undef GN__CASE
    default:
      return "EUNKNOWN";
  }
}

const char *gn_status_str(gn_status s) {
  switch (s) {
#define GN__CASE(name, http, msg) \
  case GN_##name:                 \
    return msg;
    GN_STATUS_MAP(GN__CASE)
#undef GN__CASE
    default:
      return "unknown status";
  }
}

int gn_status_http(gn_status s) {
  switch (s) {
#define GN__CASE(name, http, msg) \
  case GN_##name:                 \
    return http;
    GN_STATUS_MAP(GN__CASE)
#undef GN__CASE
    default:
      return 500;
  }
}
