/*
 * text.h - Strict checks for text and numbers that come from outside
 * (files, HTTP, the command line), shared by io/, store/ and server/ so
 * every way in applies the same rules (internal, not API).
 *
 * Text: valid UTF-8 (no overlong forms, no surrogates, <= U+10FFFF) and
 * no control characters (C0, DEL, C1), so nothing stored can break a
 * JSON answer, a CSV export or a terminal.
 * Site ids (docs/store.md): 1..128 bytes of ASCII letters and digits,
 * "-_.:~@+=,", and non-ASCII letters (valid UTF-8 >= U+00A0). No space,
 * no '/', '?', '#', '%', '&' or quote, so an id is always one URL path
 * segment and one query value without ambiguity.
 * Numbers: plain decimal only: [-]digits[.digits][e[+-]digits]; no
 * spaces, no '+' sign, no hex, no inf/nan; the value must be finite.
 */
#ifndef GOVNET_IO_TEXT_H
#define GOVNET_IO_TEXT_H

#include <stddef.h>

#include "govnet/ctx.h"

#define GN__ID_MAX 128

/* 1 if s (n bytes) is valid UTF-8 without control characters; with
 * allow_nl, '\n', '\r' and '\t' are allowed too. */
int gn__text_valid_n(const char *s, size_t n, int allow_nl);
/* The same over a NUL-terminated string. */
int gn__text_valid(const char *s, int allow_nl);
/* Byte offset of the first invalid byte or control character, or -1. */
long gn__text_bad_offset(const char *s, size_t n, int allow_nl);

/* 1 if s is a valid site id (see above). */
int gn__id_valid(const char *s);

/* A new UTF-8 copy (ctx allocator) of Latin-1 (ISO 8859-1) text. */
char *gn__latin1_to_utf8(gn_ctx *ctx, const char *s);

/* A "key = value" file (the price book; the lease tariff reads the same
 * file): fn gets each line that is not blank or a '#' comment, with its
 * line number, key and value trimmed. The reader itself refuses, naming
 * "file F line N": a line over 1024 bytes, a NUL byte, text that is not
 * UTF-8 (or holds a control character), a line without '=', and files
 * over 1 MiB; fn's errors pass through unchanged. what names the file
 * in the open error ("price book F: No such file or directory"). */
typedef gn_status (*gn__kv_fn)(void *user, int line, char *key, char *val);
gn_status gn__kv_file_read(gn_ctx *ctx, const char *path, const char *what,
                           gn__kv_fn fn, void *user);

/* Strict decimal number (see above); 0 on success, -1 otherwise. */
int gn__parse_decimal(const char *s, double *out);
/* Strict integer [-]digits within [lo, hi]; 0 on success, -1 otherwise. */
int gn__parse_int(const char *s, long long lo, long long hi, long long *out);

#endif
