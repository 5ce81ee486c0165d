// SPDX-License-Identifier: GPL-2.0-only
/* loop.c - the poll loop; a signalfd makes SIGTERM and SIGHUP ordinary events. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include "job.h"
#include "log.h"
#include "loop.h"
#include "notify.h"
#include "watchdog.h"

int ksqld_loop_signals(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

int ksqld_loop_run(struct ksqld_loop *l, int sigfd)
{
	struct pollfd fds[4 + KSQLD_CONTROL_CLIENTS_MAX];
	struct ksqld_watchdog wd;
	int ret;

	ksqld_watchdog_init(&wd, ksqld_notify_watchdog_usec() * 1000u, l->writer, ksqld_now_ns());
	for (;;) {
		unsigned int n = 0, nl_idx = 0, ctl_idx = 0, nctl = 0, b_idx = 0;
		struct signalfd_siginfo si;
		int timeout = ksqld_watchdog_poll_ms(&wd, ksqld_now_ns());
		uint64_t wait_ns;

		/* Replies waiting in the batch go out within a tick. */
		if (l->batch && ksqld_batch_pending(l->batch, &wait_ns)) {
			int ms = (int)(wait_ns / 1000000u) + 1;

			if (timeout < 0 || ms < timeout)
				timeout = ms;
		}

		fds[n++] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		if (l->batch && ksqld_batch_fd(l->batch) >= 0) {
			b_idx = n;
			fds[n++] = (struct pollfd){ .fd = ksqld_batch_fd(l->batch), .events = POLLIN };
		}
		if (l->nl) {
			nl_idx = n;
			fds[n++] = (struct pollfd){ .fd = ksqld_nl_fd(l->nl), .events = POLLIN };
		}
		if (l->ctl) {
			ctl_idx = n;
			nctl = ksqld_control_fill(l->ctl, &fds[n], (unsigned int)(sizeof(fds) / sizeof(fds[0])) - n);
			n += nctl;
		}
		ret = poll(fds, n, timeout);
		if (ret < 0 && errno != EINTR) {
			log_err("poll failed: %s", strerror(errno));
			return -errno;
		}
		if (ksqld_watchdog_tick(&wd, ksqld_now_ns()))
			ksqld_notify_watchdog();
		if (b_idx && (fds[b_idx].revents & POLLIN))
			ksqld_batch_woken(l->batch);
		if (l->batch)
			ksqld_batch_flush_stale(l->batch);
		if (ret <= 0)
			continue;
		if ((fds[0].revents & POLLIN) &&
		    read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			if (si.ssi_signo != SIGHUP) {
				log_info("%s received; shutting down",
					 si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
				return 0;
			}
			if (l->reload)
				l->reload(l->reload_ctx);
			else
				log_info("SIGHUP received; nothing to reload");
		}
		if (l->nl && fds[nl_idx].revents) {
			ret = ksqld_nl_process(l->nl);
			if (ret < 0)
				return ret;
		}
		if (l->ctl)
			ksqld_control_process(l->ctl, &fds[ctl_idx], nctl);
	}
}
