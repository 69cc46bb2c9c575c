/*
 * hs_aaa.c - The AAA decisions: Access-Request and Accounting-Request.
 *
 * Design: FreeRADIUS runs govnet-aaa per request (rlm_exec); this file is
 * what it decides. An Access-Request is checked in two steps: the password
 * first, outside any transaction (Argon2id costs ~0.1 s and must not hold
 * the write lock), then validity, uses, simultaneous use and quotas inside
 * one BEGIN IMMEDIATE transaction that also counts the voucher use, so
 * two logins racing for the last use of a voucher cannot both win; a
 * login that counts nothing (a student, an unlimited voucher already
 * started) runs its checks in a read transaction: no lock, no fsync.
 * Accounting adds the counter deltas since the previous packet of the
 * session to hs_usage (per UTC day), which makes retransmissions harmless
 * and lets quotas and reports read one small table. Invariant: the sum of
 * a session's hs_usage rows equals its last reported counters.
 * Unknown users and wrong passwords get the same message (no user
 * enumeration). Every malformed request is a reject, never an error.
 */
#include <stdio.h>
#include <string.h>

#include "hotspot/hs_int.h"

#define MSG_BAD_LOGIN "Identifiant ou mot de passe incorrect."
#define MB 1000000LL

typedef struct hs_account {
  int64_t id;
  int voucher;
  char secret[128];
  int64_t quota_mb, valid_from, valid_to, minutes, uses_max, uses;
  int64_t first_login, disabled;
  gn_hotspot_group g;
} hs_account;

typedef struct hs_left {
  int64_t seconds;    /* time the next session may last */
  int64_t bytes;      /* data left, -1 = no data quota */
  const char *why;    /* French reason when nothing is left, else NULL */
} hs_left;

static const char *const account_sql[] = {
    "SELECT u.id,u.kind='voucher',u.secret,u.quota_mb,u.valid_from,"
    "u.valid_to,u.minutes,u.uses_max,u.uses,COALESCE(u.first_login,0),"
    "u.disabled,g.session_timeout_s,g.interim_s,g.down_kbps,g.up_kbps,"
    "g.day_minutes,g.day_mb,g.month_mb,g.simultaneous FROM hs_users u JOIN"
    " hs_groups g ON g.id=u.grp WHERE u.kind='voucher' AND u.secret=?1",
    "SELECT u.id,u.kind='voucher',u.secret,u.quota_mb,u.valid_from,"
    "u.valid_to,u.minutes,u.uses_max,u.uses,COALESCE(u.first_login,0),"
    "u.disabled,g.session_timeout_s,g.interim_s,g.down_kbps,g.up_kbps,"
    "g.day_minutes,g.day_mb,g.month_mb,g.simultaneous FROM hs_users u JOIN"
    " hs_groups g ON g.id=u.grp WHERE u.kind='user' AND u.name=?1"};

static void read_account(sqlite3_stmt *s, hs_account *a) {
  a->id = sqlite3_column_int64(s, 0);
  a->voucher = sqlite3_column_int(s, 1);
  snprintf(a->secret, sizeof(a->secret), "%s", gn__col_text(s, 2));
  int64_t *f[] = {&a->quota_mb, &a->valid_from, &a->valid_to, &a->minutes,
                  &a->uses_max, &a->uses, &a->first_login, &a->disabled,
                  &a->g.session_timeout_s, &a->g.interim_s, &a->g.down_kbps,
                  &a->g.up_kbps, &a->g.day_minutes, &a->g.day_mb,
                  &a->g.month_mb, &a->g.simultaneous};
  for (int i = 0; i < 16; i++) *f[i] = sqlite3_column_int64(s, i + 3);
}

/* Find the account a login names: a voucher if it has the form of a code,
 * else a student. *found = 0 when there is none. */
