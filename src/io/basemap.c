/*
 * basemap.c - An offline basemap (vector tiles in an MBTiles file) from an
 * OSM extract, built by tilemaker (`govnet basemap`).
 *
 * Design: govnet does not render tiles itself; tilemaker (Debian package)
 * does it well. This module writes tilemaker's two inputs, our own
 * layer profile (process.lua: streets with class and name, waterways,
 * water and building areas, place names) and its config (zoom 10-14,
 * gzip tiles), into a private temporary directory, converts an XML
 * extract to PBF with osmium-tool first (tilemaker reads PBF only), takes
 * the data's bounding box from `osmium fileinfo -e` (extracts often have
 * no bbox header), then runs tilemaker into a temporary file next to the
 * output and renames it into place: a failure leaves no partial basemap.
 * The tools' chatter goes to a log in the temporary directory; its last
 * line is quoted in the error when a tool fails.
 * Threads: reentrant (no shared state); spawns child processes.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "govnet/io.h"
#include "io/atomic_file.h"
#include "io/ogr_util.h"
#include "util/internal.h"

extern char **environ;

static const char profile_lua[] =
    "-- govnet basemap profile (written by govnet basemap for tilemaker)\n"
    "node_keys = { \"place\" }\n"
    "function init_function() end\n"
    "function exit_function() end\n"
    "local places = { city=1, town=1, village=1, suburb=1, neighbourhood=1, quarter=1, hamlet=1 }\n"
    "function node_function(node)\n"
    "  local p = node:Find(\"place\")\n"
    "  if places[p] and node:Find(\"name\") ~= \"\" then\n"
    "    node:Layer(\"places\", false)\n"
    "    node:Attribute(\"class\", p)\n"
    "    node:Attribute(\"name\", node:Find(\"name\"))\n"
    "  end\n"
    "end\n"
    "local streets = { motorway=1, trunk=1, primary=1, secondary=1, tertiary=1, unclassified=1,\n"
    "  residential=1, living_street=1, service=1, road=1, pedestrian=1, track=1,\n"
    "  motorway_link=1, trunk_link=1, primary_link=1, secondary_link=1, tertiary_link=1 }\n"
    "local waterways = { river=1, stream=1, canal=1, drain=1 }\n"
    "function way_function(way)\n"
    "  local hw = way:Find(\"highway\")\n"
    "  if streets[hw] then\n"
    "    way:Layer(\"streets\", false)\n"
    "    way:Attribute(\"class\", hw)\n"
    "    local n = way:Find(\"name\")\n"
    "    if n ~= \"\" then way:Attribute(\"name\", n) end\n"
    "  end\n"
    "  local ww = way:Find(\"waterway\")\n"
    "  if waterways[ww] then\n"
    "    way:Layer(\"waterway\", false)\n"
    "    way:Attribute(\"class\", ww)\n"
    "  end\n"
    "  if way:IsClosed() then\n"
    "    local nat, lu = way:Find(\"natural\"), way:Find(\"landuse\")\n"
    "    if nat == \"water\" or lu == \"reservoir\" or lu == \"basin\" or ww == \"riverbank\" then\n"
    "      way:Layer(\"water\", true)\n"
    "    end\n"
    "    if way:Find(\"building\") ~= \"\" then way:Layer(\"buildings\", true) end\n"
    "  end\n"
    "end\n";

static const char config_json[] =
    "{\"layers\": {\n"
    "  \"water\": {\"minzoom\": 10, \"maxzoom\": 14},\n"
    "  \"waterway\": {\"minzoom\": 11, \"maxzoom\": 14},\n"
    "  \"streets\": {\"minzoom\": 10, \"maxzoom\": 14, \"simplify_below\": 13,\n"
    "              \"simplify_level\": 0.0001, \"simplify_ratio\": 2.0},\n"
    "  \"buildings\": {\"minzoom\": 14, \"maxzoom\": 14},\n"
    "  \"places\": {\"minzoom\": 10, \"maxzoom\": 14}},\n"
    " \"settings\": {\"minzoom\": 10, \"maxzoom\": 14, \"basezoom\": 14, \"include_ids\": false,\n"
    "  \"name\": \"govnet basemap\", \"version\": \"1\",\n"
    "  \"description\": \"Streets, water and names under the govnet map. Map data (c) "
    "OpenStreetMap contributors, ODbL 1.0\",\n"
    "  \"compress\": \"gzip\"}}\n";

typedef struct work {
  gn_ctx *ctx;
  char dir[256];
  char log[300];
} work;

static gn_status write_text(work *w, const char *name, const char *text) {
  char path[300];
  snprintf(path, sizeof(path), "%s/%s", w->dir, name);
  FILE *f = fopen(path, "w");
  int ok = f && fputs(text, f) >= 0;
  if (f && fclose(f) != 0) ok = 0;
  return ok ? GN_OK : gn__fail(w->ctx, GN_EIO, "%s: cannot write", path);
}

/* The last non-empty line of the log (for error messages). */
static void log_tail(const work *w, char *buf, size_t cap) {
  buf[0] = '\0';
  FILE *f = fopen(w->log, "r");
  if (!f) return;
  char line[512];
  while (fgets(line, sizeof(line), f)) {
    line[strcspn(line, "\r\n")] = '\0';
    char *p = strrchr(line, '\r');
    if (line[0]) snprintf(buf, cap, "%.300s", p ? p + 1 : line);
  }
  fclose(f);
}

