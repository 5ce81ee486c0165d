// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_param.c - ksqlctl's command-line parameters (ctl_parse_param in
 * tools/ksqlctl/format.c) and their text form (ctl_value_text). The input,
 * cut at its first NUL, is one argument. What ksqlctl prints for an
 * INTEGER, a finite REAL or a BLOB must read back, given as a parameter,
 * as the same value: the table's cells can be pasted into the next query.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ksqlctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ksql_value v, w;
	void *storage = NULL, *storage2 = NULL;
	char *arg = malloc(size + 1), *text;

	if (!arg)
		abort();
	memcpy(arg, data, size);
	arg[size] = '\0';
	if (ctl_parse_param(arg, &v, &storage) == 0) {
		text = ctl_value_text(&v);
		if (!text)
			abort();
		if ((v.type == KSQL_INT || v.type == KSQL_BLOB ||
		     (v.type == KSQL_REAL && isfinite(ctl_real_from_bits(v.real)))) &&
		    ctl_parse_param(text, &w, &storage2) == 0) {
			if (w.type != v.type)
				abort();
			if (v.type == KSQL_INT && w.i != v.i)
				abort();
			if (v.type == KSQL_REAL && w.real != v.real)
				abort();
			if (v.type == KSQL_BLOB &&
			    (w.len != v.len || (v.len && memcmp(w.blob, v.blob, v.len))))
				abort();
		}
		free(storage2);
		free(text);
	}
	free(storage);
	free(arg);
	return 0;
}
