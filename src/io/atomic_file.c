/*
 * atomic_file.c - Temporary file name next to the target and the final
 * rename (atomic on POSIX file systems within one directory).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io/atomic_file.h"
#include "util/internal.h"

gn_status gn__tmp_path(gn_ctx *ctx, const char *path, char **tmp) {
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  const char *dot = strrchr(base, '.');
  const char *ext = dot ? dot : "";
  size_t dir_len = (size_t)(base - path);
  size_t n = strlen(path) + 64;
  *tmp = gn_malloc(ctx, n);
  if (!*tmp) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  snprintf(*tmp, n, "%.*s.%.*s.tmp-%ld%s", (int)dir_len, path,
           (int)(dot ? (size_t)(dot - base) : strlen(base)), base,
           (long)getpid(), ext);
  return GN_OK;
}

gn_status gn__tmp_commit(gn_ctx *ctx, char *tmp, const char *path, int ok) {
  gn_status rc = GN_OK;
  if (ok && rename(tmp, path) != 0)
    rc = gn__fail(ctx, GN_EIO, "%s: cannot write: %s", path, strerror(errno));
  if (!ok || rc != GN_OK) remove(tmp);
  gn_free(ctx, tmp);
  return rc;
}
