// SPDX-License-Identifier: GPL-2.0
/*
 * ksql_test_ping.c - the "ping" file: ksql_ping() from the writing task.
 *
 * Write "N TIMEOUT_MS": call ksql_ping(msecs_to_jiffies(TIMEOUT_MS)) N
 * times, one after the other, in the writing task (so a script can signal
 * it); a fatal signal ends the series. TIMEOUT_MS 0 passes a timeout of 0
 * (ksql_ping() refuses it with -EINVAL). The write returns the byte count
 * when every call returned 0, else the errno of the last failed call; -EINVAL
 * for a bad command (N is 1..PING_MAX_N), which leaves the outcome alone.
 *
 * Read: the outcome of the last series, one line:
 *   "ok N err E last_errno X elapsed_us U max_us M"
 * N calls returned 0, E failed, X is the errno of the last failed call (0
 * when none did), U the series' duration and M its longest call.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>

#include "ksql_test.h"

#define PING_MAX_N	1000000

/**
 * struct ping_outcome - what the last series of pings saw
 * @ok: calls that returned 0
 * @err: calls that failed
 * @last_errno: errno of the last failed call, 0 when none failed
 * @elapsed_us: duration of the series
 * @max_us: longest call
 */
struct ping_outcome {
	unsigned int ok;
	unsigned int err;
	int last_errno;
	s64 elapsed_us;
	s64 max_us;
};

static DEFINE_MUTEX(ping_lock);
static struct ping_outcome ping_last;	/* under ping_lock */

/**
 * ksql_test_ping_write() - a command written to "ping"
 * @cmd: "N TIMEOUT_MS"
 *
 * Return: 0 when all N calls succeeded, the errno of the last failed call,
 * or -EINVAL for a bad command.
 */
int ksql_test_ping_write(char *cmd)
{
	struct ping_outcome out = { };
	unsigned int n, timeout_ms, i;
	ktime_t t0, t1;
	long timeout;
	s64 us;
	int ret;

	if (sscanf(cmd, "%u %u", &n, &timeout_ms) != 2 || !n || n > PING_MAX_N)
		return -EINVAL;
	timeout = msecs_to_jiffies(timeout_ms);
	t0 = ktime_get();
	for (i = 0; i < n; i++) {
		t1 = ktime_get();
		ret = ksql_ping(timeout);
		us = ktime_us_delta(ktime_get(), t1);
		out.max_us = max(out.max_us, us);
		if (ret) {
			out.err++;
			out.last_errno = ret;
		} else {
			out.ok++;
		}
		if (fatal_signal_pending(current))
			break;
	}
	out.elapsed_us = ktime_us_delta(ktime_get(), t0);

	/* not killable: a dying writer still records what it saw */
	mutex_lock(&ping_lock);
	ping_last = out;
	mutex_unlock(&ping_lock);
	return out.last_errno;
}

/**
 * ksql_test_ping_show() - outcome of the last "ping" write
 * @m: the seq_file
 */
void ksql_test_ping_show(struct seq_file *m)
{
	struct ping_outcome out;

	mutex_lock(&ping_lock);
	out = ping_last;
	mutex_unlock(&ping_lock);
	seq_printf(m, "ok %u err %u last_errno %d elapsed_us %lld max_us %lld\n",
		   out.ok, out.err, out.last_errno, out.elapsed_us, out.max_us);
}
