/*
 * bench_monitor.c - Root-cause benchmark, public API only: model load
 * time; gn_monitor_diagnose latency (median, p99, max) on the down set of
 * every single-trench cut, on down sets of ~110 sites (random double and
 * triple cuts whose down set has 100..120 sites), on single-site device
 * faults and on 110 unrelated sites (the greedy fallback). Peer, in the
 * same run: the naive diagnosis a NOC script would do (one
 * gn_store_impact per trench, keep the trenches whose down set matches)
 * on the first 30 single cuts; the ratio of medians is printed. Times are
 * thread CPU time (see now_ms).
 * Usage: bench_monitor DB (--synthetic N [--ring PCT] | --plan P)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_store.h"

#define MAXD 8192

/* Thread CPU time: the benchmark machine is shared (load average up to
 * 15 on 2 cores while it ran), and wall time there measures the
 * neighbours. run.sh prints wall-clock figures too via `time`. */
static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double stats(const char *what, double *v, size_t n) {
  if (n == 0) return 0;
  qsort(v, n, sizeof(double), cmp_d);
  printf("%-28s n=%-5zu median=%.3f ms p99=%.3f ms max=%.3f ms\n", what, n,
         v[n / 2], v[(size_t)(n * 0.99)], v[n - 1]);
  return v[n / 2];
}

