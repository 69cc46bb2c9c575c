/*
 * cmd_serve.c - 'govnet serve': the HTTP API and web map over a store.
 *
 * Signals: SIGTERM and SIGINT are blocked before the server threads start
 * (so they inherit the mask) and taken with sigwait() here, which then
 * runs a graceful shutdown: stop accepting, let requests in flight finish
 * (up to --grace seconds), close the store connections.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef GN_WEB_DIR
#define GN_WEB_DIR "web"
#endif

static void serve_usage(FILE *f) {
  fprintf(f,
          "usage: govnet serve --db DB [--listen ADDR:PORT] [--token-file F]\n"
          "                    [--threads N] [--web-dir DIR] [--boundaries FILE]\n"
          "                    [--max-body BYTES] [--max-page N] [--timeout S]\n"
          "                    [--max-connections N] [--cache-mb N] [--grace S]\n"
          "                    [--max-per-ip N] [--header-timeout S]\n"
          "                    [--request-timeout S] [--host NAMES] [--sync full|normal]\n"
          "                    [--tls-cert F --tls-key F | --insecure-http]\n"
          "                    [--places FILE] [--basemap F.mbtiles] [--quiet]\n"
          "                    [--aaa-token-file F [--aaa-listen 127.0.0.1:PORT]\n"
          "                    [--aaa-threads N]]\n"
          "  --listen     default 127.0.0.1:8080 (port 0 = any free port)\n"
          "  --token-file an admin bearer token (first line), else env GOVNET_TOKEN;\n"
          "               users sign in or use tokens from 'govnet user token'\n"
          "  --aaa-token-file  the token FreeRADIUS (rlm_rest) sends to\n"
          "               POST /api/hotspot/aaa, the only route it opens\n"
          "               (govnet hotspot radius-config --backend rest)\n"
          "  --aaa-listen a loopback listener of its own for that route\n"
          "               (its own threads, small buffers: faster; port 0 = any)\n"
          "  --tls-cert, --tls-key  PEM certificate and key: serve HTTPS\n"
          "  --insecure-http  allow plain HTTP on a non-loopback address\n"
          "  --web-dir    map UI root (default %s)\n"
          "  --boundaries GeoJSON served at /api/boundaries (base map)\n"
          "  --places     GeoJSON points; place=suburb|neighbourhood|quarter ones\n"
          "               label the map and feed the search (/api/places)\n"
          "  --basemap    MBTiles from 'govnet basemap': streets under the map\n"
          "  --cache-mb   GET answer cache per thread (default 32, 0 = off)\n"
          "  --grace      seconds to let requests in flight finish on SIGTERM\n"
          "  --timeout    idle seconds before a silent connection is closed (15)\n"
          "  --header-timeout  seconds for a request's headers (10)\n"
          "  --request-timeout seconds for a whole request, body included (120)\n"
          "  --max-per-ip connections from one client address (32)\n"
          "  --host       comma-separated host names the server answers to\n"
          "               (IP addresses and localhost always; others are\n"
          "               refused against DNS rebinding)\n"
          "  --sync       full (default): an answered write survives a power\n"
          "               cut; normal: faster, survives a process crash only\n",
          GN_WEB_DIR);
}

static int parse_listen(const char *s, char *addr, size_t cap, unsigned *port) {
  const char *colon = strrchr(s, ':');
  long p = 0;
  if (!colon || (size_t)(colon - s) >= cap || cli_parse_long(colon + 1, &p) != 0 ||
      p < 0 || p > 65535)
    return cli_error(CLI_USAGE, "serve: --listen expects ADDR:PORT, got '%s'", s);
  memcpy(addr, s, (size_t)(colon - s));
  addr[colon - s] = '\0';
  *port = (unsigned)p;
  return CLI_OK;
}

static void log_stderr(void *ud, const char *line) {
  (void)ud;
  fprintf(stderr, "%s\n", line);
}

typedef struct serve_args {
  gn_server_opts o;
  char addr[64], token[4098], aaa_token[4098], aaa_addr[64];
  long grace_s;
} serve_args;

static int parse_num(const char *opt, const char *v, long lo, long hi, long *out) {
  if (!v || cli_parse_long(v, out) != 0 || *out < lo || *out > hi)
    return cli_error(CLI_USAGE, "serve: %s expects an integer in %ld..%ld", opt, lo, hi);
  return CLI_OK;
}

/* Parse one option at argv[*i]; dispatcher over the option names. */
static int parse_opt(serve_args *a, int argc, char **argv, int *i) {
  const char *opt = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
  long n = 0;
  int rc = CLI_OK;
  if (strcmp(opt, "--quiet") == 0) {
    a->o.log_fn = NULL;
    return CLI_OK;
  }
  if (strcmp(opt, "--insecure-http") == 0) {
    a->o.insecure_http = 1;
    return CLI_OK;
  }
  if (!v) return cli_error(CLI_USAGE, "serve: %s needs a value", opt);
  (*i)++;
  if (strcmp(opt, "--db") == 0) a->o.db_path = v;
  else if (strcmp(opt, "--listen") == 0) rc = parse_listen(v, a->addr, sizeof(a->addr), &a->o.port);
  else if (strcmp(opt, "--token-file") == 0) rc = cli_read_token("serve", v, a->token, sizeof(a->token));
  else if (strcmp(opt, "--aaa-listen") == 0) {
    rc = parse_listen(v, a->aaa_addr, sizeof(a->aaa_addr), &a->o.aaa_port);
    a->o.aaa_addr = a->aaa_addr;
  } else if (strcmp(opt, "--aaa-threads") == 0) {
    if (!(rc = parse_num(opt, v, 1, 64, &n))) a->o.aaa_threads = (unsigned)n;
  } else if (strcmp(opt, "--aaa-token-file") == 0)
    rc = cli_read_token("serve", v, a->aaa_token, sizeof(a->aaa_token));
  else if (strcmp(opt, "--web-dir") == 0) a->o.web_dir = v;
  else if (strcmp(opt, "--tls-cert") == 0) a->o.tls_cert = v;
  else if (strcmp(opt, "--tls-key") == 0) a->o.tls_key = v;
  else if (strcmp(opt, "--boundaries") == 0) a->o.boundaries = v;
  else if (strcmp(opt, "--places") == 0) a->o.places = v;
  else if (strcmp(opt, "--basemap") == 0) a->o.basemap = v;
  else if (strcmp(opt, "--host") == 0) a->o.host_names = v;
  else if (strcmp(opt, "--sync") == 0) {
    if (strcmp(v, "full") != 0 && strcmp(v, "normal") != 0)
      return cli_error(CLI_USAGE, "serve: --sync expects full or normal");
    a->o.sync_normal = v[0] == 'n';
  }
  else if (strcmp(opt, "--max-per-ip") == 0) {
    if (!(rc = parse_num(opt, v, 1, 100000, &n))) a->o.max_per_ip = (unsigned)n;
  } else if (strcmp(opt, "--header-timeout") == 0) {
    if (!(rc = parse_num(opt, v, 1, 3600, &n))) a->o.header_timeout_s = (unsigned)n;
  } else if (strcmp(opt, "--request-timeout") == 0) {
    if (!(rc = parse_num(opt, v, 1, 86400, &n))) a->o.request_timeout_s = (unsigned)n;
  }
  else if (strcmp(opt, "--threads") == 0) {
    if (!(rc = parse_num(opt, v, 1, 64, &n))) a->o.threads = (unsigned)n;
  } else if (strcmp(opt, "--max-body") == 0) {
    if (!(rc = parse_num(opt, v, 1024, 64L << 20, &n))) a->o.max_body = (size_t)n;
  } else if (strcmp(opt, "--max-page") == 0) {
    if (!(rc = parse_num(opt, v, 1, 100000, &n))) a->o.max_page = (unsigned)n;
  } else if (strcmp(opt, "--timeout") == 0) {
    if (!(rc = parse_num(opt, v, 1, 3600, &n))) a->o.timeout_s = (unsigned)n;
  } else if (strcmp(opt, "--max-connections") == 0) {
    if (!(rc = parse_num(opt, v, 1, 100000, &n))) a->o.max_connections = (unsigned)n;
  } else if (strcmp(opt, "--cache-mb") == 0) {
    /* 0 turns the answer cache off (1-byte budget: nothing fits) */
    if (!(rc = parse_num(opt, v, 0, 4096, &n))) a->o.cache_bytes = n ? (size_t)n << 20 : 1;
  } else if (strcmp(opt, "--grace") == 0) {
    rc = parse_num(opt, v, 0, 600, &a->grace_s);
  } else {
    static const char *const known[] = {"--basemap", "--boundaries", "--cache-mb", "--db",
        "--grace", "--help", "--listen", "--max-body", "--max-connections", "--max-page",
        "--places", "--quiet", "--threads", "--timeout", "--token-file", "--web-dir",
        "--aaa-token-file", "--aaa-listen", "--aaa-threads", NULL};
    return cli_unknown("serve: unknown option", opt, known);
  }
  return rc;
}

