/*
 * hotspot.h - Campus WiFi hotspots: users, groups, vouchers, quotas and
 * the AAA decisions FreeRADIUS asks govnet for.
 *
 * Design: FreeRADIUS 3.2 is the RADIUS server; govnet is its brain. The
 * generated configuration (gn_hotspot_radius_config) runs rlm_exec, which
 * starts the small `govnet-aaa` program per request with the request's
 * attributes in its environment; that program calls gn_hotspot_aaa() and
 * prints the reply attributes; or (rest backend) rlm_rest posts the
 * request to `govnet serve`, which calls gn_hotspot_aaa_rest(), the same
 * decision on a resident store connection. Passwords are Argon2id (libsodium), voucher
 * codes are kept only as keyed BLAKE2b digests, and every quota is decided
 * here, in one transaction per request, from the store (docs/hotspot.md).
 * Tables: hs_groups, hs_users (students and vouchers), hs_nas, hs_sessions,
 * hs_usage (per session and UTC day), hs_aps; created on first use through
 * the store's connection (the hotspot module owns its own migrations).
 * Times are Unix seconds (UTC); days are UTC days (Togo is UTC+0).
 *
 * Ownership: strings returned through char ** are allocated with the ctx
 * allocator; the caller frees them with gn_free(ctx, p).
 * Threads: as gn_store: one store (and ctx) per thread.
 */
#ifndef GOVNET_HOTSPOT_H
#define GOVNET_HOTSPOT_H

#include <stddef.h>
#include <stdint.h>

#include "govnet/ctx.h"
#include "govnet/export.h"
#include "govnet/store.h"

/* A group: the limits shared by its members. 0 means "no limit" for every
 * quota field. */
typedef struct gn_hotspot_group {
  const char *name;         /* 1..64 bytes, printable UTF-8 */
  int64_t session_timeout_s; /* longest session (default 4 h) */
  int64_t interim_s;        /* Acct-Interim-Interval (default 300 s) */
  int64_t down_kbps, up_kbps; /* WISPr bandwidth (0 = none sent) */
  int64_t day_minutes;      /* online time per UTC day */
  int64_t day_mb, month_mb; /* data (in + out) per day / month, MB = 10^6 */
  int64_t simultaneous;     /* open sessions at once (default 1) */
} gn_hotspot_group;

/* Defaults: 4 h sessions, 300 s interim, simultaneous 1, no quotas. */
GN_API void gn_hotspot_group_defaults(gn_hotspot_group *g);

/* Create or replace group g->name (one transaction + audit row).
 * Errors: GN_EINVAL (field named), GN_EDB. Since 0.1. */
GN_API gn_status gn_hotspot_group_put(gn_store *st, const gn_hotspot_group *g,
                                      const char *user);

/* A student account. */
typedef struct gn_hotspot_user {
  const char *name;      /* login: 1..64 bytes, printable UTF-8, no spaces */
  const char *group;     /* group name, NULL = "default"; a missing group
                            is created with the defaults */
  int64_t quota_mb;      /* own data quota per month; 0 = the group's */
  int64_t valid_from, valid_to; /* Unix s; 0 = unbounded */
} gn_hotspot_user;

/* Add a user with an Argon2id hash of password (8..256 bytes). Errors:
 * GN_EINVAL (field named), GN_ECONFLICT (name taken), GN_ENOMEM (hashing needs 64 MiB), GN_EDB. Since 0.1. */
GN_API gn_status gn_hotspot_user_add(gn_store *st, const gn_hotspot_user *u,
                                     const char *password, const char *user);

/* Make count vouchers, each good for `uses` accepted logins (0 =
 * unlimited) and `minutes` of access from its first login, until
 * `expires` (Unix s) at the latest, in group (NULL = "default").
 * Codes are 12 characters from a 31-symbol alphabet without 0 O 1 I L
 * (59 bits), drawn with libsodium's CSPRNG; only their keyed digest is
 * stored. *codes receives count NUL-terminated codes (13 bytes each,
 * contiguous); caller frees with gn_free. count 1..10000. Since 0.1. */
GN_API gn_status gn_hotspot_vouchers_create(gn_store *st, size_t count,
                                            int64_t minutes, int64_t uses,
                                            int64_t expires, const char *group,
                                            const char *user,
                                            char **codes /* OUT */);

/* A NAS (access point or controller) allowed to talk to FreeRADIUS, and
 * where it listens for Disconnect-Requests (RFC 5176, default 3799). */
typedef struct gn_hotspot_nas {
  const char *name;   /* 1..64 bytes [A-Za-z0-9_.-] */
  const char *ip;     /* IPv4 or IPv6 literal */
  const char *secret; /* 8..128 printable ASCII, no quote or backslash */
  int coa_port;       /* 0 = 3799 */
} gn_hotspot_nas;

/* Create or replace NAS nas->name. Since 0.1. */
GN_API gn_status gn_hotspot_nas_put(gn_store *st, const gn_hotspot_nas *nas,
                                    const char *user);

