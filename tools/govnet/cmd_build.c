/*
 * cmd_build.c - 'govnet build': work packages, assignment, field reports
 * and segment status over a store (docs/build.md).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"

#define MAX_LIST 1000

static int usage(FILE *f, int rc) {
  fputs("usage: govnet build packages DB (--target-km K | --target-fcfa F)"
        " [--phase P] [--save] [--json]\n"
        "       govnet build list DB [--phase P] [--org ORG]\n"
        "       govnet build assign DB PACKAGE --org ORG [--crew CREW]\n"
        "       govnet build report DB --trench ID --step STEP --client-id ID"
        " --who NAME\n"
        "         [--at ISO-TIME] [--metres M] [--photo REF]... [--gps"
        " LON,LAT]... [--note TEXT]\n"
        "         [--reason permit|obstacle|flooding|other] [--org ORG]"
        " [--supervisor --override REASON]\n"
        "       govnet build status DB [--package P] [--org ORG]\n"
        "       govnet build schedule DB PACKAGE --start YYYY-MM-DD --end"
        " YYYY-MM-DD\n"
        "       govnet build supervision DB [--phase P] [--org ORG]"
        " [--as-of YYYY-MM-DD]\n"
        "       govnet build import DB PROGRESS.csv [--org ORG]   (template:"
        " docs/build.md)\n"
        "       govnet build asbuilt DB TRACKS.gpx|.geojson [--threshold-m 10]"
        " [--match-m 30]\n"
        "steps: surveyed dug ducted pulled spliced tested accepted blocked\n",
        f);
  return rc;
}

static int print_json(gn_ctx *ctx, gn_status s, char *json, const char *what) {
  int rc = CLI_OK;
  if (s != GN_OK)
    rc = cli_fail(ctx, what);
  else
    printf("%s\n", json);
  gn_free(ctx, json);
  return rc;
}

static int print_text(const gn_build_packages *p) {
  double km = 0;
  for (size_t i = 0; i < p->n; i++) {
    const gn_build_package *k = &p->items[i];
    printf("%-14s %4zu trenches %8.3f km %14.0f FCFA  %s %s\n", k->id,
           k->ntrenches, k->km, isfinite(k->cost_fcfa) ? k->cost_fcfa : 0,
           k->org, k->crew);
    km += k->km;
  }
  printf("%zu packages, %.3f km\n", p->n, km);
  return CLI_OK;
}

static int packages(int argc, char **argv, gn_ctx *ctx, gn_store *st) {
  gn_build_cut_opts o = {0, 0, cli_opt(argc, argv, "--phase")};
  const char *km = cli_opt(argc, argv, "--target-km");
  const char *fc = cli_opt(argc, argv, "--target-fcfa");
  if ((!km == !fc) || (km && cli_parse_double(km, &o.target_km) != 0) ||
      (fc && cli_parse_double(fc, &o.target_fcfa) != 0))
    return cli_error(CLI_USAGE, "build packages: give --target-km K or"
                                " --target-fcfa F (a number)");
  gn_build_packages *p = NULL;
  char *json = NULL;
  int rc = CLI_OK;
  if (gn_build_cut(st, &o, &p) != GN_OK)
    rc = cli_fail(ctx, "build packages");
  else if (cli_flag(argc, argv, "--save") &&
           gn_build_save(st, p, cli_store_user(argc, argv)) != GN_OK)
    rc = cli_fail(ctx, "build packages --save");
  else if (cli_flag(argc, argv, "--json")) {
    gn_status s = gn_build_packages_json(ctx, p, 0, &json);
    rc = print_json(ctx, s, json, "build packages");
  } else
    rc = print_text(p);
  gn_build_packages_free(ctx, p);
  return rc;
}

static int list(int argc, char **argv, gn_ctx *ctx, gn_store *st) {
  gn_build_packages *p = NULL;
  char *json = NULL;
  gn_status s = gn_build_list(st, cli_opt(argc, argv, "--phase"),
                              cli_opt(argc, argv, "--org"), &p);
  if (s == GN_OK) s = gn_build_packages_json(ctx, p, 1, &json);
  gn_build_packages_free(ctx, p);
  return print_json(ctx, s, json, "build list");
}

static int assign(int argc, char **argv, gn_ctx *ctx, gn_store *st) {
  const char *org = cli_opt(argc, argv, "--org");
  if (argc < 3 || argv[2][0] == '-' || !org)
    return cli_error(CLI_USAGE, "build assign: DB PACKAGE --org ORG");
  if (gn_build_assign(st, argv[2], org, cli_opt(argc, argv, "--crew"), NULL,
                      cli_store_user(argc, argv)) != GN_OK)
    return cli_fail(ctx, "build assign");
  printf("%s assigned to %s\n", argv[2], org);
  return CLI_OK;
}

/* Every value of a repeated option, in order (at most MAX_LIST). */
static size_t opt_all(int argc, char **argv, const char *name,
                      const char **out) {
  size_t n = 0;
  for (int i = 1; i + 1 < argc && n < MAX_LIST; i++)
    if (strcmp(argv[i], name) == 0) out[n++] = argv[++i];
  return n;
}

