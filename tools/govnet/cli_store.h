/*
 * cli_store.h - Helpers shared by the store commands (db, trace, impact):
 * opening a store with a clear error, the audit user, option lookup, and
 * the synthetic plan generator used by benchmarks and crash tests.
 */
#ifndef GOVNET_CLI_STORE_H
#define GOVNET_CLI_STORE_H

#include "cli.h"

/* Open path (flags: GN_STORE_*); prints the error and returns CLI_ERR on
 * failure. On success *ctx and *st must be released with cli_store_done. */
int cli_store_open(const char *path, int flags, gn_ctx **ctx, gn_store **st);
void cli_store_done(gn_ctx *ctx, gn_store *st);

/* --user value if given in argv, else $USER, else "unknown". */
const char *cli_store_user(int argc, char **argv);

/* Value following option name in argv (NULL if absent). */
const char *cli_opt(int argc, char **argv, const char *name);
/* 1 if flag is present in argv. */
int cli_flag(int argc, char **argv, const char *name);
/* Parse an int64 id; prints "bad <what> 'text'" and returns -1 if bad. */
int cli_parse_id(const char *text, const char *what, int64_t *out);

/* A synthetic city network: nsites buildings around 1 + nsites/500 POPs
 * near Lomé, a nearest-neighbour tree of trenches plus ring_pct % extra
 * redundant trenches. Deterministic for a seed. Caller frees the plan. */
gn_status cli_synthetic_plan(gn_ctx *ctx, int nsites, unsigned seed,
                             int ring_pct, gn_plan **out);

int cmd_db_edit(int argc, char **argv); /* splice/circuit/fiber/cable */

#endif
