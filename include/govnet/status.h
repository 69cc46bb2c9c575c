/*
 * status.h - The one status enum of libgovnet.
 *
 * Every library function that can fail returns a gn_status. The enum, the
 * names, the messages and the HTTP mapping all come from GN_STATUS_MAP, so
 * a new error is one line here. GN_OK is 0. The detailed message of the
 * last failure lives on the gn_ctx (see ctx.h).
 * Threads: all functions here are pure and thread-safe.
 */
#ifndef GOVNET_STATUS_H
#define GOVNET_STATUS_H

#include "govnet/export.h"

#define GN_STATUS_MAP(X)                                              \
  X(OK, 200, "success")                                               \
  X(EINVAL, 400, "invalid argument")                                  \
  X(EAUTH, 401, "authentication required")                            \
  X(EFORBIDDEN, 403, "not allowed for this role")                     \
  X(ENOTFOUND, 404, "not found")                                      \
  X(EMETHOD, 405, "method not allowed")                               \
  X(ECONFLICT, 409, "conflicts with current state")                   \
  X(ELIMIT, 413, "size or count limit exceeded")                      \
  X(EFORMAT, 422, "malformed input data")                             \
  X(ETOOMANY, 429, "too many attempts, try again later")              \
  X(EGEOM, 422, "invalid geometry")                                   \
  X(EINFEASIBLE, 422, "no solution exists for this input")            \
  X(EBUSY, 503, "resource is busy or locked")                         \
  X(EIO, 500, "file or network I/O failed")                           \
  X(EDB, 500, "database error")                                       \
  X(ENOMEM, 503, "out of memory")                                     \
  X(EINTERNAL, 500, "internal error (bug)")

typedef enum {
#define GN__STATUS_ENUM(name, http, msg) GN_##name,
  GN_STATUS_MAP(GN__STATUS_ENUM)
#undef GN__STATUS_ENUM
  GN_STATUS_COUNT_
} gn_status;

/* Symbolic name without prefix ("EINVAL"). Static storage, do not free.
 * Unknown values give "EUNKNOWN". Since 0.1. */
GN_API const char *gn_status_name(gn_status s);

/* Short English description. Static storage, do not free. Since 0.1. */
GN_API const char *gn_status_str(gn_status s);

/* HTTP status code the server answers with for this status. Since 0.1. */
GN_API int gn_status_http(gn_status s);

#endif
