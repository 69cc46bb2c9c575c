/*
 * govnet-aaa - The program FreeRADIUS runs per request (rlm_exec, see
 * docs/hotspot.md): `govnet-aaa auth|acct DB [SRC_IP]` with the request's
 * attributes in the environment. Prints the reply attributes on stdout and
 * exits with rlm_exec's codes: 0 ok/accept, 1 reject, 2 fail (FreeRADIUS
 * then drops the request and the NAS retries). Kept apart from `govnet`
 * so it starts in about a millisecond (it does not load GDAL).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "govnet/hotspot.h"

extern char **environ;

int main(int argc, char **argv) {
  if (argc < 3 || (strcmp(argv[1], "auth") != 0 &&
                   strcmp(argv[1], "acct") != 0)) {
    fputs("usage: govnet-aaa auth|acct DB [SRC_IP]  (run by FreeRADIUS)\n",
          stderr);
    return 2;
  }
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  gn_hotspot_verdict vd = GN_HOTSPOT_FAIL;
  char *reply = NULL;
  gn_status rs = gn_ctx_create(&ctx);
  if (rs == GN_OK) rs = gn_store_open(ctx, argv[2], GN_STORE_BRIEF, 5000, &st);
  if (rs == GN_OK)
    rs = gn_hotspot_aaa(st,
                        argv[1][1] == 'u' ? GN_HOTSPOT_AUTH : GN_HOTSPOT_ACCT,
                        (const char *const *)environ, argc > 3 ? argv[3] : NULL,
                        (int64_t)time(NULL), &vd, &reply);
  if (rs != GN_OK) {
    fprintf(stderr, "govnet-aaa: %s\n",
            ctx ? gn_ctx_errmsg(ctx) : "out of memory");
    vd = GN_HOTSPOT_FAIL;
  } else {
    fputs(reply, stdout);
  }
  if (ctx) gn_free(ctx, reply);
  gn_store_close(st);
  gn_ctx_free(ctx);
  return (int)vd;
}
