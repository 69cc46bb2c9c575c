/*
 * cli.c - The command's shared helpers (see cli.h): error lines on
 * stderr, UTF-8 column printing, strict number parsing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

gn_lang cli_lang(void) {
  gn_lang l = GN_LANG_EN;
  const char *g = getenv("GOVNET_LANG");
  if (g && *g && gn_lang_parse(g, &l) == 0) return l;
  /* POSIX order: LC_ALL, then LC_MESSAGES, then LANG; other locales
   * than French and English get English */
  const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
  for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
    const char *v = getenv(vars[i]);
    if (!v || !*v) continue;
    if (gn_lang_parse(v, &l) != 0) l = GN_LANG_EN;
    return l;
  }
  return GN_LANG_EN;
}

gn_status cli_ctx_create(gn_ctx **out) {
  gn_status st = gn_ctx_create(out);
  if (st == GN_OK) gn_ctx_set_lang(*out, cli_lang());
  return st;
}

int cli_fail(gn_ctx *ctx, const char *what) {
  fprintf(stderr, "govnet: %s: %s\n", what,
          ctx && gn_ctx_errmsg(ctx)[0] ? gn_ctx_errmsg(ctx)
                                       : gn_status_str(gn_ctx_errcode(ctx)));
  return CLI_ERR;
}

int cli_error(int code, const char *fmt, ...) {
  va_list ap;
  fputs("govnet: ", stderr);
  va_start(ap, fmt);
  /* the catalogue's French has the same conversions (test_messages) */
  vfprintf(stderr, gn_tr(cli_lang(), fmt), ap);
  va_end(ap);
  fputc('\n', stderr);
  return code;
}

void cli_print_col(const char *s, int width) {
  int n = 0;
  if (!s) s = "";
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    n += (*p & 0xC0) != 0x80; /* continuation bytes are not characters */
  fputs(s, stdout);
  for (; n < width; n++) putchar(' ');
}

int cli_parse_double(const char *s, double *out) {
  char *end = NULL;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end) return -1;
  *out = v;
  return 0;
}

int cli_parse_long(const char *s, long *out) {
  char *end = NULL;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end) return -1;
  *out = v;
  return 0;
}

int cli_read_token(const char *what, const char *path, char *buf, size_t cap) {
  FILE *f = fopen(path, "r");
  if (!f) return cli_error(CLI_ERR, "%s: cannot read token file %s", what, path);
  if (!fgets(buf, (int)cap, f)) buf[0] = '\0';
  int whole = strchr(buf, '\n') || feof(f) || fgetc(f) == EOF;
  fclose(f);
  buf[strcspn(buf, "\r\n")] = '\0';
  if (!whole)
    return cli_error(CLI_ERR, "%s: token in %s longer than %zu characters",
                     what, path, cap - 2);
  if (!buf[0]) return cli_error(CLI_ERR, "%s: token file %s is empty", what, path);
  return CLI_OK;
}
