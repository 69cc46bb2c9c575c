/*
 * hs_secret.c - Passwords and voucher codes (libsodium).
 *
 * Design: student passwords are Argon2id strings (crypto_pwhash_str with
 * the interactive limits: 64 MiB, ~0.1 s), so a stolen store does not give
 * passwords away. Voucher codes are 12 symbols from a 31-symbol alphabet
 * without look-alikes (0/O, 1/I/L), drawn uniformly from libsodium's
 * CSPRNG: 31^12 ~ 2^59 codes. They are stored as a BLAKE2b digest keyed
 * with a random per-store key, so the table alone does not reveal unused
 * codes; the digest is fast, which is fine for 59-bit random secrets and
 * keeps voucher logins cheap. The accounts module (src/auth, issue 12)
 * owns libsodium once it lands; these helpers then move there.
 */
#include <ctype.h>
#include <sodium.h>
#include <string.h>

#include "hotspot/hs_int.h"

static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
#define ALPHABET_N 31

static gn_status init_sodium(void) {
  /* sodium_init is idempotent and thread-safe; 1 = already done. */
  return sodium_init() < 0 ? GN_EINTERNAL : GN_OK;
}

gn_status gn__hs_pw_hash(gn_ctx *ctx, const char *pw, size_t n, char *out) {
  if (init_sodium() != GN_OK)
    return gn__fail(ctx, GN_EINTERNAL, "libsodium failed to initialise");
  if (crypto_pwhash_str(out, pw, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return gn__fail(ctx, GN_ENOMEM, "password hashing needs 64 MiB");
  return GN_OK;
}

int gn__hs_pw_verify(const char *stored, const char *pw, size_t n) {
  if (init_sodium() != GN_OK) return 0;
  return crypto_pwhash_str_verify(stored, pw, n) == 0;
}

gn_status gn__hs_code_new(char *code) {
  if (init_sodium() != GN_OK) return GN_EINTERNAL;
  for (int i = 0; i < GN__HS_CODE_LEN; i++)
    code[i] = alphabet[randombytes_uniform(ALPHABET_N)];
  code[GN__HS_CODE_LEN] = 0;
  return GN_OK;
}

int gn__hs_code_norm(const char *in, size_t n, char *out) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)in[i];
    if (c == '-' || c == ' ') continue;
    c = (unsigned char)toupper(c);
    if (c == 0 || !strchr(alphabet, c) || k >= GN__HS_CODE_LEN) return 0;
    out[k++] = (char)c;
  }
  out[k] = 0;
  return k == GN__HS_CODE_LEN;
}

gn_status gn__hs_code_digest(gn_ctx *ctx, const char *key_hex,
                             const char *code, char *out) {
  unsigned char key[32], h[32];
  size_t klen = 0;
  if (init_sodium() != GN_OK ||
      sodium_hex2bin(key, sizeof(key), key_hex, strlen(key_hex), NULL, &klen,
                     NULL) != 0 || klen != sizeof(key))
    return gn__fail(ctx, GN_EFORMAT, "hotspot voucher key is malformed");
  crypto_generichash(h, sizeof(h), (const unsigned char *)code, strlen(code),
                     key, sizeof(key));
  sodium_bin2hex(out, 65, h, sizeof(h));
  sodium_memzero(key, sizeof(key));
  return GN_OK;
}

gn_status gn__hs_key_new(char *out) {
  unsigned char key[32];
  if (init_sodium() != GN_OK) return GN_EINTERNAL;
  randombytes_buf(key, sizeof(key));
  sodium_bin2hex(out, 65, key, sizeof(key));
  sodium_memzero(key, sizeof(key));
  return GN_OK;
}

/* ---- the verified-credential cache ---- */

typedef struct cred_slot {
  int64_t uid, at; /* at = 0: empty */
  unsigned char tag[crypto_generichash_BYTES];
} cred_slot;

typedef struct cred_cache {
  unsigned char key[crypto_generichash_KEYBYTES];
  cred_slot slot[GN__HS_CRED_SLOTS];
} cred_cache;

static void conn_free(gn_ctx *ctx, void *p) {
  gn__hs_conn *c = p;
  if (c->cred) {
    sodium_memzero(c->cred, sizeof(cred_cache));
    gn_free(ctx, c->cred);
  }
  sodium_memzero(c, sizeof(*c));
  gn_free(ctx, c);
}

gn__hs_conn *gn__hs_conn_of(gn_store *st) {
  gn__hs_conn *c = st->ext[GN__EXT_HOTSPOT];
  if (c) return c;
  c = gn_malloc(st->ctx, sizeof(*c));
  if (!c) return NULL;
  memset(c, 0, sizeof(*c));
  st->ext[GN__EXT_HOTSPOT] = c;
  st->ext_free[GN__EXT_HOTSPOT] = conn_free;
  return c;
}

/* Length-prefixed fields, so no login/password split can imitate another. */
static void cred_tag(const cred_cache *cc, const gn__hs_cred *c,
                     unsigned char *tag) {
  crypto_generichash_state h;
  uint64_t f[3] = {(uint64_t)c->uid, c->name_n, c->pw_n};
  crypto_generichash_init(&h, cc->key, sizeof(cc->key), crypto_generichash_BYTES);
  crypto_generichash_update(&h, (const unsigned char *)f, sizeof(f));
  crypto_generichash_update(&h, (const unsigned char *)c->name, c->name_n);
  crypto_generichash_update(&h, (const unsigned char *)c->pw, c->pw_n);
  crypto_generichash_update(&h, (const unsigned char *)c->stored,
                            strlen(c->stored));
  crypto_generichash_final(&h, tag, crypto_generichash_BYTES);
  sodium_memzero(&h, sizeof(h));
}

int gn__hs_cred_hit(gn_store *st, const gn__hs_cred *c) {
  const gn__hs_conn *conn = st->ext[GN__EXT_HOTSPOT];
  const cred_cache *cc = conn ? conn->cred : NULL;
  if (!cc) return 0;
  const cred_slot *s = &cc->slot[(uint64_t)c->uid % GN__HS_CRED_SLOTS];
  if (!s->at || s->uid != c->uid || c->now < s->at ||
      c->now - s->at >= GN__HS_CRED_TTL_S)
    return 0;
  unsigned char tag[crypto_generichash_BYTES];
  cred_tag(cc, c, tag);
  return sodium_memcmp(tag, s->tag, sizeof(tag)) == 0;
}

void gn__hs_cred_put(gn_store *st, const gn__hs_cred *c) {
  gn__hs_conn *conn = gn__hs_conn_of(st);
  if (!conn) return;
  cred_cache *cc = conn->cred;
  if (!cc) {
    if (init_sodium() != GN_OK || !(cc = gn_malloc(st->ctx, sizeof(*cc))))
      return;
    memset(cc, 0, sizeof(*cc));
    randombytes_buf(cc->key, sizeof(cc->key));
    conn->cred = cc;
  }
  cred_slot *s = &cc->slot[(uint64_t)c->uid % GN__HS_CRED_SLOTS];
  s->uid = c->uid;
  s->at = c->now;
  cred_tag(cc, c, s->tag);
}
