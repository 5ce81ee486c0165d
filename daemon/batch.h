/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * batch.h - replies to the kernel, several netlink messages per sendmsg().
 * Workers append whole messages; the buffer goes out when it is big, when
 * a worker finds no more work, or when its oldest message has waited a
 * little (the poll loop, woken through an eventfd, sees to that), so a long
 * statement on one worker never holds the replies of another. The eventfd
 * is written only when a worker leaves replies behind to run another job:
 * a reply sent by an idle worker wakes no other thread.
 */
#ifndef KSQLD_BATCH_H
#define KSQLD_BATCH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "job.h"

/* Far below any socket send buffer (the kernel refuses a sendmsg over it). */
#define KSQLD_BATCH_BYTES	(64 * 1024)
/* A reply waits at most about this long for company. */
#define KSQLD_BATCH_DELAY_NS	(2 * 1000 * 1000)

struct ksqld_batch {
	pthread_mutex_t lock;
	char *buf;
	size_t len, limit;
	unsigned int nmsgs;
	uint64_t first_ns;	/* when the oldest message was added */
	ksqld_send_fn send;	/* one call per batch */
	void *ctx;
	int last_err;
	int wakefd;		/* eventfd, written by ksqld_batch_arm() */
	bool armed;		/* wakefd written since the last send */
};

/* limit 0 = KSQLD_BATCH_BYTES. 0 or -ENOMEM. */
int ksqld_batch_init(struct ksqld_batch *b, size_t limit, ksqld_send_fn send, void *ctx);
void ksqld_batch_destroy(struct ksqld_batch *b);
/* A ksqld_send_fn (ctx = the batch): appends one message, sending first if full. */
int ksqld_batch_add(const void *msg, size_t len, void *ctx);
/*
 * A worker about to run another job while replies wait: wakes the poll
 * loop (once per batch) so they go out within KSQLD_BATCH_DELAY_NS.
 */
void ksqld_batch_arm(struct ksqld_batch *b);
/* Sends what is buffered. 0 or the send's -errno. */
int ksqld_batch_flush_ctx(void *ctx);	/* the same, as struct ksqld_core's flush */
int ksqld_batch_flush(struct ksqld_batch *b);
/* Flushes when the oldest message has waited KSQLD_BATCH_DELAY_NS. */
void ksqld_batch_flush_stale(struct ksqld_batch *b);
/* Whether anything waits, and for how many ns at most before it must go. */
bool ksqld_batch_pending(struct ksqld_batch *b, uint64_t *wait_ns);
/*
 * An eventfd that turns readable when a message lands in an empty batch, so
 * a poll loop sleeping without a timeout wakes up to schedule the flush
 * (-1 if none could be made). The loop reads it with ksqld_batch_woken().
 */
int ksqld_batch_fd(const struct ksqld_batch *b);
void ksqld_batch_woken(struct ksqld_batch *b);

#endif
