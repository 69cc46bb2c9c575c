/*
 * monitor_config.c - Prometheus, blackbox_exporter and Alertmanager
 * configuration from the store: one blackbox TCP probe per monitored
 * device (file_sd target lists), alert rules, and an Alertmanager route to
 * govnet's webhook.
 *
 * Design: YAML is written with JSON-quoted scalars (JSON strings are valid
 * YAML 1.2 double-quoted scalars), so no site name can break the syntax;
 * file_sd lists are JSON. Each file goes to a temporary name and is
 * renamed over the old one, so Prometheus, which re-reads file_sd files on
 * change, never sees half a list. Alertmanager groups by alertname with a
 * short group_wait so the alarms of one cut reach govnet together, which
 * is what the root-cause step needs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "io/atomic_file.h"
#include "monitor/monitor_int.h"
#include "store/store_int.h"

static gn_status mkdir_p(gn_ctx *ctx, const char *dir) {
  if (mkdir(dir, 0755) == 0 || errno == EEXIST) {
    struct stat sb;
    if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)) return GN_OK;
  }
  return gn__fail(ctx, GN_EIO, "%s: cannot create directory (%s)", dir,
                  strerror(errno));
}

/* Write text to dir/name whole or not at all. */
static gn_status put_file(gn_ctx *ctx, const char *dir, const char *name,
                          gn__sb *b) {
  char path[4096];
  if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
    return gn__fail(ctx, GN_EINVAL, "%s: path too long", dir);
  char *text = NULL;
  gn_status rs = gn__sb_finish(b, &text);
  char *tmp = NULL;
  if (rs == GN_OK) rs = gn__tmp_path(ctx, path, &tmp);
  if (rs != GN_OK) {
    gn_free(ctx, text);
    return rs;
  }
  FILE *f = fopen(tmp, "wb");
  int ok = f && fputs(text, f) >= 0;
  if (f && fclose(f) != 0) ok = 0;
  gn_free(ctx, text);
  if (!ok) {
    gn__tmp_commit(ctx, tmp, path, 0);
    return gn__fail(ctx, GN_EIO, "%s: cannot write (%s)", path,
                    strerror(errno));
  }
  return gn__tmp_commit(ctx, tmp, path, 1);
}

/* The targets of one device kind as a file_sd JSON list. */
static gn_status targets(gn_store *st, const gn_monitor_config_opts *o,
                         int cpe, gn__sb *b, size_t *n) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_prep(
      st,
      "SELECT d.address, e.name, s.site_id, s.name, s.category, s.critical,"
      " coalesce(p.pop_id, (SELECT pp.pop_id FROM circuits c JOIN pops pp ON"
      " pp.fid=c.pop WHERE c.site=e.site AND c.role='working' ORDER BY c.fid"
      " LIMIT 1), ''), e.kind FROM monitor_devices d JOIN equipment e ON"
      " e.fid=d.equipment LEFT JOIN sites s ON s.fid=e.site LEFT JOIN pops p"
      " ON p.fid=e.pop WHERE (e.kind='cpe')=?1 ORDER BY coalesce(s.site_id,"
      " p.pop_id), e.fid", &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int(q, 1, cpe);
  gn__sb_puts(b, "[");
  *n = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    gn__sb_puts(b, *n ? ",\n {\"targets\":[" : "\n {\"targets\":[");
    char t[64];
    snprintf(t, sizeof(t), "%s:%d", gn__col_text(q, 0), o->probe_port);
    gn__sb_jstr(b, t);
    gn__sb_puts(b, "],\"labels\":{\"device\":");
    gn__sb_jstr(b, gn__col_text(q, 1));
    gn__sb_puts(b, ",\"kind\":");
    gn__sb_jstr(b, gn__col_text(q, 7));
    if (cpe) { /* the building's name names the organisation in it */
      gn__sb_puts(b, ",\"site\":");
      gn__sb_jstr(b, gn__col_text(q, 2));
      gn__sb_puts(b, ",\"site_name\":");
      gn__sb_jstr(b, gn__col_text(q, 3));
      gn__sb_puts(b, ",\"organisation\":");
      gn__sb_jstr(b, gn__col_text(q, 3));
      gn__sb_puts(b, ",\"category\":");
      gn__sb_jstr(b, gn__col_text(q, 4));
      gn__sb_printf(b, ",\"critical\":\"%s\"",
                    sqlite3_column_int(q, 5) ? "true" : "false");
    }
    gn__sb_puts(b, ",\"pop\":");
    gn__sb_jstr(b, gn__col_text(q, 6));
    gn__sb_puts(b, "}}");
    (*n)++;
  }
  sqlite3_finalize(q);
  gn__sb_puts(b, "\n]\n");
  return rc == SQLITE_DONE ? GN_OK : gn__st_err(st, rc, "monitor targets");
}

