/*
 * cli.h - Shared declarations of the govnet command. Each subcommand lives
 * in its own cmd_<name>.c and uses only the public API plus these helpers.
 */
#ifndef GOVNET_CLI_H
#define GOVNET_CLI_H

#include <stdio.h>

#include "govnet/govnet.h"

/* Exit codes: 0 success, 1 runtime/input error, 2 usage error. */
#define CLI_OK 0
#define CLI_ERR 1
#define CLI_USAGE 2

typedef int (*cli_cmd_fn)(int argc, char **argv);

int cmd_plan(int argc, char **argv);
int cmd_steiner(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_impact(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_org(int argc, char **argv);
int cmd_otdr(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_basemap(int argc, char **argv);
int cmd_lease(int argc, char **argv);
int cmd_hotspot(int argc, char **argv);

/* Language of the messages: GOVNET_LANG (set by `govnet --lang fr|en`),
 * else LC_ALL, LC_MESSAGES, LANG (POSIX order); English by default. */
gn_lang cli_lang(void);
/* gn_ctx_create, with the ctx's messages in cli_lang(). */
gn_status cli_ctx_create(gn_ctx **out);

/* Print "govnet: <what>: <ctx message>" to stderr, return CLI_ERR. */
int cli_fail(gn_ctx *ctx, const char *what);
/* Print "govnet: <formatted>" to stderr, return code; fmt is looked up
 * in the message catalogue (gn_tr) first. */
int cli_error(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print s left-aligned in a column of `width` characters, counting UTF-8
 * code points rather than bytes so accented names line up. */
void cli_print_col(const char *s, int width);

/* cli_suggest.c: the nearest of the NULL-terminated candidates to a
 * mistyped word (or a hint for another tool's spelling), or NULL. */
const char *cli_suggest(const char *word, const char *const *cands);
/* Print "govnet: WHAT 'word'; did you mean X?" and return CLI_USAGE. */
int cli_unknown(const char *what, const char *word, const char *const *cands);

/* The first line of a token file, whole, into buf: a token longer than
 * the buffer, an empty or unreadable file is an error (printed with
 * `what`, CLI_ERR), never silently cut. */
int cli_read_token(const char *what, const char *path, char *buf, size_t cap);

/* Strict number parsing (no atoi/atof): 0 on success. */
int cli_parse_double(const char *s, double *out);
int cli_parse_long(const char *s, long *out);

#endif
