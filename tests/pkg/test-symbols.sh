#!/bin/bash
# test-symbols.sh - libksql's ABI is written down once, in
# lib/src/libksql.sym: debian/libksql1.symbols must be what tools/gen-symbols
# makes of it, and the built libksql.so must export exactly its symbols (GNU
# ld silently drops a name of the version script that no code defines).
# Usage: test-symbols.sh BUILT_LIBKSQL_SO
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
lib=$1
failed=0

if ! "$top/tools/gen-symbols" --check; then
	echo "FAIL: debian/libksql1.symbols is stale (run: tools/gen-symbols)"
	failed=1
fi

# "name@NODE" as the library exports them (nm -D: name@@NODE for the
# default version, a node's own symbol bare), and as
# debian/libksql1.symbols lists them.
exported=$(nm -D --defined-only "$lib" |
	awk '{ if ($3 ~ /@/) sub(/@@?/, "@", $3); else $3 = $3 "@" $3; print $3 }' | LC_ALL=C sort)
listed=$(sed -n 's/^ \([^ ]*@[^ ]*\) .*/\1/p' "$top/debian/libksql1.symbols" | LC_ALL=C sort)
if [[ $exported != "$listed" ]]; then
	echo "FAIL: $lib exports other symbols than lib/src/libksql.sym lists:"
	diff <(echo "$listed") <(echo "$exported") | sed -n 's/^</  listed, not exported:/p; s/^>/  exported, not listed:/p'
	failed=1
fi

[[ $failed -eq 0 ]] && echo "ok: $(echo "$listed" | wc -l) symbols agree in libksql.sym, debian/libksql1.symbols and $lib"
exit $failed