/* How FreeRADIUS reaches govnet (docs/hotspot.md, "Choice of backend"). */
typedef enum {
  GN_HOTSPOT_BACKEND_EXEC = 0, /* rlm_exec runs govnet-aaa per request */
  GN_HOTSPOT_BACKEND_REST = 1  /* rlm_rest posts to a running govnet serve */
} gn_hotspot_backend;

/* Options of the generated FreeRADIUS configuration. */
typedef struct gn_hotspot_radius_opts {
  const char *db_path;   /* absolute path of the store */
  const char *aaa_program; /* absolute path of govnet-aaa (exec backend) */
  const char *listen_ip; /* default "127.0.0.1" */
  int auth_port, acct_port; /* 1..65535 */
  const char *secret;    /* shared secret of the localhost client */
  int threads;           /* max FreeRADIUS workers (0 = 32) */
  gn_hotspot_backend backend; /* since 0.3; 0 = exec */
  /* rest backend (since 0.3): the base URL of `govnet serve`
   * ("http://127.0.0.1:8080", http or https, no path) and the bearer
   * token it was given with --aaa-token-file (8..128 characters of
   * A-Z a-z 0-9 - . _ ~ + /, then = padding). */
  const char *rest_url;
  const char *rest_token;
  int rest_timeout_s;    /* HTTP timeout per request (0 = 10 s, as exec) */
} gn_hotspot_radius_opts;

/* Write a FreeRADIUS 3.2 configuration into directory out_dir (created if
 * missing; files written 0640/0750 because FreeRADIUS refuses
 * world-writable ones) that `freeradius -f -d out_dir` runs as is:
 * radiusd.conf with the listeners, a localhost client with o->secret,
 * one client (+ CoA home server) per NAS in the store, and the exec
 * modules calling o->aaa_program, or (backend REST) an rlm_rest module
 * posting to o->rest_url/api/hotspot/aaa over a keep-alive connection
 * pool. Errors: GN_EINVAL (ports, secret, URL, token, a path FreeRADIUS
 * would expand), GN_EIO. Since 0.1. */
GN_API gn_status gn_hotspot_radius_config(gn_store *st,
                                          const gn_hotspot_radius_opts *o,
                                          const char *out_dir);

/* What FreeRADIUS asks. */
typedef enum { GN_HOTSPOT_AUTH = 0, GN_HOTSPOT_ACCT = 1 } gn_hotspot_op;

/* The answer: accept/ok, reject, or fail (FreeRADIUS then drops the
 * request and the NAS retries: nothing is lost). */
typedef enum {
  GN_HOTSPOT_OK = 0,
  GN_HOTSPOT_REJECT = 1,
  GN_HOTSPOT_FAIL = 2
} gn_hotspot_verdict;

/* Decide one request. env: the NULL-terminated environment rlm_exec
 * builds from the request (NAME="value" with FreeRADIUS escapes);
 * src_ip: the packet's source (may be NULL); now: Unix s.
 * AUTH: checks the password (Argon2id, or voucher code), validity, uses,
 * simultaneous use and quotas; on accept counts a voucher use and writes
 * Session-Timeout, Acct-Interim-Interval and WISPr bandwidth into *reply;
 * on reject a French Reply-Message. ACCT: records Start/Interim/Stop and,
 * when an open session is over quota, asks for a Disconnect-Request
 * (reply `Tmp-String-0 := "disconnect"`, see docs/hotspot.md).
 * *reply: FreeRADIUS attribute lines, caller frees with gn_free.
 * Hostile input is a reject, never an error. Returns GN_OK with a verdict,
 * or an error (GN_EDB, GN_EBUSY...) meaning FAIL. Since 0.1. */
GN_API gn_status gn_hotspot_aaa(gn_store *st, gn_hotspot_op op,
                                const char *const *env, const char *src_ip,
                                int64_t now, gn_hotspot_verdict *verdict,
                                char **reply /* OUT */);

/* The same decision for a request as rlm_rest posts it (body = json:
 * {"User-Name":{"type":"string","value":["kofi"]}, ...}, strings with
 * \u00XX for each byte that is not printable ASCII). *reply is a JSON
 * object of attributes for rlm_rest: "reply:..." for AUTH (accept:
 * Session-Timeout etc.; reject: Reply-Message), "control:Tmp-String-0"
 * = "disconnect" for ACCT; caller frees with gn_free. Errors: GN_EINVAL
 * or GN_ELIMIT (the message names the attribute) for a body no
 * FreeRADIUS sends; otherwise as gn_hotspot_aaa, whose verdicts these
 * are exactly. Since 0.3. */
GN_API gn_status gn_hotspot_aaa_rest(gn_store *st, gn_hotspot_op op,
                                     const char *body, size_t len,
                                     const char *src_ip, int64_t now,
                                     gn_hotspot_verdict *verdict,
                                     char **reply /* OUT */);

