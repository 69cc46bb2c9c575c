/*
 * cmd_otdr.c - 'govnet otdr read FILE.sor [--json]': decode a Telcordia
 * SOR trace and print its header, key events and summary; 'govnet otdr
 * attach DB --fiber ID FILE.sor': accept it against the fiber's design.
 */
#include <math.h>
#include <string.h>

#include "cli_store.h"

static void print_text(const gn_sor *sor) {
  const gn_sor_info *in = gn_sor_get_info(sor);
  printf("SOR %.2f  %s %s %s  %.1f nm  index %.5f  pulse %.0f ns\n",
         in->version, in->supplier, in->otdr, in->software, in->wavelength_nm,
         in->index, in->pulse_ns);
  printf("range %.3f km, %zu points, checksum %s\n", in->range_km, in->points,
         in->checksum_ok == 1 ? "ok" : in->checksum_ok == 0 ? "MISMATCH"
                                                          : "absent");
  printf("  #  distance km  splice dB  refl dB   type\n");
  for (size_t i = 0; i < gn_sor_event_count(sor); i++) {
    const gn_sor_event *e = gn_sor_get_event(sor, i);
    printf("%3zu  %11.4f  %9.3f  %8.3f  %s  %s\n", i + 1, e->distance_km,
           e->splice_loss_db, e->reflectance_db, e->type, e->comment);
  }
  printf("total loss %.3f dB, ORL %.3f dB\n", in->total_loss_db, in->orl_db);
}

static int otdr_read(int argc, char **argv) {
  if (argc < 2 || argv[1][0] == '-')
    return cli_error(CLI_USAGE, "usage: govnet otdr read FILE.sor [--json]");
  gn_ctx *ctx = NULL;
  if (cli_ctx_create(&ctx) != GN_OK) return cli_error(CLI_ERR, "out of memory");
  gn_sor *sor = NULL;
  char *json = NULL;
  int rc = CLI_OK;
  if (gn_sor_read_file(ctx, argv[1], &sor) != GN_OK) {
    rc = cli_fail(ctx, "otdr read");
  } else if (cli_flag(argc, argv, "--json")) {
    if (gn_sor_json(ctx, sor, &json) != GN_OK)
      rc = cli_fail(ctx, "otdr read");
    else
      printf("%s\n", json);
  } else {
    print_text(sor);
  }
  gn_free(ctx, json);
  gn_sor_free(sor);
  gn_ctx_free(ctx);
  return rc;
}

static int attach_limits(int argc, char **argv, gn_build_otdr_limits *l) {
  static const char *const names[6] = {"--splice-db", "--connector-db",
                                       "--length-tol-pct", "--margin-db",
                                       "--match-m", "--match-pct"};
  double *vals[6] = {&l->splice_db,      &l->connector_db, &l->length_tol_pct,
                     &l->loss_margin_db, &l->match_m,      &l->match_pct};
  gn_build_otdr_defaults(l);
  l->from_far_end = cli_flag(argc, argv, "--from-far-end");
  for (int i = 0; i < 6; i++) {
    const char *v = cli_opt(argc, argv, names[i]);
    if (v && (cli_parse_double(v, vals[i]) != 0 || *vals[i] < 0))
      return cli_error(CLI_USAGE, "otdr attach: bad %s '%s'", names[i], v);
  }
  return CLI_OK;
}

/* The SOR file: the last argument that is not an option or its value. */
static const char *sor_arg(int argc, char **argv) {
  static const char *const flags[] = {"--json", "--from-far-end"};
  const char *file = NULL;
  for (int i = 2; i < argc; i++) {
    int flag = 0;
    for (size_t k = 0; k < 2; k++) flag |= strcmp(argv[i], flags[k]) == 0;
    if (argv[i][0] == '-' && !flag) i++;
    else if (argv[i][0] != '-') file = argv[i];
  }
  return file;
}

/* Text form: one line per problem (the JSON strings of "problems",
 * unescaped), then the verdict. */
static int print_attach(const char *json, int as_json) {
  int pass = strstr(json, "\"pass\": true") != NULL;
  if (as_json) {
    printf("%s\n", json);
    return pass ? CLI_OK : 3;
  }
  const char *p = strstr(json, "\"problems\": [");
  for (p = p ? p + 13 : ""; *p && *p != ']'; p++) {
    if (*p != '"') continue;
    for (p++; *p && *p != '"'; p++) putchar(*p == '\\' && p[1] ? *++p : *p);
    putchar('\n');
  }
  printf("%s\n", pass ? "PASS" : "FAIL");
  return pass ? CLI_OK : 3;
}

/* govnet otdr attach DB --fiber ID FILE.sor: exit 0 pass, 3 fail. */
static int otdr_attach(int argc, char **argv) {
  int64_t fiber = 0;
  const char *file = sor_arg(argc, argv);
  if (argc < 4 || argv[1][0] == '-' || !file)
    return cli_error(CLI_USAGE, "usage: govnet otdr attach DB --fiber ID FILE.sor");
  if (cli_parse_id(cli_opt(argc, argv, "--fiber"), "fiber id", &fiber))
    return CLI_USAGE;
  gn_build_otdr_limits lim;
  int rc = attach_limits(argc, argv, &lim);
  if (rc != CLI_OK) return rc;
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  rc = cli_store_open(argv[1], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  gn_sor *sor = NULL;
  char *json = NULL;
  if (gn_sor_read_file(ctx, file, &sor) != GN_OK ||
      gn_build_otdr_attach(st, fiber, sor, file, &lim,
                           cli_store_user(argc, argv), &json) != GN_OK)
    rc = cli_fail(ctx, "otdr attach");
  else
    rc = print_attach(json, cli_flag(argc, argv, "--json"));
  gn_free(ctx, json);
  gn_sor_free(sor);
  cli_store_done(ctx, st);
  return rc;
}

int cmd_otdr(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0) {
    fputs("usage: govnet otdr read FILE.sor [--json]\n"
          "       govnet otdr attach DB --fiber ID FILE.sor [--json]"
          " [--from-far-end]\n"
          "         [--splice-db 0.15] [--connector-db 0.5]"
          " [--length-tol-pct 5] [--margin-db 0]\n"
          "         [--match-m 25] [--match-pct 2]   (exit 3: fails"
          " acceptance)\n",
          argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_USAGE : CLI_OK;
  }
  if (strcmp(argv[1], "read") == 0) return otdr_read(argc - 1, argv + 1);
  if (strcmp(argv[1], "attach") == 0) return otdr_attach(argc - 1, argv + 1);
  return cli_error(CLI_USAGE, "otdr: unknown subcommand '%s'", argv[1]);
}
