// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_ksqlctl.c - ksqlctl's output of a query result: RESULT chunks
 * reassembled (fuzz_reassemble) and printed by "ksqlctl query"'s own code
 * (tools/ksqlctl/query.c is included for its static print_reply()) in both
 * modes, the bordered table and JSON. ksqlctl has no CSV mode. The printed
 * text goes to stdout (tools/fuzz sends it to /dev/null): what is checked
 * is the memory safety of the formatting (value text, escaping, widths).
 */
#include "../../tools/ksqlctl/query.c"
#include "fuzz_reassemble.h"

/* main.c's, which the fuzzer does not link. */
void ctl_err(const char *fmt, ...)
{
}

bool ctl_wants_help(int argc, char **argv)
{
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ksql_reply *rep = fuzz_reassemble(data, size);

	if (!rep)
		return 0;
	out_init(stdout, false);
	print_reply(rep);
	out_init(stdout, true);
	print_reply(rep);
	fflush(stdout);
	ksql_reply_free(rep);
	return 0;
}
