/*
 * idlist.c - A plain list of ids (hub candidates): one per line, the
 * first comma-separated column, '#' comments and blank lines ignored, a
 * header "id" or "site_id" skipped. Errors name the file and line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "govnet/io.h"
#include "util/internal.h"

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n > 0 && strchr(" \t\r\n\"", s[n - 1])) s[--n] = '\0';
  if (*s == '"') s++;
  return s;
}

static void free_ids(gn_ctx *ctx, char **ids, size_t n) {
  for (size_t i = 0; i < n; i++) gn_free(ctx, ids[i]);
  gn_free(ctx, ids);
}

gn_status gn_io_read_ids(gn_ctx *ctx, const char *path, char ***ids,
                         size_t *n) {
  gn_ctx_clear(ctx);
  *ids = NULL;
  *n = 0;
  FILE *f = fopen(path, "rb");
  if (!f) return gn__fail(ctx, GN_EIO, "%s: %s", path, strerror(errno));
  char buf[258];
  char **out = NULL;
  size_t cnt = 0, cap = 0;
  int line = 0;
  gn_status st = GN_OK;
  while (st == GN_OK && fgets(buf, sizeof buf, f)) {
    line++;
    size_t len = strlen(buf), text = len;
    if (text && buf[text - 1] == '\n') text--;
    if (text && buf[text - 1] == '\r') text--;
    /* a full buffer without its newline, or 256+ bytes before it (a
     * 256-byte last line at EOF fills the buffer exactly too) */
    if (text > 255 || (len == sizeof buf - 1 && buf[len - 1] != '\n')) {
      st = gn__fail(ctx, GN_EFORMAT, "%s line %d: longer than 255 bytes",
                    path, line);
      break;
    }
    char *hash = strchr(buf, '#');
    if (hash) *hash = '\0';
    char *comma = strchr(buf, ',');
    int more = comma != NULL;
    if (comma) *comma = '\0';
    char *s = trim(buf);
    if (!*s) {
      if (more)
        st = gn__fail(ctx, GN_EFORMAT, "%s line %d: empty id", path, line);
      continue;
    }
    if (cnt == 0 && (strcmp(s, "id") == 0 || strcmp(s, "site_id") == 0))
      continue;
    if (GN__GROW(ctx, out, cap, cnt + 1) != GN_OK ||
        !(out[cnt] = gn__strdup(ctx, s))) {
      st = gn__fail(ctx, GN_ENOMEM, "out of memory reading %s", path);
      break;
    }
    cnt++;
  }
  if (st == GN_OK && ferror(f))
    st = gn__fail(ctx, GN_EIO, "%s: read error", path);
  fclose(f);
  if (st == GN_OK && cnt == 0)
    st = gn__fail(ctx, GN_EFORMAT, "%s: no id in the file", path);
  if (st != GN_OK) {
    free_ids(ctx, out, cnt);
    return st;
  }
  *ids = out;
  *n = cnt;
  return GN_OK;
}
