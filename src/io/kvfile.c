/*
 * kvfile.c - "key = value" files line by line (io/text.h), one reader for
 * the price book and the lease tariff so both refuse the same bad text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/text.h"
#include "util/internal.h"

#define KV_LINE_MAX 1024
#define KV_FILE_MAX (1L << 20)

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n > 0 && strchr(" \t\r\n", s[n - 1])) s[--n] = '\0';
  return s;
}

static gn_status one_line(gn_ctx *ctx, const char *path, int line, char *buf,
                          size_t n, gn__kv_fn fn, void *user) {
  if (n > KV_LINE_MAX)
    return gn__fail(ctx, GN_EFORMAT, "file %s line %d: longer than %d bytes",
                    path, line, KV_LINE_MAX);
  if (memchr(buf, '\0', n))
    return gn__fail(ctx, GN_EFORMAT, "file %s line %d: NUL byte in the line",
                    path, line);
  if (!gn__text_valid_n(buf, n, 1))
    return gn__fail(ctx, GN_EFORMAT, "file %s line %d: not UTF-8 text (or a "
                    "control character)", path, line);
  char *hash = strchr(buf, '#');
  if (hash) *hash = '\0';
  char *s = trim(buf);
  if (!*s) return GN_OK;
  char *eq = strchr(s, '=');
  if (!eq)
    return gn__fail(ctx, GN_EFORMAT,
                    "file %s line %d: expected 'key = value', got '%.60s'",
                    path, line, s);
  *eq = '\0';
  return fn(user, line, trim(s), trim(eq + 1));
}

gn_status gn__kv_file_read(gn_ctx *ctx, const char *path, const char *what,
                           gn__kv_fn fn, void *user) {
  FILE *f = fopen(path, "rb");
  if (!f) return gn__fail(ctx, GN_EIO, "%s %s: %s", what, path, strerror(errno));
  char *buf = NULL;
  size_t cap = 0;
  ssize_t n;
  long total = 0;
  int line = 0;
  gn_status s = GN_OK;
  while (s == GN_OK && (n = getline(&buf, &cap, f)) >= 0) {
    total += n;
    if (total > KV_FILE_MAX)
      s = gn__fail(ctx, GN_ELIMIT, "file %s: larger than %ld bytes", path,
                   KV_FILE_MAX);
    else
      s = one_line(ctx, path, ++line, buf, (size_t)n, fn, user);
  }
  free(buf);
  if (s == GN_OK && ferror(f))
    s = gn__fail(ctx, GN_EIO, "%s %s: read error", what, path);
  fclose(f);
  return s;
}