/* Usage per user over the UTC days [from_day, to_day] ("YYYY-MM-DD", NULL
 * = unbounded) as a JSON array of {"user","sessions","bytes_in",
 * "bytes_out","seconds"} ordered by user. Caller frees with gn_free.
 * Errors: GN_EINVAL (bad date), GN_EDB. Since 0.1. */
GN_API gn_status gn_hotspot_usage_json(gn_store *st, const char *from_day,
                                       const char *to_day, char **json);

/* Usage per access point (NAS-Identifier / NAS name) and UTC day as a JSON
 * array of {"day","hotspot","users","sessions","bytes_in","bytes_out",
 * "seconds"}. Same arguments and errors. Since 0.1. */
GN_API gn_status gn_hotspot_usage_daily_json(gn_store *st,
                                             const char *from_day,
                                             const char *to_day, char **json);

/* The summary of the UTC days [from_day, to_day] (same arguments and
 * errors) as a JSON object: {"from", "to", "total": {"users", "sessions",
 * "bytes_in", "bytes_out", "seconds", "hotspots"}, "days": [ {"day",
 * "users", "sessions", "bytes_in", "bytes_out", "seconds"} ] (days with
 * traffic only, by day), "hotspots": [ {"hotspot", "users", ...} ] (by
 * data in + out, largest first)}. "users" counts distinct users as
 * gn_hotspot_usage_json names them (so the total equals its row count);
 * a session counts once in each day and access point it used. Caller
 * frees with gn_free. Since 0.6. */
GN_API gn_status gn_hotspot_usage_summary_json(gn_store *st,
                                               const char *from_day,
                                               const char *to_day,
                                               char **json);

/* ------------------------------------------------------------------ */
/* Access points as network records                                    */

/* The planning rule for one campus site (docs/hotspot.md): the number of
 * APs is the larger of ceil(students / students_per_ap) and
 * ceil(area_m2 / m2_per_ap), at least 1; they are spread evenly over a
 * disc of area area_m2 (default: students * 2 m2, at least 2,000 m2)
 * centred on the site, on a sunflower (Vogel) spiral. */
typedef struct gn_hotspot_plan_rule {
  const char *site;       /* store site id (plan id) of the campus */
  int64_t students;       /* expected concurrent students (0 = unknown) */
  double area_m2;         /* campus area to cover (0 = from students) */
  int64_t students_per_ap; /* default 40 (one AP's comfortable load) */
  double m2_per_ap;       /* default 600 (~14 m indoor radius) */
} gn_hotspot_plan_rule;

/* Place the APs of one campus (replacing those planned before for that
 * site), named "<site>-ap-NN", NAS-Identifier = name, backhaul = the
 * site's working circuit (none if the site has no circuit yet). *count
 * (may be NULL) receives the number placed. Errors: GN_ENOTFOUND (site),
 * GN_EINVAL (rule), GN_EDB. One transaction + audit row. Since 0.1. */
GN_API gn_status gn_hotspot_plan(gn_store *st, const gn_hotspot_plan_rule *r,
                                 const char *user, size_t *count);

/* All APs as a GeoJSON FeatureCollection (properties: name, site, nas_id,
 * circuit, rule). Caller frees with gn_free. Since 0.1. */
GN_API gn_status gn_hotspot_aps_geojson(gn_store *st, char **json);

/* The APs a cut takes down: those whose backhaul circuit is cut and whose
 * site keeps no surviving circuit (imp from gn_store_impact), as a JSON
 * array of {"name","site","nas_id","circuit"}. A store without hotspot
 * tables gives "[]" and is not modified. Caller frees with gn_free.
 * Since 0.1. */
GN_API gn_status gn_hotspot_impact_json(gn_store *st, const gn_impact *imp,
                                        char **json);

/* ------------------------------------------------------------------ */
/* Captive portal (openNDS FAS, fas_secure_enabled = 1 with faskey)      */

typedef struct gn_hotspot_portal_answer {
  gn_hotspot_verdict verdict;
  char message[200];        /* reject: the French Reply-Message */
  char tok[65];             /* accept: sha256(hid + faskey), hex */
  int64_t session_timeout_s; /* accept: as in the Access-Accept */
} gn_hotspot_portal_answer;

/* Decide a portal login exactly as an Access-Request (same checks, same
 * counting of voucher uses) and, on accept, compute the token openNDS
 * expects back at http://gatewayaddress/authdir/?tok=... hid: the hex
 * digest openNDS sent. Errors: GN_EINVAL (hid), GN_ECONFLICT (no FAS key
 * set), GN_EDB. Since 0.1. */
GN_API gn_status gn_hotspot_portal_login(gn_store *st, const char *user,
                                         const char *password, const char *hid,
                                         int64_t now,
                                         gn_hotspot_portal_answer *ans);

/* Set the openNDS faskey shared with the portal (8..16 letters/digits).
 * Since 0.1. */
GN_API gn_status gn_hotspot_portal_key(gn_store *st, const char *faskey,
                                       const char *user);

#endif