static int cmp_s(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Down set (sorted site ids, strings owned by *m) of cutting ids. */
static size_t down_of(gn_store *st, const int64_t *ids, size_t n,
                      gn_impact **m, const char **out) {
  gn_impact_query q;
  memset(&q, 0, sizeof(q));
  q.kind = GN_CUT_TRENCHES;
  q.ids = ids;
  q.nids = n;
  *m = NULL;
  if (gn_store_impact(st, &q, m) != GN_OK) return 0;
  size_t k = 0;
  for (size_t i = 0; i < (*m)->nsites && k < MAXD; i++)
    if (!(*m)->sites[i].protected_) out[k++] = (*m)->sites[i].id;
  qsort(out, k, sizeof(char *), cmp_s);
  return k;
}

static int same(const char **a, size_t na, const char **b, size_t nb) {
  if (na != nb) return 0;
  for (size_t i = 0; i < na; i++)
    if (strcmp(a[i], b[i])) return 0;
  return 1;
}

static double diag(gn_ctx *ctx, gn_monitor_net *net, const char **d, size_t n,
                   gn_diagnosis **out) {
  double a = now_ms();
  if (gn_monitor_diagnose(ctx, net, d, n, NULL, 0, NULL, out) != GN_OK) {
    fprintf(stderr, "diagnose: %s\n", gn_ctx_errmsg(ctx));
    exit(1);
  }
  return now_ms() - a;
}

static gn_status open_store(gn_ctx *ctx, int argc, char **argv, gn_store **st) {
  gn_plan *plan = NULL;
  gn_status rs;
  if (strcmp(argv[2], "--plan") == 0) {
    rs = gn_plan_read_gpkg(ctx, argv[3], &plan);
  } else {
    const char *ring = argc > 5 && strcmp(argv[4], "--ring") == 0 ? argv[5] : "15";
    rs = cli_synthetic_plan(ctx, (int)strtol(argv[3], NULL, 10), 1,
                            (int)strtol(ring, NULL, 10), &plan);
  }
  if (rs == GN_OK) rs = gn_store_open(ctx, argv[1], GN_STORE_CREATE, 0, st);
  gn_store_import_stats x;
  if (rs == GN_OK) rs = gn_store_import_plan(*st, plan, "bench", &x);
  if (rs == GN_OK)
    printf("store: %zu sites, %zu trenches, %zu fibers, %zu splices, %zu"
           " circuits, %zu protected\n", x.sites, x.trenches, x.fibers,
           x.splices, x.circuits, x.protected_sites);
  gn_plan_free(plan);
  return rs;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: bench_monitor DB --synthetic N | --plan P\n");
    return 2;
  }
  gn_ctx *ctx;
  gn_ctx_create(&ctx);
  gn_store *st = NULL;
  if (open_store(ctx, argc, argv, &st) != GN_OK) {
    fprintf(stderr, "%s\n", gn_ctx_errmsg(ctx));
    return 1;
  }
  static double lat[100000];
  size_t n = 0;
  gn_monitor_net *net = NULL;
  for (int i = 0; i < 10; i++) {
    gn_monitor_net_free(net);
    double a = now_ms();
    gn_monitor_net_load(st, &net);
    lat[n++] = now_ms() - a;
  }
  stats("model load", lat, n);
  /* trench ids: probe 1.. (plans number trenches densely) */
  static int64_t ids[100000];
  size_t nt = 0;
  static const char *d[MAXD], *d2[MAXD];
  for (int64_t t = 1, miss = 0; miss < 1000 && nt < 100000; t++) {
    gn_impact *m = NULL;
    down_of(st, &t, 1, &m, d);
    if (m) ids[nt++] = t, miss = 0; else miss++;
    gn_impact_free(ctx, m);
  }
  size_t wrong = 0, nsingle = 0;
  n = 0;
  static double naive[64];
  size_t nn = 0;
  for (size_t i = 0; i < nt; i++) {
    gn_impact *m = NULL;
    size_t k = down_of(st, &ids[i], 1, &m, d);
    if (k) {
      gn_diagnosis *g = NULL;
      lat[n++] = diag(ctx, net, d, k, &g);
      nsingle++;
      const gn_diag_candidate *c = &g->candidates[0];
      gn_impact *m2 = NULL;
      size_t k2 = c->ntrenches ? down_of(st, c->trenches, c->ntrenches, &m2, d2) : 0;
      wrong += !c->ntrenches || c->ncables || c->nclosures || !same(d, k, d2, k2);
      gn_impact_free(ctx, m2);
      gn_diagnosis_free(ctx, g);
      if (nn < 30) { /* the naive peer: every trench's impact */
        double a = now_ms();
        size_t match = 0;
        for (size_t j = 0; j < nt; j++) {
          gn_impact *m3 = NULL;
          size_t k3 = down_of(st, &ids[j], 1, &m3, d2);
          match += same(d, k, d2, k3);
          gn_impact_free(ctx, m3);
        }
        naive[nn++] = now_ms() - a;
        if (!match) wrong++;
      }
    }
    gn_impact_free(ctx, m);
  }
  double ours = stats("single cuts", lat, n);
  double peer = stats("  naive peer (30 cuts)", naive, nn);
  printf("  first candidate wrong: %zu of %zu; naive/ours median ratio %.0fx\n",
         wrong, nsingle, ours > 0 ? peer / ours : 0);
  /* ~110 down: random double and triple cuts with 100..120 down sites */
  unsigned seed = 99;
  size_t tot = 0;
  n = 0;
  for (int tries = 0; tries < 200000 && n < 200; tries++) {
    int64_t cut[3];
    int nc = 2 + tries % 2;
    for (int j = 0; j < nc; j++) {
      seed = seed * 1103515245u + 12345u;
      cut[j] = ids[(seed >> 8) % nt];
    }
    gn_impact *m = NULL;
    size_t k = down_of(st, cut, (size_t)nc, &m, d);
    if (k >= 100 && k <= 120) {
      gn_diagnosis *g = NULL;
      lat[n++] = diag(ctx, net, d, k, &g);
      tot += k;
      gn_diagnosis_free(ctx, g);
    }
    gn_impact_free(ctx, m);
  }
  if (n) printf("(mean down set %.0f sites)\n", (double)tot / (double)n);
  stats("~110 down (2-3 cuts)", lat, n);
  /* single-site faults and 110 unrelated sites (greedy fallback) */
  gn_store_query q;
  memset(&q, 0, sizeof(q));
  gn_store_site *sl = NULL;
  size_t ns = 0;
  gn_store_list_sites(st, &q, &sl, &ns);
  n = 0;
  for (size_t i = 0; i < ns && n < 300; i += 1 + ns / 300) {
    gn_diagnosis *g = NULL;
    const char *one = sl[i].id;
    lat[n++] = diag(ctx, net, &one, 1, &g);
    gn_diagnosis_free(ctx, g);
  }
  stats("one site down", lat, n);
  n = 0;
  for (int r = 0; r < 50 && ns >= 110; r++) {
    for (size_t j = 0; j < 110; j++) {
      seed = seed * 1103515245u + 12345u;
      d[j] = sl[(seed >> 8) % ns].id;
    }
    gn_diagnosis *g = NULL; /* duplicates are fine: a site is named twice */
    lat[n++] = diag(ctx, net, d, 110, &g);
    gn_diagnosis_free(ctx, g);
  }
  stats("110 unrelated sites down", lat, n);
  /* alert intake: a batch of 110 GovnetSiteDown alerts, firing then
   * resolved (parse + record + diagnose + incidents, one transaction) */
  n = 0;
  size_t cap = 1 << 20;
  char *body = malloc(cap);
  for (int r = 0; r < 40 && ns >= 110 && body; r++) {
    size_t len = (size_t)snprintf(body, cap,
        "{\"version\":\"4\",\"status\":\"%s\",\"receiver\":\"govnet\","
        "\"alerts\":[", r % 2 ? "resolved" : "firing");
    for (size_t j = 0; j < 110; j++)
      len += (size_t)snprintf(body + len, cap - len,
          "%s{\"status\":\"%s\",\"labels\":{\"alertname\":\"GovnetSiteDown\","
          "\"site\":\"%s\",\"job\":\"govnet_cpe\"},\"annotations\":{},"
          "\"startsAt\":\"2026-12-06T02:00:00Z\",\"endsAt\":"
          "\"0001-01-01T00:00:00Z\",\"fingerprint\":\"%zx\"}",
          j ? "," : "", r % 2 ? "resolved" : "firing", sl[j * (ns / 110)].id, j);
    snprintf(body + len, cap - len, "]}");
    double a = now_ms();
    gn_alert_batch *b = NULL;
    gn_monitor_ingest res;
    if (gn_monitor_alerts_parse(ctx, body, strlen(body), &b) != GN_OK ||
        gn_monitor_alerts_ingest(st, b, "bench", 1796522400 + r, &res) != GN_OK) {
      fprintf(stderr, "ingest: %s\n", gn_ctx_errmsg(ctx));
      return 1;
    }
    lat[n++] = now_ms() - a;
    gn_alert_batch_free(ctx, b);
  }
  free(body);
  double med = stats("intake, 110-alert batch", lat, n);
  if (med > 0) printf("  intake throughput %.0f alerts/s (CPU)\n", 110 * 1000.0 / med);
  gn_store_sites_free(ctx, sl, ns);
  gn_monitor_net_free(net);
  gn_store_close(st);
  gn_ctx_free(ctx);
  return 0;
}
