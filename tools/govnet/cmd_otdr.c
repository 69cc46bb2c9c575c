/*
 * cmd_otdr.c - 'govnet otdr read FILE.sor [--json]': decode a Telcordia
 * SOR trace and print its header, key events and summary.
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
  if (gn_ctx_create(&ctx) != GN_OK) return cli_error(CLI_ERR, "out of memory");
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

int cmd_otdr(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0) {
    fputs("usage: govnet otdr read FILE.sor [--json]\n"
          "       govnet otdr attach DB --fiber ID FILE.sor [--json]\n",
          argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_USAGE : CLI_OK;
  }
  if (strcmp(argv[1], "read") == 0) return otdr_read(argc - 1, argv + 1);
  return cli_error(CLI_USAGE, "otdr: unknown subcommand '%s'", argv[1]);
}
