#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# test-msgid-docs.sh SRCDIR: every MESSAGE_ID of daemon/msgid.h is explained
# in the journal catalog and in ksqld(8), and nothing else is; journalctl
# (when present) parses the catalog.
set -eu
src=$1
ids=$(sed -n 's/^#define KSQLD_MSGID_[A-Z_]*[[:space:]]*"\([0-9a-f]\{32\}\)".*/\1/p' "$src/daemon/msgid.h" | sort)
[ "$(echo "$ids" | wc -l)" -ge 6 ] || { echo "msgid.h: expected at least 6 ids, found: $ids"; exit 1; }
cat_ids=$(sed -n 's/^-- \([0-9a-f]\{32\}\)$/\1/p' "$src/daemon/systemd/ksql.catalog" | sort)
man_ids=$(sed -n '/^\.SH JOURNAL/,/^\.SH /s/^\.B \([0-9a-f]\{32\}\)$/\1/p' "$src/daemon/ksqld.8" | sort)
[ "$ids" = "$cat_ids" ] || { printf 'msgid.h and ksql.catalog differ:\n%s\n--\n%s\n' "$ids" "$cat_ids"; exit 1; }
[ "$ids" = "$man_ids" ] || { printf 'msgid.h and ksqld.8 (JOURNAL) differ:\n%s\n--\n%s\n' "$ids" "$man_ids"; exit 1; }
if command -v journalctl >/dev/null 2>&1; then
	root=$(mktemp -d)
	trap 'rm -rf "$root"' EXIT
	mkdir -p "$root/usr/lib/systemd/catalog"
	cp "$src/daemon/systemd/ksql.catalog" "$root/usr/lib/systemd/catalog/"
	journalctl --root="$root" --update-catalog
	listed=$(journalctl --root="$root" --list-catalog | awk '{ print $1 }' | sort)
	[ "$ids" = "$listed" ] || { printf 'journalctl lists other ids:\n%s\n' "$listed"; exit 1; }
fi
echo "msgid.h, ksql.catalog and ksqld.8 agree on $(echo "$ids" | wc -l) ids"
