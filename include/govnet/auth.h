/*
 * auth.h - People, roles and tenants: organisations, users, passwords,
 * API tokens, browser sessions, login throttling, and the scope rule that
 * keeps one tenant's rows from another.
 *
 * Design: the tables live in the store (auth_orgs, auth_users,
 * auth_tokens, auth_sessions, auth_login_attempts, auth_meta), migrated by
 * gn_auth_migrate through the store's module migrations, and every change
 * is one store transaction with one audit row (actor from
 * gn_store_set_actor). Secrets never reach the file in clear:
 *   - passwords: Argon2id (libsodium crypto_pwhash_str, "interactive"
 *     limits: 2 passes, 64 MiB), a deliberately slow hash because people
 *     choose guessable passwords; verified in constant time by libsodium;
 *   - tokens and session ids: 256 random bits, stored as BLAKE2b-256 of
 *     the secret. A fast hash is right here: the secret cannot be guessed,
 *     so a slow hash would only slow every request down.
 * An unknown user name costs the same Argon2id verification (against a
 * dummy hash made at migration) and gets the same answer as a wrong
 * password. Logins are throttled per name (GN_AUTH_LOCK_FAILS failures in
 * GN_AUTH_LOCK_WINDOW_S lock the name for that window, known or not) and
 * per client address (GN_AUTH_CLIENT_FAILS), answered GN_ETOOMANY.
 * Ownership: JSON text returned through char ** is allocated with the
 * store's ctx allocator (gn_free). gn_principal is a plain value.
 * Threads: like gn_store, one thread at a time per store.
 */
#ifndef GOVNET_AUTH_H
#define GOVNET_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "govnet/ctx.h"
#include "govnet/export.h"
#include "govnet/store.h"

/* Roles (see docs/auth.md for what each may do). public is the role of a
 * request without credentials. */
typedef enum {
  GN_ROLE_PUBLIC = 0,
  GN_ROLE_ADMIN,
  GN_ROLE_PLANNER,
  GN_ROLE_NOC,
  GN_ROLE_SUPERVISOR,
  GN_ROLE_SUBCONTRACTOR,
  GN_ROLE_OPERATOR,
  GN_ROLE_AUDITOR,
  GN_ROLE_COUNT
} gn_role;
#define GN_ROLE_BIT(r) (1u << (unsigned)(r))

/* "public", "admin", ...; "?" if out of range. Since 0.2. */
GN_API const char *gn_role_name(gn_role r);
/* Inverse of gn_role_name; GN_ROLE_COUNT if unknown. Since 0.2. */
GN_API gn_role gn_role_parse(const char *name);

typedef enum {
  GN_ORG_GOVERNMENT = 0,
  GN_ORG_SUBCONTRACTOR,
  GN_ORG_OPERATOR,
  GN_ORG_KIND_COUNT
} gn_org_kind;
GN_API const char *gn_org_kind_name(gn_org_kind k);
GN_API gn_org_kind gn_org_kind_parse(const char *name);

#define GN_AUTH_NAME_MAX 64        /* user/organisation name, bytes */
#define GN_AUTH_PASSWORD_MIN 10    /* bytes */
#define GN_AUTH_PASSWORD_MAX 1024  /* bytes; longer is GN_EINVAL */
#define GN_AUTH_SECRET_MAX 128     /* longest token/session/CSRF accepted */
#define GN_AUTH_SECRET_BUF 72      /* "gnt_" / "gns_" + 64 hex + NUL */
#define GN_AUTH_LOCK_FAILS 5
#define GN_AUTH_CLIENT_FAILS 20
#define GN_AUTH_LOCK_WINDOW_S 900
#define GN_AUTH_SESSION_S (12 * 3600)

/* Who is asking. */
typedef struct gn_principal {
  int64_t user_id;   /* 0: anonymous (public) or the server's --token-file */
  gn_role role;
  int64_t org_id;    /* 0 = no organisation */
  int session;       /* 1: authenticated by a cookie session */
  int64_t expires;   /* the token's or session's end (unix s); 0 = never */
  char name[GN_AUTH_NAME_MAX + 1];
  char org[GN_AUTH_NAME_MAX + 1];
} gn_principal;

/* Create or upgrade the auth tables (idempotent; GN_EFORMAT on a
 * read-only store that would need it). Since 0.2. */
GN_API gn_status gn_auth_migrate(gn_store *st);

/* ---- organisations and users (each: one transaction + audit row) ---- */

/* GN_EINVAL (bad name), GN_ECONFLICT (name exists). id may be NULL. */
GN_API gn_status gn_auth_org_add(gn_store *st, const char *name,
                                 gn_org_kind kind, int64_t *id);
/* [{"id","name","kind","users"}] ordered by name. */
GN_API gn_status gn_auth_orgs_json(gn_store *st, char **json);

