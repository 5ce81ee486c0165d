/* SPDX-License-Identifier: GPL-2.0-only */
/* errmap.h - SQLite result codes as the errnos kernel callers see. */
#ifndef KSQLD_ERRMAP_H
#define KSQLD_ERRMAP_H

/* Positive errno for an SQLite (primary or extended) result code. */
int ksqld_errno_from_sqlite(int code);

#endif
