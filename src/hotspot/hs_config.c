/*
 * hs_config.c - The FreeRADIUS 3.2 configuration govnet generates.
 *
 * Design: one self-contained radiusd.conf (no include of /etc/freeradius,
 * so the distribution's sites and modules never interfere) that
 * `freeradius -f -d DIR` runs as the invoking user: listeners on the given
 * address and ports, a localhost client, one client per NAS in hs_nas with
 * its CoA home server (Disconnect-Requests, RFC 5176), and two rlm_exec
 * instances that run govnet-aaa with the request in its environment, or
 * (rest backend) one rlm_rest instance posting the request as JSON to
 * `govnet serve` over a pool of keep-alive connections, with the bearer
 * token of serve's --aaa-token-file (docs/hotspot.md argues the
 * backends). Both decide with the same call and answer alike. Every
 * value written into the file is checked first: FreeRADIUS expands ${..}
 * and %{..} and splits program lines on quotes, so paths holding such
 * characters are refused rather than escaped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "hotspot/hs_int.h"
#include "io/atomic_file.h"

static int path_ok(const char *p) {
  size_t n = p ? strlen(p) : 0;
  if (n == 0 || n > 1024 || p[0] != '/') return 0;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)p[i] < 0x20 || strchr("\"'\\$%`{}", p[i])) return 0;
  return 1;
}

static int secret_ok(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n < 1 || n > 128) return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] <= ' ' || s[i] > '~' || strchr("\"'\\$%`{}", s[i])) return 0;
  return 1;
}

/* http[s]://host[:port] with an optional final '/': host name, IPv4 or
 * [IPv6] characters only, so nothing in it is expanded by FreeRADIUS. */
static int url_ok(const char *u) {
  size_t n = u ? strlen(u) : 0, skip = 0;
  if (n > 7 && strncmp(u, "http://", 7) == 0) skip = 7;
  if (n > 8 && strncmp(u, "https://", 8) == 0) skip = 8;
  if (!skip || n > 200) return 0;
  if (u[n - 1] == '/') n--;
  size_t host = strspn(u + skip, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST"
                                 "UVWXYZ0123456789.-:[]");
  return n > skip && host == n - skip;
}

/* The token rule of govnet serve's bearer tokens (token68). */
static int token_ok(const char *t) {
  size_t n = t ? strlen(t) : 0;
  size_t body = n ? strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST"
                              "UVWXYZ0123456789-._~+/") : 0;
  size_t pad = n ? strspn(t + body, "=") : 0;
  return n >= 8 && n <= 128 && body > 0 && body + pad == n;
}

static gn_status check_backend(gn_ctx *ctx, const gn_hotspot_radius_opts *o) {
  if (o->backend == GN_HOTSPOT_BACKEND_EXEC) {
    if (!path_ok(o->aaa_program))
      return gn__fail(ctx, GN_EINVAL, "radius-config: bad govnet-aaa path");
    return GN_OK;
  }
  if (o->backend != GN_HOTSPOT_BACKEND_REST)
    return gn__fail(ctx, GN_EINVAL, "radius-config: backend must be exec or"
                    " rest");
  if (!url_ok(o->rest_url))
    return gn__fail(ctx, GN_EINVAL, "radius-config: --rest-url must be "
                    "http[s]://HOST[:PORT] (the address of govnet serve)");
  if (!token_ok(o->rest_token))
    return gn__fail(ctx, GN_EINVAL, "radius-config: the rest token must be "
                    "8..128 characters of A-Z a-z 0-9 - . _ ~ + / (then = "
                    "padding), as serve's --aaa-token-file");
  if (o->rest_timeout_s < 0 || o->rest_timeout_s > 60)
    return gn__fail(ctx, GN_EINVAL, "radius-config: rest timeout 1..60 s");
  return GN_OK;
}

static gn_status check_opts(gn_ctx *ctx, const gn_hotspot_radius_opts *o) {
  if (!path_ok(o->db_path))
    return gn__fail(ctx, GN_EINVAL, "radius-config: the store path must be "
                    "absolute and free of quotes, \\, $, %%, ` and braces");
  gn_status rs = check_backend(ctx, o);
  if (rs != GN_OK) return rs;
  if (o->auth_port < 1 || o->auth_port > 65535 || o->acct_port < 1 ||
      o->acct_port > 65535 || o->auth_port == o->acct_port)
    return gn__fail(ctx, GN_EINVAL, "radius-config: --auth-port and "
                    "--acct-port must be two different ports 1..65535");
  if (!secret_ok(o->secret))
    return gn__fail(ctx, GN_EINVAL, "radius-config: --secret must be 1..128 "
                    "printable ASCII characters without quotes, \\, $, %%, ` "
                    "or braces");
  if (o->listen_ip && strspn(o->listen_ip, "0123456789abcdefABCDEF.:") !=
                          strlen(o->listen_ip))
    return gn__fail(ctx, GN_EINVAL, "radius-config: bad listen address");
  if (o->threads < 0 || o->threads > 256)
    return gn__fail(ctx, GN_EINVAL, "radius-config: threads 1..256");
  return GN_OK;
}

