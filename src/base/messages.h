/*
 * messages.h - Internal view of the message catalogue (messages.c), for
 * its unit test: the number of entries and each entry's English or
 * French format. Internal.
 */
#ifndef GOVNET_BASE_MESSAGES_H
#define GOVNET_BASE_MESSAGES_H

#include <stddef.h>

size_t gn__msg_count(void);
const char *gn__msg_at(size_t i, int fr);

#endif