static gn_status find_account(gn_store *st, const char *login, size_t n,
                              hs_account *a, int *found) {
  char norm[GN__HS_CODE_LEN + 1], key[65], digest[65];
  int voucher = gn__hs_code_norm(login, n, norm);
  gn_status rs = GN_OK;
  if (voucher) {
    rs = gn__hs_voucher_key(st, key);
    if (rs == GN_OK) rs = gn__hs_code_digest(st->ctx, key, norm, digest);
    if (rs != GN_OK) return rs;
  }
  sqlite3_stmt *s = NULL;
  rs = gn__st_cached(st, account_sql[voucher ? 0 : 1], &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, voucher ? digest : login, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s);
  *found = rc == SQLITE_ROW;
  if (*found) read_account(s, a);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) rs = gn__st_err(st, rc, "login");
  gn__st_release(st, s);
  return rs;
}

/* Bytes (in + out) and seconds of user uid over UTC days [from, to]. */
static gn_status used(gn_store *st, int64_t uid, const char *from,
                      const char *to, int64_t *bytes, int64_t *seconds) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(
      st,
      "SELECT COALESCE(sum(x.bytes_in+x.bytes_out),0),COALESCE(sum(x.seconds)"
      ",0) FROM hs_sessions s JOIN hs_usage x ON x.session=s.id WHERE"
      " s.hs_user=?1 AND x.day>=?2 AND x.day<=?3",
      &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, uid);
  sqlite3_bind_text(s, 2, from, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, to, -1, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    *bytes = sqlite3_column_int64(s, 0);
    *seconds = sqlite3_column_int64(s, 1);
  } else {
    rs = gn__st_err(st, rc, "usage");
  }
  gn__st_release(st, s);
  return rs;
}

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

/* Validity and time limits that need no usage. */
static const char *validity(const hs_account *a, int64_t now, hs_left *l) {
  if (a->disabled) return "Compte désactivé.";
  if (a->valid_from && now < a->valid_from) return "Compte pas encore valide.";
  if (a->valid_to && now >= a->valid_to)
    return a->voucher ? "Ce ticket a expiré." : "Compte expiré.";
  if (a->valid_to) l->seconds = min64(l->seconds, a->valid_to - now);
  if (a->voucher && a->first_login) {
    int64_t end = a->first_login + a->minutes * 60;
    if (now >= end) return "Ce ticket a expiré : sa durée est épuisée.";
    l->seconds = min64(l->seconds, end - now);
  } else if (a->voucher) {
    l->seconds = min64(l->seconds, a->minutes * 60);
  }
  return NULL;
}

static gn_status open_sessions(gn_store *st, const hs_account *a, int64_t now,
                               int64_t *n) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(st,
                               "SELECT count(*) FROM hs_sessions WHERE"
                               " hs_user=?1 AND stopped IS NULL AND last>=?2",
                               &s);
  if (rs != GN_OK) return rs;
  /* a session silent for two interim periods (+2 min) is presumed dead */
  sqlite3_bind_int64(s, 1, a->id);
  sqlite3_bind_int64(s, 2, now - 2 * a->g.interim_s - 120);
  int rc = sqlite3_step(s);
  *n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  if (rc != SQLITE_ROW) rs = gn__st_err(st, rc, "sessions");
  gn__st_release(st, s);
  return rs;
}

