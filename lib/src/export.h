/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * export.h - libksql is built with -fvisibility=hidden; only what the public
 * headers promise is exported, and libksql.sym pins those names to a version.
 */
#ifndef KSQL_EXPORT_H
#define KSQL_EXPORT_H

#define KSQL_EXPORT __attribute__((visibility("default")))

#endif
