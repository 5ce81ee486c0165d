#!/bin/bash
# sys-install-start: right after the installation, without a reboot, the
# packages have set the system up: user and group ksql exist, ksqld.service
# is enabled and active (running), ksql.ko is loaded and ksqld registered.
# shellcheck source=tests/system/lib.sh
. "$PAYLOAD/lib.sh"

getent group ksql >/dev/null || fail "no group ksql after the installation"
getent passwd ksql >/dev/null || fail "no user ksql after the installation"
assert_eq "$(systemctl is-enabled ksqld.service 2>&1)" enabled "systemctl is-enabled ksqld"
wait_until 120000 "ksql.ko to be loaded after the installation" module_loaded ksql
wait_running 120000 "after the installation"
log "$(show_unit)"
[[ -x /usr/bin/ksqlctl ]] || fail "no /usr/bin/ksqlctl (a plain user's PATH has no /usr/sbin)"
[[ -x /usr/sbin/ksqld ]] || fail "no /usr/sbin/ksqld"
[[ -f $KSQL_CONF ]] || fail "no $KSQL_CONF"