/* Quotas over today's and this month's usage. */
static gn_status quotas(gn_store *st, const hs_account *a, int64_t now,
                        hs_left *l) {
  char today[11], month[11];
  gn__hs_day(now, today);
  memcpy(month, today, sizeof(month));
  memcpy(month + 8, "01", 2);
  int64_t db = 0, ds = 0, mbytes = 0, ms = 0;
  int64_t month_mb = a->quota_mb ? a->quota_mb : a->g.month_mb;
  gn_status rs = GN_OK;
  if (a->g.day_minutes || a->g.day_mb) /* no quota: no usage to sum */
    rs = used(st, a->id, today, today, &db, &ds);
  if (rs == GN_OK && month_mb) rs = used(st, a->id, month, today, &mbytes, &ms);
  if (rs != GN_OK) return rs;
  if (a->g.day_minutes) {
    int64_t left = a->g.day_minutes * 60 - ds;
    if (left <= 0) l->why = "Temps de connexion du jour épuisé.";
    l->seconds = min64(l->seconds, left);
  }
  if (a->g.day_mb) {
    int64_t left = a->g.day_mb * MB - db;
    if (left <= 0) l->why = "Quota de données du jour atteint.";
    l->bytes = l->bytes < 0 ? left : min64(l->bytes, left);
  }
  if (month_mb) {
    int64_t left = month_mb * MB - mbytes;
    if (left <= 0) l->why = "Quota de données du mois atteint.";
    l->bytes = l->bytes < 0 ? left : min64(l->bytes, left);
  }
  return GN_OK;
}

/* What is left for account a at now; l->why set when nothing is. login:
 * also check uses and simultaneous sessions (a new login). */
static gn_status limits(gn_store *st, const hs_account *a, int64_t now,
                        int login, hs_left *l) {
  l->seconds = a->g.session_timeout_s;
  l->bytes = -1;
  l->why = validity(a, now, l);
  if (l->why) return GN_OK;
  if (login && a->uses_max && a->uses >= a->uses_max) {
    l->why = "Ce ticket a déjà été utilisé.";
    return GN_OK;
  }
  gn_status rs = quotas(st, a, now, l);
  if (rs == GN_OK && !l->why && l->seconds <= 0)
    l->why = "Temps de connexion épuisé.";
  if (rs != GN_OK || l->why || !login || !a->g.simultaneous) return rs;
  int64_t open = 0;
  rs = open_sessions(st, a, now, &open);
  if (rs == GN_OK && open >= a->g.simultaneous)
    l->why = "Connexion refusée : nombre maximal de sessions simultanées"
             " atteint.";
  return rs;
}

/* The reply in one of two forms: rlm_exec's attribute lines
 * ("Name := value", one per line) or rlm_rest's JSON object
 * ({"reply:Name": value, ...}; list "reply:" for Access-Requests, whose
 * exec output goes to the reply list, "control:" for accounting). Only
 * constant strings and integers are written, none holding a quote or %. */
typedef struct hs_out {
  gn__sb *sb;
  int json, n;
  const char *list;
} hs_out;

static void out_name(hs_out *o, const char *attr) {
  if (o->json)
    gn__sb_printf(o->sb, "%s\"%s%s\":", o->n ? "," : "{", o->list, attr);
  else
    gn__sb_printf(o->sb, "%s := ", attr);
  o->n++;
}

static void out_num(hs_out *o, const char *attr, int64_t v) {
  out_name(o, attr);
  gn__sb_printf(o->sb, o->json ? "%lld" : "%lld\n", (long long)v);
}

static void out_str(hs_out *o, const char *attr, const char *v) {
  out_name(o, attr);
  gn__sb_printf(o->sb, o->json ? "\"%s\"" : "\"%s\"\n", v);
}

static void out_end(hs_out *o) {
  if (o->json) gn__sb_puts(o->sb, o->n ? "}" : "{}");
}

static void reject(hs_out *out, gn_hotspot_verdict *vd, const char *msg) {
  *vd = GN_HOTSPOT_REJECT;
  out_str(out, "Reply-Message", msg);
}

static void accept_reply(hs_out *out, const hs_account *a, const hs_left *l) {
  out_num(out, "Session-Timeout", l->seconds);
  out_num(out, "Acct-Interim-Interval", a->g.interim_s);
  if (a->g.down_kbps)
    out_num(out, "WISPr-Bandwidth-Max-Down", a->g.down_kbps * 1000);
  if (a->g.up_kbps) out_num(out, "WISPr-Bandwidth-Max-Up", a->g.up_kbps * 1000);
  if (l->bytes >= 0) { /* CoovaChilli / openNDS honour these */
    out_num(out, "ChilliSpot-Max-Total-Octets", l->bytes & 0xFFFFFFFFLL);
    if (l->bytes >> 32)
      out_num(out, "ChilliSpot-Max-Total-Gigawords", l->bytes >> 32);
  }
}

