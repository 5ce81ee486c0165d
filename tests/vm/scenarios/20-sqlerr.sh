#!/bin/sh
# 20-sqlerr: SQL errors (syntax error, missing table, UNIQUE violation)
# return a negative errno with SQLite's code and message in the result;
# a second statement in one call is refused; the counters add up.
# shellcheck source=tests/vm/lib.sh
. /tests/vm/lib.sh

setup
daemon_start

sent0=$(counter sent)
done0=$(counter completed)
failed0=$(counter failed)

# 8 calls, 3 of them SQL errors (see check_sqlerr())
kcheck sqlerr
assert_eq "$(counter sent)" $((sent0 + 8)) "sent after sqlerr"
assert_eq "$(counter completed)" $((done0 + 8)) "completed after sqlerr"
assert_eq "$(counter failed)" $((failed0 + 3)) "failed after sqlerr"

kcheck multistmt

# the same from the exec path: rc, code and message reach user space
rc=$(kexec 10000 "SELECT FROM WHERE")
is_int "$rc" || fail "no rc from exec: $(cat "$KT/exec")"
assert_le "$rc" -1 "rc of a syntax error"
assert_contains "$(cat "$KT/exec")" "errcode=1
" "SQLite code of a syntax error"
assert_contains "$(sed -n 's/^errmsg=//p' "$KT/exec")" "syntax error" "message of a syntax error"

assert_eq "$(counter "in flight")" 0 "in flight after the errors"
kcheck simple
