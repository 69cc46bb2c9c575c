/*
 * cmd_user.c - 'govnet user' and 'govnet org': accounts from the command
 * line. Passwords are read from stdin (one line) or, on a terminal, from
 * a prompt with echo off, typed twice; never from argv, where any local
 * user could read them in the process list. Tokens are printed once, on
 * stdout, one line; the store keeps only their hash.
 */
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli_store.h"

static void user_usage(FILE *f) {
  fputs("usage: govnet user <command> DB [options]\n"
        "  add DB --name NAME --role ROLE [--org ORG]  password from stdin or a prompt\n"
        "  token DB --name NAME [--days N]           print a new API token (N=0: no expiry)\n"
        "  tokens DB --name NAME                     list a user's tokens (ids, expiry)\n"
        "  revoke DB --token ID                      revoke a token by id\n"
        "  list DB                                   users, roles, organisations\n"
        "  disable DB --name NAME [--enable]         disable (or re-enable) a user\n"
        "  passwd DB --name NAME                     new password from stdin or a prompt\n"
        "roles: admin planner noc supervisor subcontractor operator auditor\n"
        "changes take --user NAME (default $USER) for the audit log.\n", f);
}

static void org_usage(FILE *f) {
  fputs("usage: govnet org add DB --name ORG --kind government|subcontractor|operator\n"
        "       govnet org list DB\n", f);
}

/* One line from f without its newline; 0 on success. */
static int read_line(FILE *f, char *buf, size_t cap) {
  if (!fgets(buf, (int)cap, f)) return -1;
  size_t n = strcspn(buf, "\r\n");
  if (n == cap - 1 && buf[n] == '\0') return -2; /* too long */
  buf[n] = '\0';
  return 0;
}

static int prompt(const char *label, char *buf, size_t cap) {
  struct termios old, quiet;
  fprintf(stderr, "%s", label);
  fflush(stderr);
  int tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  int rc = read_line(stdin, buf, cap);
  if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  fputc('\n', stderr);
  return rc;
}

/* The new password: a prompt typed twice on a terminal, else stdin. */
static int read_password(char *buf, size_t cap) {
  if (!isatty(STDIN_FILENO)) {
    int rc = read_line(stdin, buf, cap);
    if (rc == -2)
      return cli_error(CLI_USAGE, "password longer than %d bytes", GN_AUTH_PASSWORD_MAX);
    return rc ? cli_error(CLI_USAGE, "no password on stdin") : CLI_OK;
  }
  char again[GN_AUTH_PASSWORD_MAX + 2];
  int rc = prompt("password: ", buf, cap);
  if (rc == 0) rc = prompt("again: ", again, sizeof(again));
  int same = rc == 0 && strcmp(buf, again) == 0;
  memset(again, 0, sizeof(again));
  if (rc) return cli_error(CLI_USAGE, "no password given");
  return same ? CLI_OK : cli_error(CLI_USAGE, "the passwords differ");
}

/* Open DB, run auth migrations, bind the CLI user as the audit actor. */
static int open_auth(int argc, char **argv, const char *via, gn_ctx **ctx,
                     gn_store **st) {
  int rc = cli_store_open(argv[0], 0, ctx, st);
  if (rc != CLI_OK) return rc;
  if (gn_auth_migrate(*st) != GN_OK) {
    rc = cli_fail(*ctx, argv[0]);
    cli_store_done(*ctx, *st);
    return rc;
  }
  gn_auth_set_actor(*st, NULL, cli_store_user(argc, argv), via);
  return CLI_OK;
}

static int need(const char *v, const char *what) {
  return v ? CLI_OK : cli_error(CLI_USAGE, "user: %s is required", what);
}

static int user_add(gn_store *st, int argc, char **argv) {
  const char *name = cli_opt(argc, argv, "--name");
  const char *role = cli_opt(argc, argv, "--role");
  int rc = need(name, "--name");
  if (rc == CLI_OK) rc = need(role, "--role");
  if (rc != CLI_OK) return rc;
  gn_role r = gn_role_parse(role);
  if (r == GN_ROLE_COUNT || r == GN_ROLE_PUBLIC)
    return cli_error(CLI_USAGE, "user add: unknown role '%s'", role);
  char pw[GN_AUTH_PASSWORD_MAX + 2];
  if ((rc = read_password(pw, sizeof(pw))) != CLI_OK) return rc;
  int64_t id = 0;
  gn_status s = gn_auth_user_add(st, name, r, cli_opt(argc, argv, "--org"), pw, &id);
  memset(pw, 0, sizeof(pw));
  if (s != GN_OK) return cli_fail(gn_store_ctx(st), "user add");
  printf("user %s added (id %lld, role %s)\n", name, (long long)id, role);
  return CLI_OK;
}

static int user_token(gn_store *st, int argc, char **argv) {
  const char *name = cli_opt(argc, argv, "--name"), *d = cli_opt(argc, argv, "--days");
  long days = 90;
  int rc = need(name, "--name");
  if (rc != CLI_OK) return rc;
  if (d && (cli_parse_long(d, &days) != 0 || days < 0 || days > 3650))
    return cli_error(CLI_USAGE, "user token: --days expects 0..3650");
  char tok[GN_AUTH_SECRET_BUF];
  if (gn_auth_token_create(st, name, (int)days, tok, NULL) != GN_OK)
    return cli_fail(gn_store_ctx(st), "user token");
  printf("%s\n", tok);
  memset(tok, 0, sizeof(tok));
  return CLI_OK;
}