static int parse_gps(const char *const *txt, size_t n, double *ll) {
  for (size_t i = 0; i < n; i++) {
    char *end = NULL;
    ll[2 * i] = strtod(txt[i], &end);
    if (*end != ',') return cli_error(CLI_USAGE, "bad --gps '%s'", txt[i]);
    const char *lat = end + 1;
    ll[2 * i + 1] = strtod(lat, &end);
    if (end == lat || *end) return cli_error(CLI_USAGE, "bad --gps '%s'", txt[i]);
  }
  return CLI_OK;
}

static int report_args(int argc, char **argv, gn_build_report *r,
                       const char **photos, const char **gtxt, double *gps) {
  memset(r, 0, sizeof(*r));
  int step = gn_build_step_parse(cli_opt(argc, argv, "--step"));
  const char *m = cli_opt(argc, argv, "--metres");
  if (step < 0) return cli_error(CLI_USAGE, "build report: bad --step");
  if (cli_parse_id(cli_opt(argc, argv, "--trench"), "trench id", &r->trench))
    return CLI_USAGE;
  if (m && cli_parse_double(m, &r->metres) != 0)
    return cli_error(CLI_USAGE, "build report: bad --metres '%s'", m);
  r->step = (gn_build_step)step;
  r->client_id = cli_opt(argc, argv, "--client-id");
  r->who = cli_opt(argc, argv, "--who");
  r->org = cli_opt(argc, argv, "--org");
  r->at = cli_opt(argc, argv, "--at");
  r->note = cli_opt(argc, argv, "--note");
  r->block_reason = cli_opt(argc, argv, "--reason");
  r->override_reason = cli_opt(argc, argv, "--override");
  r->supervisor = cli_flag(argc, argv, "--supervisor");
  r->nphotos = opt_all(argc, argv, "--photo", photos);
  r->photos = photos;
  r->ngps = opt_all(argc, argv, "--gps", gtxt);
  r->gps = gps;
  return parse_gps(gtxt, r->ngps, gps);
}

static int report(int argc, char **argv, gn_ctx *ctx, gn_store *st) {
  static const char *photos[MAX_LIST], *gtxt[MAX_LIST];
  static double gps[2 * MAX_LIST];
  gn_build_report r;
  int rc = report_args(argc, argv, &r, photos, gtxt, gps);
  if (rc != CLI_OK) return rc;
  gn_build_outcome o;
  if (gn_build_report_add(st, &r, &o) != GN_OK)
    return cli_fail(ctx, "build report");
  printf("{\"report\": %lld, \"duplicate\": %s, \"state\": \"%s\", "
         "\"blocked\": %s}\n",
         (long long)o.report, o.duplicate ? "true" : "false",
         gn_build_step_name(o.state), o.blocked ? "true" : "false");
  return CLI_OK;
}

static int asbuilt(int argc, char **argv, gn_ctx *ctx, gn_store *st) {
  gn_build_asbuilt_opts o;
  gn_build_asbuilt_defaults(&o);
  const char *th = cli_opt(argc, argv, "--threshold-m");
  const char *mm = cli_opt(argc, argv, "--match-m");
  if (argc < 3 || argv[2][0] == '-' ||
      (th && cli_parse_double(th, &o.threshold_m) != 0) ||
      (mm && cli_parse_double(mm, &o.match_m) != 0))
    return cli_error(CLI_USAGE, "build asbuilt: DB FILE.gpx|FILE.geojson"
                                " [--threshold-m M] [--match-m M]");
  gn_track *t = NULL;
  size_t n = 0;
  char *json = NULL;
  gn_status s = gn_io_read_tracks(ctx, argv[2], &t, &n);
  if (s == GN_OK)
    s = gn_build_asbuilt_import(st, t, n, argv[2], &o,
                                cli_store_user(argc, argv), &json);
  gn_tracks_free(ctx, t, n);
  return print_json(ctx, s, json, "build asbuilt");
}