static void scrape_job(gn__sb *b, const gn_monitor_config_opts *o,
                       const char *job, const char *file) {
  gn__sb_printf(b,
                "  - job_name: \"%s\"\n"
                "    metrics_path: /probe\n"
                "    params:\n      module: [govnet_tcp]\n"
                "    file_sd_configs:\n      - files: [\"targets/%s\"]\n"
                "    relabel_configs:\n"
                "      - source_labels: [__address__]\n"
                "        target_label: __param_target\n"
                "      - source_labels: [__param_target]\n"
                "        target_label: instance\n"
                "      - target_label: __address__\n"
                "        replacement: ",
                job, file);
  gn__sb_jstr(b, o->blackbox);
  gn__sb_puts(b, "\n");
}

static void prometheus_yml(gn__sb *b, const gn_monitor_config_opts *o) {
  gn__sb_printf(b,
                "# Written by govnet monitor config: probes every device of"
                " the store\n# through blackbox_exporter.\n"
                "global:\n  scrape_interval: %ds\n  evaluation_interval: %ds\n"
                "  scrape_timeout: %ds\n"
                "rule_files: [\"govnet_rules.yml\"]\n"
                "alerting:\n  alertmanagers:\n    - static_configs:\n"
                "        - targets: [",
                o->scrape_interval_s, o->scrape_interval_s,
                o->scrape_interval_s > 10 ? 10 : o->scrape_interval_s);
  gn__sb_jstr(b, o->alertmanager);
  gn__sb_puts(b, "]\nscrape_configs:\n");
  scrape_job(b, o, "govnet_cpe", "cpe.json");
  scrape_job(b, o, "govnet_olt", "olt.json");
}

static void blackbox_yml(gn__sb *b, const gn_monitor_config_opts *o) {
  int t = o->scrape_interval_s > 5 ? 5 : o->scrape_interval_s;
  gn__sb_printf(b,
                "# Written by govnet monitor config.\nmodules:\n"
                "  govnet_tcp:\n    prober: tcp\n    timeout: %ds\n"
                "    tcp:\n      preferred_ip_protocol: ip4\n"
                "  govnet_icmp:\n    prober: icmp\n    timeout: %ds\n"
                "    icmp:\n      preferred_ip_protocol: ip4\n",
                t, t);
}

static void rules_yml(gn__sb *b, const gn_monitor_config_opts *o) {
  gn__sb_printf(
      b,
      "# Written by govnet monitor config.\ngroups:\n  - name: govnet\n"
      "    rules:\n"
      "      - alert: GovnetSiteDown\n"
      "        expr: probe_success{job=\"govnet_cpe\"} == 0\n"
      "        for: %ds\n"
      "        labels:\n          severity: \"{{ if eq $labels.critical"
      " \\\"true\\\" }}critical{{ else }}major{{ end }}\"\n"
      "        annotations:\n          summary: \"site {{ $labels.site }}"
      " ({{ $labels.site_name }}) unreachable\"\n"
      "      - alert: GovnetPopDeviceDown\n"
      "        expr: probe_success{job=\"govnet_olt\"} == 0\n"
      "        for: %ds\n"
      "        labels:\n          severity: critical\n"
      "        annotations:\n          summary: \"{{ $labels.device }} at POP"
      " {{ $labels.pop }} unreachable\"\n"
      "      - alert: GovnetProberDown\n"
      "        expr: up{job=~\"govnet_.*\"} == 0\n"
      "        for: %ds\n"
      "        labels:\n          severity: warning\n"
      "        annotations:\n          summary: \"blackbox_exporter does not"
      " answer for {{ $labels.instance }}\"\n",
      o->down_after_s, o->down_after_s, o->down_after_s);
}

/* group_wait 2 scrape intervals (the alarms of one cut become firing
 * within about one evaluation of each other), group_interval 3, capped
 * at 10 s and 15 s: a NOC wants the batch fast, not every flap. */
