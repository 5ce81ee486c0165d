#!/bin/bash
# sys-journal: ksqld's events reach the journal as structured entries that
# an administrator can search by field (ksqld(8), JOURNAL):
#  - "registered" (MESSAGE_ID 103fa674...) of this boot, from
#    ksqld.service, priority info, KSQL_FAMILY_ID= the family of STATUS=;
#  - a row too big for any batch (-E2BIG) becomes a gap, and
#    "journalctl MESSAGE_ID=2fee11b3... KSQL_TABLE=sysjrnl" finds its entry:
#    priority warning, KSQL_GAP_REASON=too_big, KSQL_GAP_FIRST and _LAST
#    both the lost row's sequence (4);
#  - a trigger that refuses every insert makes ksqld refuse the batch:
#    "journalctl MESSAGE_ID=71093637... KSQL_TABLE=sysjrnl" finds it, with
#    SQLITE_CODE=1811 (SQLITE_CONSTRAINT_TRIGGER) and KSQL_ERRNO; once the
#    trigger is dropped the rows are committed (no row lost);
#  - "journalctl -u ksqld KSQL_TABLE=sysjrnl" (the form README.md gives)
#    lists those entries and nothing of another table.
# shellcheck source=tests/system/lib.sh
. "$PAYLOAD/lib.sh"

T=sysjrnl
ID_REGISTERED=103fa6749f894cceb012d2efb850363b
ID_GAP=2fee11b3d3244e5d81cc6a86cdf0c106
ID_REFUSED=71093637c186438c9377fb700d29528b
SQLITE_CONSTRAINT_TRIGGER=1811

cleanup() {
	[[ -e $KT/exec ]] && echo "5000 DROP TRIGGER IF EXISTS ${T}_block" >"$KT/exec" 2>/dev/null
}
trap cleanup EXIT

# field NAME ENTRIES: the value of NAME= in journalctl -o verbose output
field() {
	sed -n "s/^ *$1=//p" <<<"$2" | head -n 1
}

# entries ARGS...: this boot's entries matching ARGS, verbose
entries() {
	journalctl --no-pager -q -b -o verbose "$@"
}

wait_running 60000 "before the test"
ktest_load

# --- registered -----------------------------------------------------------
reg=$(entries MESSAGE_ID=$ID_REGISTERED _SYSTEMD_UNIT=ksqld.service)
[[ -n $reg ]] || fail "no 'registered' entry (MESSAGE_ID=$ID_REGISTERED) of ksqld.service in this boot's journal"
reg=$(entries MESSAGE_ID=$ID_REGISTERED _SYSTEMD_UNIT=ksqld.service -n 1)
fam=$(prop StatusText | sed -n 's/.*(family \([0-9]*\)).*/\1/p')
is_int "$fam" || fail "no family id in ksqld's STATUS=: $(prop StatusText)"
assert_eq "$(field KSQL_FAMILY_ID "$reg")" "$fam" "KSQL_FAMILY_ID of the 'registered' entry"
assert_eq "$(field PRIORITY "$reg")" 6 "priority of the 'registered' entry"
assert_eq "$(field SYSLOG_IDENTIFIER "$reg")" ksqld "SYSLOG_IDENTIFIER of the 'registered' entry"
log "registered: $(field MESSAGE "$reg") (KSQL_FAMILY_ID=$fam)"

# --- a gap --------------------------------------------------------------
klog "open $T"
klog "log 3"
if echo big >"$KT/log" 2>/dev/null; then
	fail "the too-big row was accepted"
fi
assert_eq "$(klog_field big_rc)" -7 "ksql_log() of the too-big row (-E2BIG)"
klog "log 3"
klog "flush 20000"
gap_logged() {
	[[ -n $(entries MESSAGE_ID=$ID_GAP KSQL_TABLE=$T) ]]
}
wait_until 10000 "the gap entry of table $T in the journal" gap_logged
gap=$(entries MESSAGE_ID=$ID_GAP KSQL_TABLE=$T)
assert_eq "$(field KSQL_GAP_REASON "$gap")" too_big "KSQL_GAP_REASON"
assert_eq "$(field KSQL_GAP_FIRST "$gap")" 4 "KSQL_GAP_FIRST"
assert_eq "$(field KSQL_GAP_LAST "$gap")" 4 "KSQL_GAP_LAST"
assert_eq "$(field PRIORITY "$gap")" 4 "priority of the gap entry"
log "gap: $(field MESSAGE "$gap")"

# --- a refused batch ------------------------------------------------------
kexec_ok 10000 "CREATE TRIGGER ${T}_block BEFORE INSERT ON $T BEGIN SELECT RAISE(ABORT, 'blocked by sys-journal'); END" ""
klog "log 5"
refused_logged() {
	[[ -n $(entries MESSAGE_ID=$ID_REFUSED KSQL_TABLE=$T) ]]
}
wait_until 20000 "the refused-batch entry of table $T in the journal" refused_logged
ref=$(entries MESSAGE_ID=$ID_REFUSED KSQL_TABLE=$T -n 1)
assert_eq "$(field SQLITE_CODE "$ref")" $SQLITE_CONSTRAINT_TRIGGER "SQLITE_CODE of the refused batch"
is_int "$(field KSQL_ERRNO "$ref")" || fail "no KSQL_ERRNO in the refused-batch entry: $ref"
assert_eq "$(field PRIORITY "$ref")" 4 "priority of the refused-batch entry"
log "refused: $(field MESSAGE "$ref")"
kexec_ok 10000 "DROP TRIGGER ${T}_block" ""
klog "flush 30000"
assert_eq "$(db_count "SELECT COUNT(*) FROM $T")" 11 "rows of $T once the trigger is gone (3 + 3 + 5)"

# --- the administrator's form ----------------------------------------------
byunit=$(journalctl --no-pager -q -b -u ksqld.service KSQL_TABLE=$T -o cat)
assert_contains "$byunit" "$(field MESSAGE "$gap")" "journalctl -u ksqld KSQL_TABLE=$T"
assert_contains "$byunit" "$(field MESSAGE "$ref")" "journalctl -u ksqld KSQL_TABLE=$T"
other=$(journalctl --no-pager -q -b -u ksqld.service KSQL_TABLE=$T -o verbose | sed -n 's/^ *KSQL_TABLE=//p' | sort -u)
assert_eq "$other" "$T" "tables of the entries journalctl -u ksqld KSQL_TABLE=$T lists"
log "journalctl -u ksqld KSQL_TABLE=$T: $(wc -l <<<"$byunit") entries"
klog close
