/* export.h - GN_API marks public symbols; everything else is hidden. */
#ifndef GOVNET_EXPORT_H
#define GOVNET_EXPORT_H
#if defined(__GNUC__) && __GNUC__ >= 4
#define GN_API __attribute__((visibility("default")))
#else
#define GN_API
#endif
#endif
