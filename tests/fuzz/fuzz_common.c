// SPDX-License-Identifier: GPL-2.0-only
/* fuzz_common.c - see fuzz_common.h. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include "codec.h"
#include "exec.h"
#include "fuzz_common.h"
#include "log.h"

uint16_t fuzz_reply_type;

static int attr_ok(const struct nlattr *a, void *ctx)
{
	return 0;
}

int fuzz_check_reply(const void *buf, size_t len, void *ctx)
{
	const struct nlmsghdr *nlh;

	if (ksql_msg_check(buf, len, &nlh) < 0 || nlh->nlmsg_len != len ||
	    nlh->nlmsg_type != fuzz_reply_type || ksql_attr_walk(nlh, attr_ok, NULL) < 0)
		abort();
	return 0;
}

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ksqld_exec *watched;
static uint64_t watch_since;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void *watchdog(void *arg)
{
	for (;;) {
		usleep(50 * 1000);
		pthread_mutex_lock(&watch_lock);
		if (watched && now_ms() - watch_since > FUZZ_SQL_BUDGET_MS)
			ksqld_exec_interrupt(watched);
		pthread_mutex_unlock(&watch_lock);
	}
	return NULL;
}

static void watchdog_start(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, watchdog, NULL) != 0)
		abort();
	pthread_detach(t);
}

void fuzz_watch_begin(struct ksqld_exec *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, watchdog_start);
	pthread_mutex_lock(&watch_lock);
	watched = e;
	watch_since = now_ms();
	pthread_mutex_unlock(&watch_lock);
}

void fuzz_watch_end(void)
{
	pthread_mutex_lock(&watch_lock);
	watched = NULL;
	pthread_mutex_unlock(&watch_lock);
}

void fuzz_split(const uint8_t *data, size_t size,
		int (*cb)(const void *msg, size_t len, void *ctx), void *ctx)
{
	while (size > 0) {
		size_t n = size;
		uint32_t mlen;
		void *copy;
		int stop;

		/* data may be unaligned (fuzz_client's inputs start with a byte). */
		if (size >= sizeof(struct nlmsghdr)) {
			memcpy(&mlen, data, sizeof(mlen));	/* nlmsg_len comes first */
			if (mlen >= sizeof(struct nlmsghdr) && mlen <= size)
				n = mlen;
		}
		/* Alone in an aligned buffer of its exact size: ASan sees any overread. */
		copy = malloc(n);
		if (!copy)
			abort();
		memcpy(copy, data, n);
		stop = cb(copy, n, ctx);
		free(copy);
		if (stop)
			return;
		n = MNL_ALIGN(n);
		if (n >= size)
			return;
		data += n;
		size -= n;
	}
}

void fuzz_quiet_logs(void)
{
	ksqld_log_set_level(LOG_DEBUG);
}
