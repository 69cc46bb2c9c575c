/*
 * auth_int.h - Internals shared by the files of src/auth/ (not API).
 *
 * auth runs its SQL through the store's connection, statement cache and
 * transaction helpers (store_int.h), so its writes share the store's one
 * write path and audit hook. Only src/auth/ includes libsodium besides the
 * store's audit chain.
 */
#ifndef GOVNET_AUTH_INT_H
#define GOVNET_AUTH_INT_H

#include <sodium.h>

#include "govnet/auth.h"
#include "store/store_int.h"

/* libsodium ready (GN_EINTERNAL otherwise). */
gn_status gn__auth_init(gn_store *st);
/* hex BLAKE2b-256 of a secret (65 bytes with the NUL). */
void gn__auth_secret_hash(const char *secret, char out[65]);
/* A new random secret "<prefix>" + 64 hex. */
void gn__auth_secret_new(const char *prefix, char out[GN_AUTH_SECRET_BUF]);
/* Fill p from the user row id (GN_EAUTH if missing or disabled). */
gn_status gn__auth_principal(gn_store *st, int64_t user, gn_principal *p);
/* Check a name: 1..GN_AUTH_NAME_MAX bytes, printable, no leading or
 * trailing space. GN_EINVAL naming `what`. */
gn_status gn__auth_name_ok(gn_store *st, const char *name, const char *what);
/* Check a password's length. */
gn_status gn__auth_password_ok(gn_store *st, const char *pw);
/* Argon2id encoded hash of pw into out (crypto_pwhash_STRBYTES). */
gn_status gn__auth_pwhash(gn_store *st, const char *pw, char *out);
/* Seconds since the epoch. */
int64_t gn__auth_now(void);

#endif
