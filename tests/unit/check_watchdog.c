// SPDX-License-Identifier: GPL-2.0-only
/*
 * check_watchdog.c - WATCHDOG=1 follows the SQLite writer's progress: the
 * decision and the main loop's ticks driven by a fake clock. A writer stuck
 * in one job past the interval stops the pings; an idle writer, or one that
 * keeps finishing jobs, keeps them going.
 */
#include "log.h"
#include "watchdog.h"
#include "testutil.h"

#define SEC 1000000000ull
#define INTERVAL (10 * SEC)

START_TEST(decision)
{
	uint64_t stuck = 1;

	/* Idle: healthy however old the stamp. */
	ck_assert(ksqld_watchdog_writer_ok(1000 * SEC, INTERVAL, 1 * SEC, true, &stuck));
	ck_assert_uint_eq(stuck, 0);
	/* Busy since less than the interval: healthy. */
	ck_assert(ksqld_watchdog_writer_ok(100 * SEC, INTERVAL, 91 * SEC, false, &stuck));
	ck_assert_uint_eq(stuck, 9 * SEC);
	/* Busy for the whole interval or longer: not. */
	ck_assert(!ksqld_watchdog_writer_ok(100 * SEC, INTERVAL, 90 * SEC, false, &stuck));
	ck_assert_uint_eq(stuck, 10 * SEC);
	ck_assert(!ksqld_watchdog_writer_ok(500 * SEC, INTERVAL, 90 * SEC, false, NULL));
	/* A stamp a little ahead of "now" (another thread read the clock later) is fresh. */
	ck_assert(ksqld_watchdog_writer_ok(100 * SEC, INTERVAL, 100 * SEC + 5, false, &stuck));
	ck_assert_uint_eq(stuck, 0);
}
END_TEST

START_TEST(heartbeat_word)
{
	struct ksqld_heartbeat hb;
	uint64_t beat;
	bool idle;

	ksqld_heartbeat_idle(&hb, 123456789012345ull);
	ksqld_heartbeat_read(&hb, &beat, &idle);
	ck_assert_uint_eq(beat, 123456789012345ull);
	ck_assert(idle);
	ksqld_heartbeat_busy(&hb, 123456789012399ull);
	ksqld_heartbeat_read(&hb, &beat, &idle);
	ck_assert_uint_eq(beat, 123456789012399ull);
	ck_assert(!idle);
}
END_TEST

/* Ticks every quarter interval from t0 to t1; returns how many pings went out. */
static unsigned int run(struct ksqld_watchdog *wd, uint64_t t0, uint64_t t1,
			struct ksqld_heartbeat *hb, bool jobs)
{
	unsigned int pings = 0;
	uint64_t t;

	for (t = t0; t <= t1; t += INTERVAL / 4) {
		int ms = ksqld_watchdog_poll_ms(wd, t);

		/* The loop never sleeps past a quarter interval. */
		ck_assert_int_ge(ms, 0);
		ck_assert_int_le(ms, (int)(INTERVAL / 4 / 1000000u));
		if (jobs)
			ksqld_heartbeat_busy(hb, t);	/* one job finished, the next begins */
		if (ksqld_watchdog_tick(wd, t))
			pings++;
	}
	return pings;
}

START_TEST(stuck_writer_stops_pings)
{
	struct ksqld_heartbeat hb;
	struct ksqld_watchdog wd;
	uint64_t t0 = 1000 * SEC;

	ksqld_heartbeat_busy(&hb, t0);	/* takes a job at t0 and never comes back */
	ksqld_watchdog_init(&wd, INTERVAL, &hb, t0);
	/* While the job is younger than the interval, pings go on (at once, then every half). */
	ck_assert(ksqld_watchdog_tick(&wd, t0));
	ck_assert(!ksqld_watchdog_tick(&wd, t0 + INTERVAL / 4));
	ck_assert(ksqld_watchdog_tick(&wd, t0 + INTERVAL / 2));
	ck_assert(!ksqld_watchdog_tick(&wd, t0 + INTERVAL / 2 + INTERVAL / 4));
	/* Past the interval: no ping any more, however often the loop wakes. */
	ck_assert_uint_eq(run(&wd, t0 + INTERVAL, t0 + 10 * INTERVAL, &hb, false), 0);
	ck_assert(wd.withheld);
	/* It finally goes idle: pings resume at the next tick. */
	ksqld_heartbeat_idle(&hb, t0 + 10 * INTERVAL);
	ck_assert(ksqld_watchdog_tick(&wd, t0 + 10 * INTERVAL + 1));
	ck_assert(!wd.withheld);
}
END_TEST

START_TEST(idle_writer_keeps_pings)
{
	struct ksqld_heartbeat hb;
	struct ksqld_watchdog wd;
	uint64_t t0 = 5 * SEC;

	ksqld_heartbeat_idle(&hb, t0);	/* waits for work from t0 on */
	ksqld_watchdog_init(&wd, INTERVAL, &hb, t0);
	/* 100 intervals: a ping every half interval, the first at once. */
	ck_assert_uint_eq(run(&wd, t0, t0 + 100 * INTERVAL, &hb, false), 201);
	ck_assert(!wd.withheld);
}
END_TEST

START_TEST(busy_writer_finishing_jobs_keeps_pings)
{
	struct ksqld_heartbeat hb;
	struct ksqld_watchdog wd;
	uint64_t t0 = 0;	/* the clock's very start: no wrap-around trouble */

	ksqld_heartbeat_busy(&hb, t0);
	ksqld_watchdog_init(&wd, INTERVAL, &hb, t0);
	ck_assert_uint_eq(run(&wd, t0, t0 + 100 * INTERVAL, &hb, true), 201);
	ck_assert(!wd.withheld);
}
END_TEST

START_TEST(no_watchdog)
{
	struct ksqld_watchdog wd;

	ksqld_watchdog_init(&wd, 0, NULL, 77 * SEC);
	ck_assert_int_eq(ksqld_watchdog_poll_ms(&wd, 78 * SEC), -1);
	ck_assert(!ksqld_watchdog_tick(&wd, 1000 * SEC));
	/* Without a writer to watch (tests, tools), pings follow the clock alone. */
	ksqld_watchdog_init(&wd, INTERVAL, NULL, 77 * SEC);
	ck_assert(ksqld_watchdog_tick(&wd, 77 * SEC));
	ck_assert(ksqld_watchdog_tick(&wd, 77 * SEC + INTERVAL / 2));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("watchdog");
	const struct test_case cases[] = {
		{ "ksqld_watchdog_writer_ok", decision },
		{ "ksqld_heartbeat", heartbeat_word },
		{ "stuck writer", stuck_writer_stops_pings },
		{ "idle writer", idle_writer_keeps_pings },
		{ "busy writer finishing jobs", busy_writer_finishing_jobs_keeps_pings },
		{ "no watchdog", no_watchdog },
	};

	ksqld_log_init(false);
	add_cases(s, cases, ARRAY_LEN(cases), NULL, NULL);
	return run_suite(s);
}
