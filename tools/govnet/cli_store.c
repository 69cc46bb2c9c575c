/*
 * cli_store.c - Helpers shared by the store commands (db, trace, impact
 * and the capability commands): opening a store with a clear error, the
 * audit user, option lookup, id parsing (see cli_store.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"

int cli_store_open(const char *path, int flags, gn_ctx **ctx, gn_store **st) {
  *st = NULL;
  if (cli_ctx_create(ctx) != GN_OK) return cli_error(CLI_ERR, "out of memory");
  if (gn_store_open(*ctx, path, flags, 0, st) != GN_OK) {
    int rc = cli_fail(*ctx, "db");
    gn_ctx_free(*ctx);
    *ctx = NULL;
    return rc;
  }
  return CLI_OK;
}

void cli_store_done(gn_ctx *ctx, gn_store *st) {
  gn_store_close(st);
  gn_ctx_free(ctx);
}

const char *cli_opt(int argc, char **argv, const char *name) {
  for (int i = 0; i + 1 < argc; i++)
    if (strcmp(argv[i], name) == 0) return argv[i + 1];
  return NULL;
}

int cli_flag(int argc, char **argv, const char *name) {
  for (int i = 0; i < argc; i++)
    if (strcmp(argv[i], name) == 0) return 1;
  return 0;
}

const char *cli_store_user(int argc, char **argv) {
  const char *u = cli_opt(argc, argv, "--user");
  if (!u) u = getenv("USER");
  return u && *u ? u : "unknown";
}

int cli_parse_id(const char *text, const char *what, int64_t *out) {
  long v = 0;
  if (!text || cli_parse_long(text, &v) != 0 || v <= 0) {
    cli_error(CLI_USAGE, "bad %s '%s' (expected a positive integer id)", what,
              text ? text : "");
    return -1;
  }
  *out = v;
  return 0;
}
