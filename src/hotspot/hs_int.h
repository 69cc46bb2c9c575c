/*
 * hs_int.h - Internals shared by the src/hotspot/ modules (not API).
 *
 * The hotspot module keeps its own tables (hs_*) in the store and runs its
 * SQL through the store's connection helpers (store/store_int.h): one
 * connection, one write path, one audit hook. libsodium enters govnet here
 * (hs_secret.c) until the accounts module (src/auth, issue 12) owns it.
 */
#ifndef GOVNET_HS_INT_H
#define GOVNET_HS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "govnet/hotspot.h"
#include "store/store_int.h"

/* Create or migrate the hs_* tables (module "hotspot" of the store's
 * module migrations). Cheap when up to date. */
gn_status gn__hs_ensure(gn_store *st);

/* What one store connection remembers between decisions (st->ext slot
 * GN__EXT_HOTSPOT, freed with the store, never written to disk): things
 * that cannot change under it once read (the schema only migrates
 * forward; the voucher key is drawn once per store), and the
 * verified-credential cache. */
typedef struct gn__hs_conn {
  int ensured;          /* gn__hs_ensure succeeded on this connection */
  char voucher_key[65]; /* "" until read */
  void *cred;           /* hs_secret.c's cache, allocated on first use */
} gn__hs_conn;
/* This connection's record, created on first use; NULL when out of
 * memory (callers then do the work uncached). */
gn__hs_conn *gn__hs_conn_of(gn_store *st);

/* ---- secrets (hs_secret.c) ---- */
#define GN__HS_CODE_LEN 12
/* Argon2id string of password (libsodium interactive limits). out must
 * hold 128 bytes. */
gn_status gn__hs_pw_hash(gn_ctx *ctx, const char *pw, size_t n, char *out);
/* 1 if pw matches the stored Argon2id string, else 0. */
int gn__hs_pw_verify(const char *stored, const char *pw, size_t n);
/* Fill code with GN__HS_CODE_LEN symbols + NUL. */
gn_status gn__hs_code_new(char *code);
/* Normalise a typed code (upper case, '-' and ' ' dropped) into out
 * (GN__HS_CODE_LEN + 1 bytes); 0 if it is not a well-formed code. */
int gn__hs_code_norm(const char *in, size_t n, char *out);
/* Hex keyed BLAKE2b digest (65 bytes) of a normalised code, keyed with the
 * store's voucher key (hex, 64 chars). */
gn_status gn__hs_code_digest(gn_ctx *ctx, const char *key_hex,
                             const char *code, char *out);
/* The store's voucher key (64 hex chars + NUL). */
gn_status gn__hs_voucher_key(gn_store *st, char *key);
/* A new random 32-byte key as 64 hex chars + NUL. */
gn_status gn__hs_key_new(char *out);

/* Verified student credentials, per store connection (gn__hs_conn;
 * never written to disk): a keyed BLAKE2b tag of (user
 * id, login, password, stored Argon2id string) under a random key drawn
 * when the connection first caches, kept GN__HS_CRED_TTL_S seconds.
 * A changed password changes the stored string, so the tag no longer
 * matches; validity, uses and quotas are never cached. */
#define GN__HS_CRED_TTL_S 300
#define GN__HS_CRED_SLOTS 512
typedef struct gn__hs_cred {
  int64_t uid;
  const char *name;
  size_t name_n;
  const char *pw;
  size_t pw_n;
  const char *stored; /* the Argon2id string the password was checked on */
  int64_t now;
} gn__hs_cred;
/* 1 if c was verified on this connection less than the TTL ago. */
int gn__hs_cred_hit(gn_store *st, const gn__hs_cred *c);
/* Remember that c verified (silently skipped when out of memory). */
void gn__hs_cred_put(gn_store *st, const gn__hs_cred *c);

/* ---- one RADIUS request as rlm_exec hands it over (hs_env.c) ---- */
#define GN__HS_VAL_MAX 256
typedef struct gn__hs_val {
  char s[GN__HS_VAL_MAX + 1]; /* decoded bytes, NUL added */
  size_t n;                   /* decoded length (may hold NULs) */
  int set;
} gn__hs_val;

typedef enum {
  GN__HS_USER_NAME = 0,
  GN__HS_USER_PASSWORD,
  GN__HS_CHAP_PASSWORD,
  GN__HS_NAS_IP,
  GN__HS_NAS_ID,
  GN__HS_CALLING,
  GN__HS_CALLED,
  GN__HS_STATUS,
  GN__HS_SESSION_ID,
  GN__HS_IN_OCTETS,
  GN__HS_OUT_OCTETS,
  GN__HS_IN_GIGA,
  GN__HS_OUT_GIGA,
  GN__HS_SESSION_TIME,
  GN__HS_CAUSE,
  GN__HS_NATTR
} gn__hs_attr;

typedef struct gn__hs_req {
  gn__hs_val v[GN__HS_NATTR];
  const char *bad; /* first reason the request is malformed, or NULL */
} gn__hs_req;

/* Parse the environment (NAME=value, FreeRADIUS quoting: "..." with \\ \"
 * \n \r \t and \ooo octal escapes). Unknown names are ignored; a known
 * name twice, a value too long or badly quoted sets req->bad. Never
 * fails. */
void gn__hs_req_parse(gn__hs_req *req, const char *const *env);
/* 1 if v is set, non-empty, valid UTF-8 without control characters. */
int gn__hs_val_text(const gn__hs_val *v);
/* Parse v as a non-negative decimal integer; 0 if unset or malformed. */
int gn__hs_val_u64(const gn__hs_val *v, uint64_t *out);

/* Decide one parsed request (hs_aaa.c): json = 0 writes rlm_exec's
 * attribute lines, 1 rlm_rest's JSON object. Same contract as
 * gn_hotspot_aaa. r may be modified (an accounting packet without a
 * session id gets "-"). */
gn_status gn__hs_aaa_req(gn_store *st, gn_hotspot_op op, gn__hs_req *r,
                         const char *src_ip, int64_t now, int json,
                         gn_hotspot_verdict *verdict, char **reply);
/* Parse rlm_rest's JSON body (hs_rest.c) into req: GN_EINVAL/GN_ELIMIT
 * with a message naming the attribute when the body is not what
 * FreeRADIUS sends; attribute values FreeRADIUS can send but the decision
 * refuses (too long, given twice) set req->bad as the environment parser
 * does. */
gn_status gn__hs_req_json(gn_ctx *ctx, gn__hs_req *req, const char *body,
                          size_t len);

/* ---- small shared helpers ---- */
/* "YYYY-MM-DD" of the UTC day holding t (11 bytes). */
void gn__hs_day(int64_t t, char *out);
/* Parse "YYYY-MM-DD" strictly; 0 if malformed. */
int gn__hs_day_valid(const char *s);
/* 1 if s is 1..max bytes of printable UTF-8 without spaces/controls. */
int gn__hs_name_ok(const char *s, size_t max);

#endif