static void head(FILE *f, const char *dir, int threads) {
  fprintf(f,
          "# FreeRADIUS 3.2 configuration written by `govnet hotspot "
          "radius-config`.\n# Regenerate rather than edit. Run: freeradius "
          "-f -d %s  (add -X to debug)\n"
          "prefix = /usr\nexec_prefix = /usr\nsysconfdir = /etc\n"
          "localstatedir = /var\nsbindir = /usr/sbin\n"
          "confdir = %s\nraddbdir = %s\nrun_dir = %s/run\nlogdir = %s/log\n"
          "libdir = /usr/lib/freeradius\ndictdir = /usr/share/freeradius\n"
          "pidfile = ${run_dir}/radiusd.pid\n"
          "hostname_lookups = no\nmax_request_time = 30\ncleanup_delay = 5\n"
          "max_requests = 16384\n"
          "log {\n  destination = files\n  file = ${logdir}/radius.log\n"
          "  auth = yes\n  auth_badpass = no\n  auth_goodpass = no\n}\n"
          "security {\n  allow_core_dumps = no\n  max_attributes = 200\n"
          "  reject_delay = 1\n  status_server = yes\n}\n"
          "thread pool {\n  start_servers = 4\n  max_servers = %d\n"
          "  min_spare_servers = 2\n  max_spare_servers = %d\n"
          "  max_requests_per_server = 0\n  auto_limit_acct = no\n}\n",
          dir, dir, dir, dir, dir, threads, threads);
}

/* One client per NAS, with its Disconnect/CoA home server. Sets *lo4 or
 * *lo6 when a NAS already owns that loopback address. */
static gn_status nas_clients(gn_store *st, FILE *f, int *lo4, int *lo6) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      st, "SELECT name,ip,secret,coa_port FROM hs_nas ORDER BY name", &s);
  if (rs != GN_OK) return rs;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    const char *name = gn__col_text(s, 0), *ip = gn__col_text(s, 1);
    const char *secret = gn__col_text(s, 2);
    int port = sqlite3_column_int(s, 3);
    if (strcmp(ip, "127.0.0.1") == 0) *lo4 = 1;
    if (strcmp(ip, "::1") == 0) *lo6 = 1;
    fprintf(f,
            "home_server coa_%s {\n  type = coa\n  ipaddr = %s\n  port = %d\n"
            "  secret = \"%s\"\n  coa {\n    irt = 2\n    mrt = 16\n"
            "    mrc = 5\n    mrd = 30\n  }\n}\n"
            "client nas_%s {\n  ipaddr = %s\n  secret = \"%s\"\n"
            "  shortname = %s\n  require_message_authenticator = no\n"
            "  coa_server = coa_%s\n}\n",
            name, ip, port, secret, name, ip, secret, name, name);
  }
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "NAS list");
  sqlite3_finalize(s);
  return rs;
}

/* rlm_rest: one request per RADIUS request on a pooled keep-alive
 * connection; no connect_uri, so FreeRADIUS starts (and keeps running)
 * while govnet serve is down: those requests fail and the NAS retries. */
static void rest_module(FILE *f, const gn_hotspot_radius_opts *o, int pool) {
  size_t n = strlen(o->rest_url);
  int base = (int)(o->rest_url[n - 1] == '/' ? n - 1 : n);
  int timeout = o->rest_timeout_s ? o->rest_timeout_s : 10; /* as exec */
  fputs("modules {\n  rest gn_rest {\n    connect_timeout = 2.0\n", f);
  if (strncmp(o->rest_url, "https:", 6) == 0)
    fputs("    tls {\n      check_cert = yes\n      check_cert_cn = yes\n"
          "    }\n", f);
  for (int i = 0; i < 2; i++)
    fprintf(f,
            "    %s {\n      uri = \"%.*s/api/hotspot/aaa?op=%s&src="
            "%%{Packet-Src-IP-Address}\"\n      method = 'post'\n"
            "      body = 'json'\n      timeout = %d\n    }\n",
            i ? "accounting" : "authorize", base, o->rest_url,
            i ? "acct" : "auth", timeout);
  fprintf(f,
          "    pool {\n      start = 0\n      min = 0\n      max = %d\n"
          "      spare = %d\n      uses = 0\n      retry_delay = 1\n"
          "      lifetime = 0\n      idle_timeout = 60\n    }\n  }\n}\n",
          pool, pool);
}

static void modules(FILE *f, const gn_hotspot_radius_opts *o) {
  static const char *const what[2][2] = {{"auth", "reply"},
                                         {"acct", "control"}};
  if (o->backend == GN_HOTSPOT_BACKEND_REST) {
    rest_module(f, o, o->threads ? o->threads : 32);
    return;
  }
  fputs("modules {\n", f);
  for (int i = 0; i < 2; i++)
    fprintf(f,
            "  exec gn_%s {\n    wait = yes\n"
            "    program = \"'%s' %s '%s' %%{Packet-Src-IP-Address}\"\n"
            "    input_pairs = request\n    output_pairs = %s\n"
            "    shell_escape = yes\n    timeout = 10\n  }\n",
            what[i][0], o->aaa_program, what[i][0], o->db_path, what[i][1]);
  fputs("}\n", f);
}

