/*
 * cmd_report.c - 'govnet report PLAN.gpkg --out report.html [--pdf
 * report.pdf] [--png map.png] [--lang fr|en] [--price-book FILE]':
 * the plan report (map, summary, cost per phase, BOM, single cut).
 * Exit 0 on success, 1 on an input/output error, 2 on a usage error;
 * on failure no output file is left behind.
 */
#include <string.h>

#include "cli.h"

typedef struct report_args {
  const char *plan, *out, *pdf, *png, *lang, *price_book;
} report_args;

static void usage(FILE *f) {
  fprintf(f, "usage: govnet report PLAN.gpkg --out REPORT.html [--pdf "
             "REPORT.pdf]\n"
             "         [--png MAP.png] [--lang fr|en] [--price-book FILE]\n"
             "French by default. The plan is sized if needed and priced with\n"
             "the price book (defaults in FCFA: docs/pricebook.md).\n");
}

static int parse(int argc, char **argv, report_args *a) {
  memset(a, 0, sizeof(*a));
  a->lang = "fr";
  for (int i = 1; i < argc; i++) {
    const char *o = argv[i];
    if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
      usage(stdout);
      return -1;
    }
    if (o[0] != '-') {
      if (a->plan) return cli_error(CLI_USAGE, "report: one plan file only");
      a->plan = o;
      continue;
    }
    if (i + 1 >= argc)
      return cli_error(CLI_USAGE, "report: option %s needs a value", o);
    const char *v = argv[++i];
    if (strcmp(o, "--out") == 0) a->out = v;
    else if (strcmp(o, "--pdf") == 0) a->pdf = v;
    else if (strcmp(o, "--png") == 0) a->png = v;
    else if (strcmp(o, "--lang") == 0) a->lang = v;
    else if (strcmp(o, "--price-book") == 0) a->price_book = v;
    else {
      static const char *const known[] = {"--help", "--lang", "--out", "--pdf", "--png",
                                          "--price-book", NULL};
      return cli_unknown("report: unknown option", o, known);
    }
  }
  if (!a->plan || (!a->out && !a->pdf && !a->png)) {
    usage(stderr);
    return CLI_USAGE;
  }
  if (strcmp(a->lang, "fr") != 0 && strcmp(a->lang, "en") != 0)
    return cli_error(CLI_USAGE, "report: --lang %s: expected fr or en", a->lang);
  return 0;
}

int cmd_report(int argc, char **argv) {
  report_args a;
  int rc = parse(argc, argv, &a);
  if (rc != 0) return rc < 0 ? CLI_OK : rc;
  gn_ctx *ctx = NULL;
  if (cli_ctx_create(&ctx) != GN_OK)
    return cli_error(CLI_ERR, "report: out of memory");
  gn_pricebook pb;
  gn_pricebook_init(&pb);
  gn_plan *plan = NULL;
  gn_report_opts o;
  gn_report_opts_init(&o);
  o.lang = a.lang;
  o.pb = &pb;
  rc = CLI_OK;
  if (a.price_book && gn_pricebook_read(ctx, a.price_book, &pb) != GN_OK)
    rc = cli_fail(ctx, "report");
  if (rc == CLI_OK && gn_plan_read_gpkg(ctx, a.plan, &plan) != GN_OK)
    rc = cli_fail(ctx, "report");
  if (rc == CLI_OK && (a.out || a.pdf) &&
      gn_report_write(plan, &o, a.out, a.pdf) != GN_OK)
    rc = cli_fail(ctx, "report");
  if (rc == CLI_OK && a.png && gn_report_map_png(plan, &o, a.png) != GN_OK) {
    if (a.out) remove(a.out);
    if (a.pdf) remove(a.pdf);
    rc = cli_fail(ctx, "report");
  }
  if (rc == CLI_OK)
    printf("report: %s%s%s%s%s\n", a.out ? a.out : "", a.pdf ? " " : "",
           a.pdf ? a.pdf : "", a.png ? " " : "", a.png ? a.png : "");
  gn_plan_free(plan);
  gn_ctx_free(ctx);
  return rc;
}
