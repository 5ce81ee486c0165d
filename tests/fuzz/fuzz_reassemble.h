/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_reassemble.h - RESULT chunks in, a reassembled reply out (fuzz_reasm, fuzz_ksqlctl). */
#ifndef KSQL_FUZZ_REASSEMBLE_H
#define KSQL_FUZZ_REASSEMBLE_H

#include <stddef.h>
#include <stdint.h>

/* The request id the seeds' RESULTs answer. */
#define FUZZ_REQ_ID 1

struct ksql_reply;

/*
 * Feeds the messages of data (fuzz_split) to a reassembler for FUZZ_REQ_ID
 * until it finishes or fails; returns the reply, or NULL. Every value of a
 * reply is read in full on the way (ASan checks the pointers).
 */
struct ksql_reply *fuzz_reassemble(const uint8_t *data, size_t size);

#endif