static void server(FILE *f, const gn_hotspot_radius_opts *o) {
  const char *ip = o->listen_ip ? o->listen_ip : "127.0.0.1";
  const char *af = strchr(ip, ':') ? "ipv6addr" : "ipaddr";
  int rest = o->backend == GN_HOTSPOT_BACKEND_REST;
  char hdr[300] = "";
  if (rest) /* consumed by each call: set before each */
    snprintf(hdr, sizeof(hdr),
             "    update control {\n      &REST-HTTP-Header += "
             "\"Authorization: Bearer %s\"\n    }\n", o->rest_token);
  fprintf(f,
          "server default {\n"
          "  listen {\n    type = auth\n    %s = %s\n    port = %d\n  }\n"
          "  listen {\n    type = acct\n    %s = %s\n    port = %d\n  }\n"
          "  authorize {\n%s    %s\n    if (%s) {\n      update control {"
          "\n        &Auth-Type := Accept\n      }\n    }\n  }\n"
          "  authenticate {\n  }\n  preacct {\n  }\n"
          "  accounting {\n%s    %s\n"
          "    if (\"%%{control:Tmp-String-0}\" == \"disconnect\") {\n"
          "      update disconnect {\n"
          "        &User-Name := &request:User-Name\n"
          "        &Acct-Session-Id := &request:Acct-Session-Id\n      }\n"
          "      if (&request:NAS-IP-Address) {\n        update disconnect {\n"
          "          &NAS-IP-Address := &request:NAS-IP-Address\n        }\n"
          "      }\n      if (&request:Calling-Station-Id) {\n"
          "        update disconnect {\n"
          "          &Calling-Station-Id := &request:Calling-Station-Id\n"
          "        }\n      }\n    }\n  }\n"
          "}\n",
          af, ip, o->auth_port, af, ip, o->acct_port, hdr,
          rest ? "gn_rest" : "gn_auth", rest ? "ok || updated" : "ok", hdr,
          rest ? "gn_rest" : "gn_acct");
}

static gn_status write_conf(gn_store *st, const gn_hotspot_radius_opts *o,
                            const char *dir, FILE *f) {
  int lo4 = 0, lo6 = 0;
  head(f, dir, o->threads ? o->threads : 32);
  gn_status rs = nas_clients(st, f, &lo4, &lo6);
  if (rs != GN_OK) return rs;
  if (!lo4)
    fprintf(f, "client localhost {\n  ipaddr = 127.0.0.1\n  secret = \"%s\"\n"
               "  require_message_authenticator = no\n}\n", o->secret);
  if (!lo6)
    fprintf(f, "client localhost6 {\n  ipv6addr = ::1\n  secret = \"%s\"\n}\n",
            o->secret);
  modules(f, o);
  server(f, o);
  return GN_OK;
}

static gn_status make_dir(gn_ctx *ctx, const char *dir, const char *sub) {
  char p[1200];
  snprintf(p, sizeof(p), "%s%s", dir, sub);
  if (mkdir(p, 0750) != 0 && errno != EEXIST)
    return gn__fail(ctx, GN_EIO, "%s: %s", p, strerror(errno));
  return GN_OK;
}

gn_status gn_hotspot_radius_config(gn_store *st,
                                   const gn_hotspot_radius_opts *o,
                                   const char *out_dir) {
  gn_ctx_clear(st->ctx);
  gn_status rs = check_opts(st->ctx, o);
  if (rs == GN_OK && !path_ok(out_dir))
    rs = gn__fail(st->ctx, GN_EINVAL, "radius-config: --out must be an "
                  "absolute path free of quotes, \\, $, %%, ` and braces");
  if (rs == GN_OK) rs = gn__hs_ensure(st);
  if (rs == GN_OK) rs = make_dir(st->ctx, out_dir, "");
  if (rs == GN_OK) rs = make_dir(st->ctx, out_dir, "/run");
  if (rs == GN_OK) rs = make_dir(st->ctx, out_dir, "/log");
  if (rs != GN_OK) return rs;
  char path[1200], *tmp = NULL;
  snprintf(path, sizeof(path), "%s/radiusd.conf", out_dir);
  rs = gn__tmp_path(st->ctx, path, &tmp);
  if (rs != GN_OK) return rs;
  FILE *f = fopen(tmp, "w");
  if (!f) {
    rs = gn__fail(st->ctx, GN_EIO, "%s: %s", tmp, strerror(errno));
    gn__tmp_commit(st->ctx, tmp, path, 0);
    return rs;
  }
  fchmod(fileno(f), 0640); /* secrets inside; FreeRADIUS refuses o+w */
  rs = write_conf(st, o, out_dir, f);
  if (fclose(f) != 0 && rs == GN_OK)
    rs = gn__fail(st->ctx, GN_EIO, "%s: write failed", path);
  gn_status rc = gn__tmp_commit(st->ctx, tmp, path, rs == GN_OK);
  return rs != GN_OK ? rs : rc;
}