static int parse_args(serve_args *a, int argc, char **argv) {
  memset(a, 0, sizeof(*a));
  memcpy(a->addr, "127.0.0.1", 10);
  a->o.port = 8080;
  a->o.web_dir = GN_WEB_DIR;
  a->o.log_fn = log_stderr;
  a->grace_s = 10;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      serve_usage(stdout);
      exit(CLI_OK);
    }
    int rc = parse_opt(a, argc, argv, &i);
    if (rc != CLI_OK) return rc;
  }
  if (!a->o.db_path) {
    serve_usage(stderr);
    return cli_error(CLI_USAGE, "serve: --db is required");
  }
  const char *env = getenv("GOVNET_TOKEN");
  a->o.listen_addr = a->addr;
  a->o.token = a->token[0] ? a->token : env && env[0] ? env : NULL;
  a->o.aaa_token = a->aaa_token[0] ? a->aaa_token : NULL;
  return CLI_OK;
}

/* The map needs Leaflet from npm: say so at start, not as a blank page. */
static void check_web_dir(const char *web_dir) {
  char path[4096];
  snprintf(path, sizeof(path), "%s/node_modules/leaflet/dist/leaflet-src.esm.js", web_dir);
  if (access(path, R_OK) != 0)
    fprintf(stderr, "govnet: warning: %s missing: run 'npm ci' in %s for the map UI\n",
            path, web_dir);
}

