/*
 * cmd_basemap.c - 'govnet basemap': vector tiles of an OSM extract for the
 * map's streets, water and names (`govnet serve --basemap`).
 */
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static void basemap_usage(FILE *f) {
  fprintf(f,
          "usage: govnet basemap --osm F.osm.pbf|F.osm --out base.mbtiles [--threads N]\n"
          "  Streets (with names), water and place names as vector tiles, zoom 10-14,\n"
          "  rendered by tilemaker (XML extracts are converted with osmium-tool first).\n"
          "  Serve them under the map with: govnet serve --db DB --basemap base.mbtiles\n");
}

int cmd_basemap(int argc, char **argv) {
  const char *osm = NULL, *out = NULL;
  long threads = 0;
  for (int i = 1; i < argc; i++) {
    const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
      basemap_usage(stdout);
      return CLI_OK;
    }
    static const char *const known[] = {"--help", "--osm", "--out", "--threads", NULL};
    if (strcmp(o, "--osm") != 0 && strcmp(o, "--out") != 0 && strcmp(o, "--threads") != 0)
      return cli_unknown("basemap: unknown option", o, known);
    if (!v) return cli_error(CLI_USAGE, "basemap: %s needs a value", o);
    i++;
    if (strcmp(o, "--osm") == 0) osm = v;
    else if (strcmp(o, "--out") == 0) out = v;
    else if (cli_parse_long(v, &threads) != 0 || threads < 1 || threads > 64)
      return cli_error(CLI_USAGE, "basemap: --threads expects 1..64");
  }
  if (!osm || !out) {
    basemap_usage(stderr);
    return CLI_USAGE;
  }
  gn_ctx *ctx = NULL;
  if (cli_ctx_create(&ctx) != GN_OK) return cli_error(CLI_ERR, "basemap: out of memory");
  int rc = CLI_OK;
  if (gn_io_basemap_build(ctx, osm, out, (unsigned)threads) != GN_OK) {
    rc = cli_fail(ctx, "basemap");
  } else {
    struct stat st;
    printf("basemap: %s (%lld kB), streets, water and names of %s, zoom 10-14\n", out,
           stat(out, &st) == 0 ? (long long)st.st_size / 1024 : 0LL, osm);
  }
  gn_ctx_free(ctx);
  return rc;
}