/* Add a user. org: organisation name, required for the subcontractor and
 * operator roles and then of the same kind; GN_ENOTFOUND if unknown.
 * password: GN_AUTH_PASSWORD_MIN..MAX bytes. GN_ECONFLICT if the name
 * exists. id may be NULL. Since 0.2. */
GN_API gn_status gn_auth_user_add(gn_store *st, const char *name, gn_role role,
                                  const char *org, const char *password,
                                  int64_t *id);

/* A change to a user; NULL/-1 fields stay. */
typedef struct gn_auth_user_patch {
  const char *role;      /* role name */
  const char *org;       /* organisation name; "" = none */
  int disabled;          /* 0/1, -1 = keep */
  const char *password;  /* new password */
} gn_auth_user_patch;

/* Change user id. by (may be NULL for the local CLI) is refused
 * GN_EFORBIDDEN when it changes its own role or organisation, or disables
 * itself. Disabling revokes the user's sessions. Since 0.2. */
GN_API gn_status gn_auth_user_update(gn_store *st, const gn_principal *by,
                                     int64_t id, const gn_auth_user_patch *p);
/* The id of user name (GN_ENOTFOUND). */
GN_API gn_status gn_auth_user_find(gn_store *st, const char *name,
                                   int64_t *id);

/* Users as {"users":[{"id","name","role","org","org_id","disabled",
 * "created"}],"total","limit","offset"}, ordered by name. scope_org > 0
 * keeps the users of that organisation only (and "total" counts only
 * them); 0 = all; < 0 = none. limit 0 = 100. Since 0.2. */
GN_API gn_status gn_auth_users_json(gn_store *st, int64_t scope_org,
                                    size_t limit, size_t offset, char **json);
/* One user; a user outside scope_org is GN_ENOTFOUND exactly like an id
 * that does not exist. */
GN_API gn_status gn_auth_user_json(gn_store *st, int64_t scope_org,
                                   int64_t id, char **json);

/* ---- API tokens ---- */

/* A new token for user name, valid `days` days (0 = no expiry, max
 * 3650). The secret goes to out once and is stored only as its hash.
 * token_id may be NULL. Since 0.2. */
GN_API gn_status gn_auth_token_create(gn_store *st, const char *name,
                                      int days,
                                      char out[GN_AUTH_SECRET_BUF],
                                      int64_t *token_id);
/* Revoke a token by id (GN_ENOTFOUND). */
GN_API gn_status gn_auth_token_revoke(gn_store *st, int64_t token_id);
/* The tokens of a user: [{"id","created","expires","revoked"}]. */
GN_API gn_status gn_auth_tokens_json(gn_store *st, const char *name,
                                     char **json);
/* Who a bearer token belongs to. GN_EAUTH for an unknown, expired or
 * revoked token or a disabled user (one message for all). Read-only. */
GN_API gn_status gn_auth_token_check(gn_store *st, const char *token,
                                     gn_principal *p);

/* ---- browser sessions ---- */

/* Check a password and open a session. client: the caller's address for
 * throttling (NULL = none). GN_EAUTH "wrong user name or password" for a
 * wrong password, an unknown or disabled user; GN_ETOOMANY while the name
 * or client is locked out; GN_EINVAL for oversized input. session gets
 * the cookie secret, csrf the matching CSRF token. Since 0.2. */
GN_API gn_status gn_auth_login(gn_store *st, const char *name,
                               const char *password, const char *client,
                               char session[GN_AUTH_SECRET_BUF],
                               char csrf[GN_AUTH_SECRET_BUF], gn_principal *p);
/* Who a session cookie belongs to (GN_EAUTH if unknown or expired). */
GN_API gn_status gn_auth_session_check(gn_store *st, const char *session,
                                       gn_principal *p);
/* End a session (no error if unknown). */
GN_API gn_status gn_auth_logout(gn_store *st, const char *session);
/* The CSRF token of a session: a keyed BLAKE2b of a fixed label under the
 * session secret, so the server keeps no state for it. */
GN_API void gn_auth_csrf(const char *session, char csrf[GN_AUTH_SECRET_BUF]);
/* 1 if csrf is the session's CSRF token (constant-time compare). */
GN_API int gn_auth_csrf_ok(const char *session, const char *csrf);

/* The stored digest of a token or session secret (hex BLAKE2b-256),
 * e.g. to remember recent checks. Since 0.2. */
GN_API void gn_auth_secret_digest(const char *secret, char out[65]);

/* ---- scope ---- */

/* The organisation whose rows p may see under an "own organisation"
 * scope rule: p's org for the tenant roles (subcontractor, operator;
 * -1 when such a user has no organisation: sees nothing), 0 (everything)
 * for the others. Since 0.2. */
GN_API int64_t gn_auth_scope_org(const gn_principal *p);

/* Bind p as the actor of the store's next audit rows (via: route or
 * command). p NULL: the local CLI user `cli_user` with no role. */
GN_API void gn_auth_set_actor(gn_store *st, const gn_principal *p,
                              const char *cli_user, const char *via);

#endif