static int serve_until_signal(gn_ctx *ctx, gn_server *srv, const serve_args *a) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, NULL); /* server threads inherit it */
  if (gn_server_start(srv) != GN_OK) return cli_fail(ctx, "serve");
  printf("govnet: serving %s://%s:%u/ (db %s, %u threads%s)\n",
         a->o.tls_cert ? "https" : "http", a->addr, gn_server_port(srv), a->o.db_path,
         a->o.threads ? a->o.threads : 2,
         a->o.token ? ", admin token from --token-file" : "");
  if (a->o.aaa_addr)
    printf("govnet: AAA listener http://%s:%u/api/hotspot/aaa (%u threads)\n",
           a->aaa_addr, gn_server_aaa_port(srv), a->o.aaa_threads ? a->o.aaa_threads : 2);
  fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  fprintf(stderr, "govnet: %s received, shutting down\n",
          sig == SIGTERM ? "SIGTERM" : "SIGINT");
  gn_server_shutdown(srv, (unsigned)a->grace_s * 1000u);
  return CLI_OK;
}

int cmd_serve(int argc, char **argv) {
  serve_args a;
  int rc = parse_args(&a, argc, argv);
  if (rc != CLI_OK) return rc;
  gn_ctx *ctx = NULL;
  if (cli_ctx_create(&ctx) != GN_OK) return cli_error(CLI_ERR, "out of memory");
  gn_server *srv = NULL;
  if (gn_server_create(ctx, &a.o, &srv) != GN_OK) {
    rc = cli_fail(ctx, "serve");
    gn_ctx_free(ctx);
    return rc;
  }
  check_web_dir(a.o.web_dir);
  rc = serve_until_signal(ctx, srv, &a);
  gn_server_free(srv);
  gn_ctx_free(ctx);
  if (rc == CLI_OK) fprintf(stderr, "govnet: stopped cleanly\n");
  return rc;
}