static int import_csv(int argc, char **argv, gn_ctx *ctx, gn_store *st) {
  if (argc < 3 || argv[2][0] == '-')
    return cli_error(CLI_USAGE, "build import: DB FILE.csv [--org ORG]");
  char *json = NULL;
  gn_status s = gn_build_import_csv(st, argv[2], cli_opt(argc, argv, "--org"),
                                    cli_store_user(argc, argv), &json);
  return print_json(ctx, s, json, "build import");
}

static int schedule(int argc, char **argv, gn_ctx *ctx, gn_store *st) {
  const char *a = cli_opt(argc, argv, "--start"), *b = cli_opt(argc, argv, "--end");
  if (argc < 3 || argv[2][0] == '-' || !a || !b)
    return cli_error(CLI_USAGE, "build schedule: DB PACKAGE --start YYYY-MM-DD"
                                " --end YYYY-MM-DD");
  if (gn_build_schedule(st, argv[2], a, b, NULL, cli_store_user(argc, argv)) != GN_OK)
    return cli_fail(ctx, "build schedule");
  printf("%s planned %s .. %s\n", argv[2], a, b);
  return CLI_OK;
}

static int supervision(int argc, char **argv, gn_ctx *ctx, gn_store *st) {
  char *json = NULL;
  gn_status s = gn_build_supervision_json(st, cli_opt(argc, argv, "--phase"),
                                          cli_opt(argc, argv, "--org"),
                                          cli_opt(argc, argv, "--as-of"), &json);
  return print_json(ctx, s, json, "build supervision");
}

static int daily(int argc, char **argv, gn_ctx *ctx, gn_store *st) {
  const char *html = cli_opt(argc, argv, "--out"), *pdf = cli_opt(argc, argv, "--pdf");
  if (!html && !pdf)
    return cli_error(CLI_USAGE, "build daily: DB --out REPORT.html [--pdf"
                                " REPORT.pdf] [--lang fr|en] [--phase P]"
                                " [--as-of YYYY-MM-DD]");
  if (gn_report_build_daily(st, cli_opt(argc, argv, "--phase"),
                            cli_opt(argc, argv, "--as-of"),
                            cli_opt(argc, argv, "--lang"), html, pdf) != GN_OK)
    return cli_fail(ctx, "build daily");
  printf("daily report:%s%s%s%s\n", html ? " " : "", html ? html : "",
         pdf ? " " : "", pdf ? pdf : "");
  return CLI_OK;
}

static int status(int argc, char **argv, gn_ctx *ctx, gn_store *st) {
  char *json = NULL;
  gn_status s = gn_build_status_json(st, cli_opt(argc, argv, "--package"),
                                     cli_opt(argc, argv, "--org"), &json);
  return print_json(ctx, s, json, "build status");
}

int cmd_build(int argc, char **argv) {
  static const struct {
    const char *name;
    int (*fn)(int, char **, gn_ctx *, gn_store *);
  } subs[] = {{"packages", packages}, {"list", list},
              {"assign", assign},     {"report", report},
              {"status", status},     {"asbuilt", asbuilt},
              {"import", import_csv}, {"schedule", schedule},
              {"supervision", supervision}, {"daily", daily}};
  if (argc < 2 || strcmp(argv[1], "--help") == 0)
    return usage(argc < 2 ? stderr : stdout, argc < 2 ? CLI_USAGE : CLI_OK);
  for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
    if (strcmp(argv[1], subs[i].name) != 0) continue;
    if (argc < 3 || argv[2][0] == '-') return usage(stderr, CLI_USAGE);
    gn_ctx *ctx = NULL;
    gn_store *st = NULL;
    int rc = cli_store_open(argv[2], 0, &ctx, &st);
    if (rc != CLI_OK) return rc;
    rc = subs[i].fn(argc - 1, argv + 1, ctx, st);
    cli_store_done(ctx, st);
    return rc;
  }
  return cli_error(CLI_USAGE, "build: unknown subcommand '%s'", argv[1]);
}