static gn_status count_login(gn_store *st, const hs_account *a, int64_t now) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(
      st,
      "UPDATE hs_users SET uses=uses+1,first_login=COALESCE(first_login,?2)"
      " WHERE id=?1",
      &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, a->id);
  sqlite3_bind_int64(s, 2, now);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "count login");
  gn__st_release(st, s);
  return rs;
}

/* The password check, outside any transaction. 1 = good. A student's
 * Argon2id verification is skipped when this connection verified the
 * same login, password and stored hash within the cache's TTL
 * (hs_secret.c); everything else is decided afresh every time. */
static int password_ok(gn_store *st, const hs_account *a, const gn__hs_req *r,
                       int64_t now) {
  const gn__hs_val *pw = &r->v[GN__HS_USER_PASSWORD];
  const gn__hs_val *name = &r->v[GN__HS_USER_NAME];
  if (a->voucher) {
    char n1[GN__HS_CODE_LEN + 1], n2[GN__HS_CODE_LEN + 1];
    return gn__hs_code_norm(name->s, name->n, n1) &&
           gn__hs_code_norm(pw->s, pw->n, n2) && strcmp(n1, n2) == 0;
  }
  gn__hs_cred c = {a->id, name->s, name->n, pw->s, pw->n, a->secret, now};
  if (gn__hs_cred_hit(st, &c)) return 1;
  if (!gn__hs_pw_verify(a->secret, pw->s, pw->n)) return 0;
  gn__hs_cred_put(st, &c);
  return 1;
}

static const char *malformed(const gn__hs_req *r) {
  const gn__hs_val *name = &r->v[GN__HS_USER_NAME];
  if (r->bad) return "Requête invalide.";
  if (!gn__hs_val_text(name) || name->n > 253) return MSG_BAD_LOGIN;
  if (!r->v[GN__HS_USER_PASSWORD].set || r->v[GN__HS_USER_PASSWORD].n == 0)
    return "Mot de passe requis (authentification PAP).";
  return NULL;
}

/* 1 if an accepted login of a must be written down: a voucher's use is
 * counted when its uses are limited, and its first login starts its
 * minutes. Nothing else reads uses or first_login, so a student's login
 * or an unlimited voucher's later ones write nothing. */
static int login_writes(const hs_account *a) {
  return a->uses_max || (a->voucher && !a->first_login);
}

/* The checks in one transaction: BEGIN IMMEDIATE (the writer lock) when
 * the login is counted, so two logins racing for a voucher's last use
 * cannot both win; otherwise a read transaction (one snapshot, no lock,
 * no fsync). *again = 1 when the account changed meanwhile so that it
 * now needs the writer path. */
static gn_status decide_tx(gn_store *st, const gn__hs_req *r, int64_t now,
                           int writes, hs_account *a, int *found, hs_left *l,
                           int *again) {
  const gn__hs_val *name = &r->v[GN__HS_USER_NAME];
  gn_status rs = writes ? gn__st_begin(st) : gn__st_exec(st, "BEGIN");
  if (rs == GN_OK) rs = find_account(st, name->s, name->n, a, found);
  *again = rs == GN_OK && *found && !writes && login_writes(a);
  if (rs == GN_OK && *found && !*again) rs = limits(st, a, now, 1, l);
  if (rs == GN_OK && *found && !*again && !l->why && writes)
    rs = count_login(st, a, now);
  if (rs == GN_OK && !*again) return gn__st_commit(st);
  gn__st_rollback(st);
  return rs;
}