/* json is read after s was computed (argument order is unspecified). */
static int print_json(gn_store *st, gn_status s, char **jsonp, const char *what) {
  if (s != GN_OK) return cli_fail(gn_store_ctx(st), what);
  char *json = *jsonp;
  printf("%s\n", json);
  gn_free(gn_store_ctx(st), json);
  return CLI_OK;
}

static int user_list(gn_store *st) {
  char *json = NULL;
  gn_status s = gn_auth_users_json(st, 0, 100000, 0, &json);
  return print_json(st, s, &json, "user list");
}

static int user_change(gn_store *st, int argc, char **argv, int passwd) {
  const char *name = cli_opt(argc, argv, "--name");
  int64_t id = 0;
  int rc = need(name, "--name");
  if (rc != CLI_OK) return rc;
  if (gn_auth_user_find(st, name, &id) != GN_OK)
    return cli_fail(gn_store_ctx(st), "user");
  gn_auth_user_patch p = {.disabled = -1};
  char pw[GN_AUTH_PASSWORD_MAX + 2];
  if (passwd) {
    if ((rc = read_password(pw, sizeof(pw))) != CLI_OK) return rc;
    p.password = pw;
  } else {
    p.disabled = !cli_flag(argc, argv, "--enable");
  }
  gn_status s = gn_auth_user_update(st, NULL, id, &p);
  memset(pw, 0, sizeof(pw));
  if (s != GN_OK) return cli_fail(gn_store_ctx(st), passwd ? "user passwd" : "user disable");
  printf("user %s %s\n", name, passwd ? "password changed" : p.disabled ? "disabled" : "enabled");
  return CLI_OK;
}

int cmd_user(int argc, char **argv) {
  if (argc < 3 || cli_flag(argc, argv, "--help")) {
    user_usage(argc < 3 && !cli_flag(argc, argv, "--help") ? stderr : stdout);
    return cli_flag(argc, argv, "--help") ? CLI_OK : CLI_USAGE;
  }
  const char *cmd = argv[1];
  char via[64];
  snprintf(via, sizeof(via), "govnet user %.20s", cmd);
  static const char *const known[] = {"add", "token", "tokens", "revoke", "list",
                                      "disable", "passwd"};
  size_t k = 0;
  while (k < sizeof(known) / sizeof(known[0]) && strcmp(cmd, known[k]) != 0) k++;
  if (k == sizeof(known) / sizeof(known[0])) {
    user_usage(stderr);
    return cli_error(CLI_USAGE, "user: unknown command '%s'", cmd);
  }
  gn_ctx *ctx;
  gn_store *st;
  int rc = open_auth(argc - 2, argv + 2, via, &ctx, &st);
  if (rc != CLI_OK) return rc;
  int n = argc - 2;
  char **a = argv + 2;
  int64_t id = 0;
  char *json = NULL;
  if (k == 0) rc = user_add(st, n, a);
  else if (k == 1) rc = user_token(st, n, a);
  else if (k == 2) {
    rc = need(cli_opt(n, a, "--name"), "--name");
    if (rc == CLI_OK)
      rc = print_json(st, gn_auth_tokens_json(st, cli_opt(n, a, "--name"), &json), &json,
                      "user tokens");
  } else if (k == 3) {
    if (cli_parse_id(cli_opt(n, a, "--token"), "--token", &id) != 0) rc = CLI_USAGE;
    else if (gn_auth_token_revoke(st, id) != GN_OK) rc = cli_fail(ctx, "user revoke");
    else printf("token %lld revoked\n", (long long)id);
  } else if (k == 4) rc = user_list(st);
  else rc = user_change(st, n, a, k == 6);
  cli_store_done(ctx, st);
  return rc;
}

int cmd_org(int argc, char **argv) {
  if (argc < 3 || cli_flag(argc, argv, "--help")) {
    org_usage(cli_flag(argc, argv, "--help") ? stdout : stderr);
    return cli_flag(argc, argv, "--help") ? CLI_OK : CLI_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "add") != 0 && strcmp(cmd, "list") != 0) {
    org_usage(stderr);
    return cli_error(CLI_USAGE, "org: unknown command '%s'", cmd);
  }
  int n = argc - 2;
  char **a = argv + 2;
  const char *name = cli_opt(n, a, "--name"), *kind = cli_opt(n, a, "--kind");
  gn_org_kind k = gn_org_kind_parse(kind);
  if (strcmp(cmd, "add") == 0 && (!name || k == GN_ORG_KIND_COUNT))
    return cli_error(CLI_USAGE, "org add: need --name ORG --kind "
                                "government|subcontractor|operator");
  gn_ctx *ctx;
  gn_store *st;
  int rc = open_auth(n, a, strcmp(cmd, "add") == 0 ? "govnet org add" : "govnet org list",
                     &ctx, &st);
  if (rc != CLI_OK) return rc;
  int64_t id = 0;
  char *json = NULL;
  if (strcmp(cmd, "list") == 0)
    rc = print_json(st, gn_auth_orgs_json(st, &json), &json, "org list");
  else if (gn_auth_org_add(st, name, k, &id) != GN_OK)
    rc = cli_fail(ctx, "org add");
  else
    printf("organisation %s added (id %lld, %s)\n", name, (long long)id, kind);
  cli_store_done(ctx, st);
  return rc;
}