static void alertmanager_yml(gn__sb *b, const gn_monitor_config_opts *o) {
  int wait = 2 * o->scrape_interval_s, every = 3 * o->scrape_interval_s;
  gn__sb_printf(b,
                "# Written by govnet monitor config: every alert goes to"
                " govnet's\n# webhook, grouped so the alarms of one cut"
                " arrive together.\n"
                "route:\n  receiver: govnet\n  group_by: [\"alertname\"]\n"
                "  group_wait: %ds\n  group_interval: %ds\n"
                "  repeat_interval: 4h\n"
                "receivers:\n  - name: govnet\n    webhook_configs:\n"
                "      - url: ",
                wait < 10 ? wait : 10, every < 15 ? every : 15);
  gn__sb_jstr(b, o->webhook_url);
  gn__sb_puts(b, "\n        send_resolved: true\n");
  if (o->token_file) {
    gn__sb_puts(b, "        http_config:\n          authorization:\n"
                   "            type: Bearer\n            credentials_file: ");
    gn__sb_jstr(b, o->token_file);
    gn__sb_puts(b, "\n");
  }
}

static gn_status check_opts(gn_ctx *ctx, gn_monitor_config_opts *o) {
  if (!o->probe_port) o->probe_port = 22;
  if (!o->blackbox) o->blackbox = "127.0.0.1:9115";
  if (!o->alertmanager) o->alertmanager = "127.0.0.1:9093";
  if (!o->webhook_url) o->webhook_url = "http://127.0.0.1:8080/api/alerts";
  if (!o->scrape_interval_s) o->scrape_interval_s = 15;
  if (!o->down_after_s) o->down_after_s = 60;
  if (o->probe_port < 1 || o->probe_port > 65535)
    return gn__fail(ctx, GN_EINVAL, "probe port %d: want 1..65535",
                    o->probe_port);
  if (o->scrape_interval_s < 1 || o->scrape_interval_s > 3600 ||
      o->down_after_s < 0 || o->down_after_s > 86400)
    return gn__fail(ctx, GN_EINVAL,
                    "scrape interval 1..3600 s, alert delay 0..86400 s");
  if (strncmp(o->webhook_url, "http://", 7) != 0 &&
      strncmp(o->webhook_url, "https://", 8) != 0)
    return gn__fail(ctx, GN_EINVAL, "webhook '%s': want an http(s) URL",
                    o->webhook_url);
  return GN_OK;
}

gn_status gn_monitor_config_write(gn_store *st,
                                  const gn_monitor_config_opts *opts,
                                  const char *prefix, const char *user,
                                  const char *dir,
                                  gn_monitor_config_stats *stats) {
  gn_ctx *ctx = st->ctx;
  gn_ctx_clear(ctx);
  gn_monitor_config_opts o;
  memset(&o, 0, sizeof(o));
  if (opts) o = *opts;
  gn_monitor_config_stats x = {0, 0, 0};
  gn_status rs = check_opts(ctx, &o);
  if (rs == GN_OK) rs = gn__mon_assign(st, prefix, user, &x.assigned);
  char sub[4096];
  snprintf(sub, sizeof(sub), "%s/targets", dir);
  if (rs == GN_OK) rs = mkdir_p(ctx, dir);
  if (rs == GN_OK) rs = mkdir_p(ctx, sub);
  gn__sb b;
  for (int step = 0; rs == GN_OK && step < 6; step++) {
    gn__sb_init(&b, ctx);
    static const char *const names[6] = {
        "targets/cpe.json", "targets/olt.json", "blackbox.yml",
        "govnet_rules.yml", "alertmanager.yml", "prometheus.yml"};
    if (step == 0) rs = targets(st, &o, 1, &b, &x.cpe_targets);
    if (step == 1) rs = targets(st, &o, 0, &b, &x.olt_targets);
    if (step == 2) blackbox_yml(&b, &o);
    if (step == 3) rules_yml(&b, &o);
    if (step == 4) alertmanager_yml(&b, &o);
    if (step == 5) prometheus_yml(&b, &o);
    if (rs == GN_OK)
      rs = put_file(ctx, dir, names[step], &b);
    else
      gn__sb_cleanup(&b);
  }
  if (stats) *stats = x;
  return rs;
}