static gn_status decide(gn_store *st, const gn__hs_req *r, int64_t now,
                        gn_hotspot_verdict *vd, hs_out *out) {
  const gn__hs_val *name = &r->v[GN__HS_USER_NAME];
  hs_account a;
  int found = 0, again = 0;
  gn_status rs = find_account(st, name->s, name->n, &a, &found);
  if (rs != GN_OK) return rs;
  if (!found || !password_ok(st, &a, r, now)) {
    reject(out, vd, MSG_BAD_LOGIN);
    return GN_OK;
  }
  hs_left l;
  rs = decide_tx(st, r, now, login_writes(&a), &a, &found, &l, &again);
  if (rs == GN_OK && again) rs = decide_tx(st, r, now, 1, &a, &found, &l, &again);
  if (rs != GN_OK) return rs;
  if (!found)
    reject(out, vd, MSG_BAD_LOGIN); /* removed meanwhile */
  else if (l.why)
    reject(out, vd, l.why);
  else
    accept_reply(out, &a, &l);
  return GN_OK;
}

/* ---- accounting ---- */

typedef enum { ST_NONE, ST_START, ST_INTERIM, ST_STOP, ST_ON_OFF } acct_kind;

static acct_kind status_kind(const gn__hs_val *v) {
  static const struct { const char *name; acct_kind k; } t[] = {
      {"Start", ST_START},         {"1", ST_START},
      {"Stop", ST_STOP},           {"2", ST_STOP},
      {"Interim-Update", ST_INTERIM}, {"3", ST_INTERIM},
      {"Accounting-On", ST_ON_OFF}, {"7", ST_ON_OFF},
      {"Accounting-Off", ST_ON_OFF}, {"8", ST_ON_OFF}};
  for (size_t i = 0; v->set && i < sizeof(t) / sizeof(t[0]); i++)
    if (strcmp(v->s, t[i].name) == 0) return t[i].k;
  return ST_NONE;
}

/* Counters of one accounting packet. */
typedef struct acct_counters {
  int64_t in, out, secs;
} acct_counters;

static int64_t counter(const gn__hs_req *r, int octets, int giga) {
  uint64_t lo = 0, hi = 0;
  gn__hs_val_u64(&r->v[octets], &lo);
  gn__hs_val_u64(&r->v[giga], &hi);
  if (lo > 0xFFFFFFFFULL || hi > 0x7FFFFFFULL) return 0; /* not RADIUS */
  return (int64_t)((hi << 32) | lo);
}

static void read_counters(const gn__hs_req *r, acct_counters *c) {
  uint64_t t = 0;
  c->in = counter(r, GN__HS_IN_OCTETS, GN__HS_IN_GIGA);
  c->out = counter(r, GN__HS_OUT_OCTETS, GN__HS_OUT_GIGA);
  gn__hs_val_u64(&r->v[GN__HS_SESSION_TIME], &t);
  c->secs = t > 10LL * 366 * 86400 ? 0 : (int64_t)t;
}

static gn_status nas_reset(gn_store *st, const char *nas, int64_t now) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(st,
                               "UPDATE hs_sessions SET stopped=?2,cause="
                               "'NAS-Reboot' WHERE nas_ip=?1 AND stopped IS"
                               " NULL",
                               &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, nas, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 2, now);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "NAS reset");
  gn__st_release(st, s);
  return rs;
}