/* Run argv with stdout to out_path (or the log) and stderr to the log. */
static gn_status run(work *w, char *const argv[], const char *out_path) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_path ? out_path : w->log,
                                   O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, w->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
  pid_t pid;
  int err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (err != 0)
    return gn__fail(w->ctx, GN_EIO, "cannot run %s: %s (apt-get install %s)", argv[0],
                    strerror(err), strcmp(argv[0], "osmium") == 0 ? "osmium-tool" : argv[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) continue;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return GN_OK;
  char tail[400];
  log_tail(w, tail, sizeof(tail));
  return gn__fail(w->ctx, GN_EFORMAT, "%s failed%s%s", argv[0], tail[0] ? ": " : "", tail);
}

static int has_suffix(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && strcmp(s + n - m, suf) == 0;
}

/* "(minlon,minlat,maxlon,maxlat)" from osmium fileinfo -> "a,b,c,d". */
static gn_status data_bbox(work *w, const char *pbf, char *bbox, size_t cap) {
  char out[300];
  snprintf(out, sizeof(out), "%s/bbox.txt", w->dir);
  char *argv[] = {"osmium", "fileinfo", "-e", "-g", "data.bbox", (char *)pbf, NULL};
  gn_status s = run(w, argv, out);
  if (s != GN_OK) return s;
  FILE *f = fopen(out, "r");
  char line[256] = "";
  if (f) {
    if (!fgets(line, sizeof(line), f)) line[0] = '\0';
    fclose(f);
  }
  double b[4];
  if (sscanf(line, "(%lf,%lf,%lf,%lf)", &b[0], &b[1], &b[2], &b[3]) != 4 || !(b[0] < b[2]) ||
      !(b[1] < b[3]))
    return gn__fail(w->ctx, GN_EFORMAT, "%s: no data to draw (empty extract?)", pbf);
  snprintf(bbox, cap, "%.7f,%.7f,%.7f,%.7f", b[0], b[1], b[2], b[3]);
  return GN_OK;
}

static gn_status build(work *w, const char *osm, const char *out, unsigned threads) {
  char pbf[300], cfg[300], lua[300], bbox[128], nthreads[16];
  gn_status s = write_text(w, "config.json", config_json);
  if (s == GN_OK) s = write_text(w, "process.lua", profile_lua);
  if (s != GN_OK) return s;
  snprintf(cfg, sizeof(cfg), "%s/config.json", w->dir);
  snprintf(lua, sizeof(lua), "%s/process.lua", w->dir);
  snprintf(pbf, sizeof(pbf), "%s", osm);
  if (!has_suffix(osm, ".pbf")) { /* XML (.osm, .osm.bz2, ...): tilemaker reads PBF only */
    snprintf(pbf, sizeof(pbf), "%s/input.osm.pbf", w->dir);
    char *argv[] = {"osmium", "cat", "--no-progress", "-O", "-o", pbf, (char *)osm, NULL};
    if ((s = run(w, argv, NULL)) != GN_OK) return s;
  }
  if ((s = data_bbox(w, pbf, bbox, sizeof(bbox))) != GN_OK) return s;
  snprintf(nthreads, sizeof(nthreads), "%u", threads ? threads : 2);
  char *tmp = NULL;
  if ((s = gn__tmp_path(w->ctx, out, &tmp)) != GN_OK) return s;
  char *argv[] = {"tilemaker", "--input", pbf, "--output", tmp, "--config", cfg,
                  "--process", lua, "--bbox", bbox, "--threads", nthreads, NULL};
  s = run(w, argv, NULL);
  struct stat st;
  int ok = s == GN_OK && stat(tmp, &st) == 0 && st.st_size > 0;
  gn_status c = gn__tmp_commit(w->ctx, tmp, out, ok);
  if (s == GN_OK && !ok) s = gn__fail(w->ctx, GN_EFORMAT, "tilemaker wrote no tiles for %s", osm);
  return s != GN_OK ? s : c;
}

static void work_cleanup(work *w) {
  static const char *files[] = {"config.json", "process.lua", "input.osm.pbf", "bbox.txt", "log.txt"};
  char path[300];
  for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    snprintf(path, sizeof(path), "%s/%s", w->dir, files[i]);
    remove(path);
  }
  rmdir(w->dir);
}

gn_status gn_io_basemap_build(gn_ctx *ctx, const char *osm_path, const char *out_path,
                              unsigned threads) {
  gn_ctx_clear(ctx);
  struct stat st;
  if (stat(osm_path, &st) != 0) return gn__io_cannot_open(ctx, osm_path, errno);
  if (!has_suffix(out_path, ".mbtiles"))
    return gn__fail(ctx, GN_EINVAL, "%s: the basemap file must end in .mbtiles", out_path);
  work w = {ctx, "", ""};
  const char *tmpdir = getenv("TMPDIR");
  snprintf(w.dir, sizeof(w.dir), "%s/govnet-basemap-XXXXXX",
           tmpdir && *tmpdir && strlen(tmpdir) < 200 ? tmpdir : "/tmp");
  if (!mkdtemp(w.dir)) return gn__fail(ctx, GN_EIO, "cannot create a temporary directory: %s",
                                       strerror(errno));
  snprintf(w.log, sizeof(w.log), "%s/log.txt", w.dir);
  gn_status s = build(&w, osm_path, out_path, threads);
  work_cleanup(&w);
  return s;
}
