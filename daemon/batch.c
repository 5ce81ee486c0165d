// SPDX-License-Identifier: GPL-2.0-only
/* batch.c - accumulate reply messages, send them in one go. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include "batch.h"
#include "log.h"
#include "stats.h"

int ksqld_batch_init(struct ksqld_batch *b, size_t limit, ksqld_send_fn send, void *ctx)
{
	memset(b, 0, sizeof(*b));
	b->limit = limit ? limit : KSQLD_BATCH_BYTES;
	b->buf = malloc(b->limit);
	if (!b->buf)
		return -ENOMEM;
	b->send = send;
	b->ctx = ctx;
	b->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	pthread_mutex_init(&b->lock, NULL);
	return 0;
}

void ksqld_batch_destroy(struct ksqld_batch *b)
{
	if (!b->buf)
		return;
	pthread_mutex_destroy(&b->lock);
	free(b->buf);
	b->buf = NULL;
	if (b->wakefd >= 0)
		close(b->wakefd);
	b->wakefd = -1;
}

static int send_locked(struct ksqld_batch *b, const void *buf, size_t len, unsigned int n)
{
	int ret = b->send(buf, len, b->ctx);

	ksqld_stat_add(KSQLD_STAT_REPLY_BATCHES, 1);
	ksqld_stat_add(KSQLD_STAT_REPLY_MSGS, n);
	if (ret < 0 && ret != b->last_err)
		log_warn("cannot send %u repl%s to the ksql module: %s", n, n == 1 ? "y" : "ies",
			 strerror(-ret));
	b->last_err = ret;
	return ret;
}

static int flush_locked(struct ksqld_batch *b)
{
	int ret = 0;

	if (b->nmsgs)
		ret = send_locked(b, b->buf, b->len, b->nmsgs);
	b->len = 0;
	b->nmsgs = 0;
	b->armed = false;
	return ret;
}

void ksqld_batch_arm(struct ksqld_batch *b)
{
	uint64_t one = 1;
	ssize_t n;

	pthread_mutex_lock(&b->lock);
	if (b->nmsgs && !b->armed && b->wakefd >= 0) {
		/* Nonblocking eventfd: a failure means it is readable already. */
		n = write(b->wakefd, &one, sizeof(one));
		(void)n;
		b->armed = true;
	}
	pthread_mutex_unlock(&b->lock);
}

int ksqld_batch_add(const void *msg, size_t len, void *ctx)
{
	struct ksqld_batch *b = ctx;
	int ret = 0;

	pthread_mutex_lock(&b->lock);
	if (b->len + len > b->limit)
		ret = flush_locked(b);
	if (len > b->limit) {
		/* One message bigger than a batch goes alone. */
		ret = send_locked(b, msg, len, 1);
	} else {
		/*
		 * No wakeup of the poll loop here: the worker flushes itself
		 * when it runs out of work, and arms the loop (ksqld_batch_arm)
		 * only when it goes on to another job. The main thread's own
		 * replies are seen by its loop before it polls again.
		 */
		if (!b->nmsgs)
			b->first_ns = ksqld_now_ns();
		memcpy(b->buf + b->len, msg, len);
		b->len += len;
		b->nmsgs++;
	}
	pthread_mutex_unlock(&b->lock);
	/*
	 * A failed send of earlier replies is the kernel's business (they are
	 * lost, and their callers time out); this reply is still queued.
	 */
	return ret == -ENOMEM ? ret : 0;
}

int ksqld_batch_flush(struct ksqld_batch *b)
{
	int ret;

	pthread_mutex_lock(&b->lock);
	ret = flush_locked(b);
	pthread_mutex_unlock(&b->lock);
	return ret;
}

int ksqld_batch_flush_ctx(void *ctx)
{
	return ksqld_batch_flush(ctx);
}

void ksqld_batch_flush_stale(struct ksqld_batch *b)
{
	pthread_mutex_lock(&b->lock);
	if (b->nmsgs && ksqld_now_ns() - b->first_ns >= KSQLD_BATCH_DELAY_NS)
		flush_locked(b);
	pthread_mutex_unlock(&b->lock);
}

bool ksqld_batch_pending(struct ksqld_batch *b, uint64_t *wait_ns)
{
	uint64_t age;
	bool ret;

	pthread_mutex_lock(&b->lock);
	ret = b->nmsgs > 0;
	if (ret) {
		age = ksqld_now_ns() - b->first_ns;
		*wait_ns = age >= KSQLD_BATCH_DELAY_NS ? 0 : KSQLD_BATCH_DELAY_NS - age;
	}
	pthread_mutex_unlock(&b->lock);
	return ret;
}

int ksqld_batch_fd(const struct ksqld_batch *b)
{
	return b->wakefd;
}

void ksqld_batch_woken(struct ksqld_batch *b)
{
	uint64_t v;
	ssize_t n;

	/* EAGAIN only means another wakeup consumed it already. */
	if (b->wakefd >= 0) {
		n = read(b->wakefd, &v, sizeof(v));
		(void)n;
	}
}