/* The session row (created when first seen) and its last counters. */
static gn_status session_row(gn_store *st, const gn__hs_req *r,
                             const char *nas, int64_t uid,
                             const acct_counters *c, int64_t now, int64_t *id,
                             acct_counters *last) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(
      st,
      "INSERT INTO hs_sessions(hs_user,login,nas_ip,nas_id,acct_id,mac,"
      "started,last) VALUES(NULLIF(?1,0),?2,?3,?4,?5,?6,?7,?8) ON CONFLICT"
      " DO UPDATE SET last=last RETURNING id,in_bytes,out_bytes,seconds",
      &s);
  if (rs != GN_OK) return rs;
  const gn__hs_val *nid = &r->v[GN__HS_NAS_ID], *mac = &r->v[GN__HS_CALLING];
  sqlite3_bind_int64(s, 1, uid);
  sqlite3_bind_text(s, 2, r->v[GN__HS_USER_NAME].s, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, nas, -1, SQLITE_STATIC);
  if (gn__hs_val_text(nid)) sqlite3_bind_text(s, 4, nid->s, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 5, r->v[GN__HS_SESSION_ID].s, -1, SQLITE_STATIC);
  if (gn__hs_val_text(mac)) sqlite3_bind_text(s, 6, mac->s, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 7, now - c->secs);
  sqlite3_bind_int64(s, 8, now);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    *id = sqlite3_column_int64(s, 0);
    last->in = sqlite3_column_int64(s, 1);
    last->out = sqlite3_column_int64(s, 2);
    last->secs = sqlite3_column_int64(s, 3);
    rc = sqlite3_step(s);
  }
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "session");
  gn__st_release(st, s);
  return rs;
}

/* A counter that went backwards was reset by the NAS: all of it is new. */
static int64_t delta(int64_t now_v, int64_t last_v) {
  return now_v >= last_v ? now_v - last_v : now_v;
}

static gn_status record(gn_store *st, int64_t sid, const acct_counters *c,
                        const acct_counters *last, acct_kind k,
                        const gn__hs_req *r, int64_t now) {
  char day[11];
  gn__hs_day(now, day);
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(
      st,
      "INSERT INTO hs_usage(session,day,bytes_in,bytes_out,seconds) VALUES"
      "(?1,?2,?3,?4,?5) ON CONFLICT DO UPDATE SET bytes_in=bytes_in+?3,"
      "bytes_out=bytes_out+?4,seconds=seconds+?5",
      &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, sid);
  sqlite3_bind_text(s, 2, day, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 3, delta(c->in, last->in));
  sqlite3_bind_int64(s, 4, delta(c->out, last->out));
  sqlite3_bind_int64(s, 5, delta(c->secs, last->secs));
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "usage");
  gn__st_release(st, s);
  if (rs != GN_OK) return rs;
  rs = gn__st_cached(st,
                     "UPDATE hs_sessions SET last=?2,in_bytes=?3,out_bytes=?4,"
                     "seconds=?5,stopped=CASE WHEN ?6 THEN ?2 ELSE stopped END,"
                     "cause=COALESCE(?7,cause) WHERE id=?1",
                     &s);
  if (rs != GN_OK) return rs;
  const gn__hs_val *cause = &r->v[GN__HS_CAUSE];
  sqlite3_bind_int64(s, 1, sid);
  sqlite3_bind_int64(s, 2, now);
  sqlite3_bind_int64(s, 3, c->in);
  sqlite3_bind_int64(s, 4, c->out);
  sqlite3_bind_int64(s, 5, c->secs);
  sqlite3_bind_int(s, 6, k == ST_STOP);
  if (k == ST_STOP && gn__hs_val_text(cause))
    sqlite3_bind_text(s, 7, cause->s, -1, SQLITE_STATIC);
  rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "session update");
  gn__st_release(st, s);
  return rs;
}

static gn_status mark_disconnect(gn_store *st, int64_t sid, int64_t now) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(
      st, "UPDATE hs_sessions SET disconnect_at=?2 WHERE id=?1", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, sid);
  sqlite3_bind_int64(s, 2, now);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "disconnect");
  gn__st_release(st, s);
  return rs;
}

/* Record one session update; ask for a Disconnect-Request when the open
 * session's user is now over a quota. */
static gn_status session_update(gn_store *st, const gn__hs_req *r,
                                const char *nas, acct_kind k, int64_t now,
                                hs_out *out) {
  hs_account a;
  int found = 0;
  const gn__hs_val *name = &r->v[GN__HS_USER_NAME];
  gn_status rs = find_account(st, name->s, name->n, &a, &found);
  acct_counters c, last = {0, 0, 0};
  int64_t sid = 0;
  read_counters(r, &c);
  if (rs == GN_OK)
    rs = session_row(st, r, nas, found ? a.id : 0, &c, now, &sid, &last);
  if (rs == GN_OK) rs = record(st, sid, &c, &last, k, r, now);
  if (rs != GN_OK || !found || k == ST_STOP) return rs;
  hs_left l;
  rs = limits(st, &a, now, 0, &l);
  if (rs == GN_OK && l.why) {
    rs = mark_disconnect(st, sid, now);
    out_str(out, "Tmp-String-0", "disconnect");
  }
  return rs;
}

