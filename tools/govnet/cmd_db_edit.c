/*
 * cmd_db_edit.c - 'govnet db splice|circuit|fiber|cable ...': edits with
 * integrity. Each accepted edit is one transaction with an audit row; a
 * refused edit prints the store's one-line reason and exits 1.
 */
#include <string.h>

#include "cli_store.h"

/* "123:a" -> fiber 123, end 'a'. */
static int parse_end(const char *text, int64_t *fiber, char *end) {
  if (!text) return -1;
  const char *colon = strchr(text, ':');
  if (!colon || (colon[1] != 'a' && colon[1] != 'b') || colon[2]) return -1;
  char num[32];
  size_t n = (size_t)(colon - text);
  if (n == 0 || n >= sizeof(num)) return -1;
  memcpy(num, text, n);
  num[n] = '\0';
  long v;
  if (cli_parse_long(num, &v) != 0 || v <= 0) return -1;
  *fiber = v;
  *end = colon[1];
  return 0;
}

static int splice_cmd(gn_store *st, const char *sub, int argc, char **argv,
                      const char *user) {
  if (strcmp(sub, "remove") == 0) {
    int64_t id;
    if (argc < 2 || cli_parse_id(argv[1], "splice id", &id) != 0) return CLI_USAGE;
    if (gn_store_splice_remove(st, id, user) != GN_OK)
      return cli_fail(gn_store_ctx(st), "splice remove");
    printf("splice %lld removed\n", (long long)id);
    return CLI_OK;
  }
  if (strcmp(sub, "add") != 0)
    return cli_error(CLI_USAGE, "splice: add or remove");
  int64_t cl, fa, fb, id = 0;
  char ea, eb;
  if (cli_parse_id(cli_opt(argc, argv, "--closure"), "closure", &cl) != 0)
    return CLI_USAGE;
  if (parse_end(cli_opt(argc, argv, "--a"), &fa, &ea) != 0 ||
      parse_end(cli_opt(argc, argv, "--b"), &fb, &eb) != 0)
    return cli_error(CLI_USAGE, "splice add: --a and --b take FIBER:END"
                                " (END is a or b)");
  if (gn_store_splice_add(st, cl, fa, ea, fb, eb, user, &id) != GN_OK)
    return cli_fail(gn_store_ctx(st), "splice add");
  printf("splice %lld added\n", (long long)id);
  return CLI_OK;
}

static int circuit_cmd(gn_store *st, const char *sub, int argc, char **argv,
                       const char *user) {
  int64_t c, from, to;
  if (argc < 2 || cli_parse_id(argv[1], "circuit id", &c) != 0)
    return CLI_USAGE;
  if (strcmp(sub, "show") == 0) {
    char *json = NULL;
    if (gn_store_circuit_geojson(st, c, &json) != GN_OK)
      return cli_fail(gn_store_ctx(st), "circuit show");
    printf("%s\n", json);
    gn_free(gn_store_ctx(st), json);
    return CLI_OK;
  }
  if (strcmp(sub, "move") != 0)
    return cli_error(CLI_USAGE, "circuit: move or show");
  if (cli_parse_id(cli_opt(argc, argv, "--from"), "--from fiber", &from) != 0 ||
      cli_parse_id(cli_opt(argc, argv, "--to"), "--to fiber", &to) != 0)
    return CLI_USAGE;
  if (gn_store_circuit_move(st, c, from, to, user) != GN_OK)
    return cli_fail(gn_store_ctx(st), "circuit move");
  printf("circuit %lld moved from fiber %lld to fiber %lld\n", (long long)c,
         (long long)from, (long long)to);
  return CLI_OK;
}

static int fiber_cable_cmd(gn_store *st, const char *obj, const char *sub,
                           int argc, char **argv, const char *user) {
  int64_t id;
  if (argc < 2 || cli_parse_id(argv[1], obj, &id) != 0) return CLI_USAGE;
  gn_status rs;
  if (strcmp(obj, "cable") == 0) {
    if (strcmp(sub, "delete") != 0) return cli_error(CLI_USAGE, "cable: delete");
    rs = gn_store_cable_delete(st, id, user);
  } else {
    int brk = strcmp(sub, "break") == 0;
    if (!brk && strcmp(sub, "repair") != 0)
      return cli_error(CLI_USAGE, "fiber: break or repair");
    rs = gn_store_fiber_set_broken(st, id, brk, cli_opt(argc, argv, "--note"),
                                   user);
  }
  if (rs != GN_OK) return cli_fail(gn_store_ctx(st), obj);
  printf("%s %lld: %s done\n", obj, (long long)id, sub);
  return CLI_OK;
}

/* argv: OBJ SUB DB [args...] */
int cmd_db_edit(int argc, char **argv) {
  if (argc < 3)
    return cli_error(CLI_USAGE, "db %s: need SUBCOMMAND DB ...", argv[0]);
  const char *obj = argv[0], *sub = argv[1];
  gn_ctx *ctx;
  gn_store *st;
  int rc = cli_store_open(argv[2], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  const char *user = cli_store_user(argc, argv);
  int n = argc - 2;
  char **a = argv + 2; /* a[0] = DB, a[1] = first argument */
  if (strcmp(obj, "splice") == 0)
    rc = splice_cmd(st, sub, n, a, user);
  else if (strcmp(obj, "circuit") == 0)
    rc = circuit_cmd(st, sub, n, a, user);
  else
    rc = fiber_cable_cmd(st, obj, sub, n, a, user);
  cli_store_done(ctx, st);
  return rc;
}
