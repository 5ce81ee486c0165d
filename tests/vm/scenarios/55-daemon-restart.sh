#!/bin/sh
# 55-daemon-restart: the daemon is killed and restarted several times;
# each new daemon is registered by the same module instance (daemon
# connects counts every one) and serves calls, and in between calls fail
# fast with -ENOTCONN.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

setup
conn0=$(counter "daemon connects")
i=1
while [ $i -le 3 ]; do
	daemon_start
	kcheck simple
	kexec_ok 10000 "SELECT $i AS round" "INT $i"
	daemon_kill KILL
	wait_until 5000 "the module to see daemon $i gone" daemon_disconnected
	kcheck notconn 10000
	i=$((i + 1))
done
assert_eq "$(counter "daemon connects")" $((conn0 + 3)) "daemon connects after 3 starts"
assert_eq "$(counter "in flight")" 0 "in flight"