static gn_status acct(gn_store *st, const gn__hs_req *r, const char *src_ip,
                      int64_t now, hs_out *out) {
  const gn__hs_val *nasv = &r->v[GN__HS_NAS_IP];
  const char *nas = gn__hs_val_text(nasv) ? nasv->s
                    : src_ip && *src_ip ? src_ip : "unknown";
  acct_kind k = status_kind(&r->v[GN__HS_STATUS]);
  /* Malformed accounting is acknowledged but not recorded: the NAS would
   * otherwise retry it forever. */
  if (r->bad || (k == ST_NONE && r->v[GN__HS_STATUS].set)) return GN_OK;
  if (k == ST_NONE) k = ST_INTERIM; /* counters without a status: keep them */
  gn__hs_val *sid = (gn__hs_val *)&r->v[GN__HS_SESSION_ID];
  if (!sid->set) { /* one anonymous session per login and NAS */
    memcpy(sid->s, "-", 2);
    sid->n = 1;
    sid->set = 1;
  }
  if (k != ST_ON_OFF && (!gn__hs_val_text(&r->v[GN__HS_USER_NAME]) ||
                         r->v[GN__HS_USER_NAME].n > 253 ||
                         !gn__hs_val_text(sid)))
    return GN_OK;
  gn_status rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  rs = k == ST_ON_OFF ? nas_reset(st, nas, now)
                      : session_update(st, r, nas, k, now, out);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

gn_status gn__hs_aaa_req(gn_store *st, gn_hotspot_op op, gn__hs_req *r,
                         const char *src_ip, int64_t now, int json,
                         gn_hotspot_verdict *verdict, char **reply) {
  *reply = NULL;
  *verdict = GN_HOTSPOT_FAIL;
  gn_hotspot_verdict vd = GN_HOTSPOT_OK;
  gn__sb sb;
  gn__sb_init(&sb, st->ctx);
  gn__sb_puts(&sb, "");
  hs_out out = {&sb, json, 0, op == GN_HOTSPOT_AUTH ? "reply:" : "control:"};
  gn_status rs = gn__hs_ensure(st);
  const char *why = op == GN_HOTSPOT_AUTH ? malformed(r) : NULL;
  if (rs == GN_OK && why)
    reject(&out, &vd, why);
  else if (rs == GN_OK && op == GN_HOTSPOT_AUTH)
    rs = decide(st, r, now, &vd, &out);
  else if (rs == GN_OK)
    rs = acct(st, r, src_ip, now, &out);
  out_end(&out);
  if (rs == GN_OK) rs = gn__sb_finish(&sb, reply);
  gn__sb_cleanup(&sb);
  if (rs == GN_OK) *verdict = vd;
  return rs;
}

gn_status gn_hotspot_aaa(gn_store *st, gn_hotspot_op op,
                         const char *const *env, const char *src_ip,
                         int64_t now, gn_hotspot_verdict *verdict,
                         char **reply) {
  gn_ctx_clear(st->ctx);
  *reply = NULL;
  *verdict = GN_HOTSPOT_FAIL;
  gn__hs_req *r = gn_malloc(st->ctx, sizeof(*r));
  if (!r) return gn__fail(st->ctx, GN_ENOMEM, "out of memory");
  gn__hs_req_parse(r, env);
  gn_status rs = gn__hs_aaa_req(st, op, r, src_ip, now, 0, verdict, reply);
  gn_free(st->ctx, r);
  return rs;
}
