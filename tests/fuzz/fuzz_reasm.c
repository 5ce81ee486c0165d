// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz_reasm.c - libksql's RESULT reassembly and reply accessors
 * (lib/src/result_reasm.c, reply.c, value.c): fuzz_reassemble() on the input.
 */
#include <ksql/client.h>
#include "fuzz_reassemble.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ksql_reply *rep = fuzz_reassemble(data, size);

	if (rep)
		ksql_reply_free(rep);
	return 0;
}
