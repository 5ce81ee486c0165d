/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * msgid.h - the journal MESSAGE_IDs of the events an administrator looks
 * for (journalctl MESSAGE_ID=...). Fixed for good once released: generated
 * once with "systemd-id128 new", documented in ksqld(8) (JOURNAL) and in
 * the catalog daemon/systemd/ksql.catalog, whose entries the unit test
 * msgid-docs matches against this file.
 */
#ifndef KSQLD_MSGID_H
#define KSQLD_MSGID_H

/* Registered with ksql.ko (HELLO accepted). KSQL_FAMILY_ID= */
#define KSQLD_MSGID_REGISTERED		"103fa6749f894cceb012d2efb850363b"
/*
 * A LOG batch was refused: nothing of it committed, no LOG_ACK.
 * KSQL_TABLE=, KSQL_EPOCH=, KSQL_ERRNO=, SQLITE_CODE= (an SQL error),
 * KSQL_SUPPRESSED= (refusals not logged since the previous line).
 */
#define KSQLD_MSGID_LOG_REFUSED		"71093637c186438c9377fb700d29528b"
/* COMMIT of LOG batches failed; all rolled back. SQLITE_CODE=, KSQL_BATCHES=, KSQL_TABLE= (one table) */
#define KSQLD_MSGID_COMMIT_FAILED	"ed3d9e3259634e5fb1e1dafcb79781f6"
/*
 * A gap record (rows the kernel had to drop) was committed. KSQL_TABLE=,
 * KSQL_GAP_FIRST=, KSQL_GAP_LAST=, KSQL_GAP_REASON= (backlog, too_big),
 * KSQL_SUPPRESSED=
 */
#define KSQLD_MSGID_GAP_RECORDED	"2fee11b3d3244e5d81cc6a86cdf0c106"
/* The configuration file was read again (SIGHUP). */
#define KSQLD_MSGID_CONFIG_RELOADED	"8ef2a12cd23d452a89b0f4f712c51c6f"
/* Watchdog pings withheld: the SQLite writer is stuck in one job. KSQL_STUCK_SEC= */
#define KSQLD_MSGID_WRITER_STUCK	"89cc00e7e7c3419aa32a4e88cf396a9e"

#endif
