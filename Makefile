# ksql - top-level entry points. Run as root on Debian 12:
#   make          install build dependencies if missing, build user space
#   make check    unit tests + 10 s of each fuzz target + the system test below
#                 + the QEMU suite on Debian's 6.1, 6.12, 6.12-rt kernels and
#                 the debug kernel below
#   make fuzz     the libFuzzer targets (tests/fuzz, built with clang in
#                 build-fuzz/), FUZZ_SECONDS (60) each (docs/FUZZING.md)
#   make check-system  a real Debian 12 (systemd as PID 1) in QEMU: the packages
#                 installed with apt, DKMS, ksqld.service (tools/vm/run-system)
#   make check-debug  the QEMU suite on a 6.12 debug kernel (KASAN, lockdep,
#                 kmemleak, ...) built once from linux-source-6.12 and cached
#   make soak     the chaos soak (tests/vm/scenarios/97-soak.sh) alone for
#                 DURATION seconds (default 900) on KERNEL (default 6.12);
#                 docs/SOAK.md
#   make demo     boot the 6.12 kernel in QEMU and run the demo
#   make bench    benchmarks B1-B5 in QEMU side by side, then the host one;
#                 prints one table, also written to build/bench.txt
#   make deb      Debian packages (ksql-dkms, ksqld, libksql1, libksql-dev)
#                 in build/deb/, checked with lintian (tools/build-deb)
#   make clean    remove build/ and build-fuzz/
SHELL := /bin/bash
BUILD := build

.PHONY: all build bootstrap check check-debug check-system soak demo bench deb fuzz clean help

DURATION ?= 900
KERNEL ?= 6.12

all: build

help:
	@sed -n '2,20p' Makefile | sed 's/^# \{0,1\}//'

bootstrap:
	@tools/bootstrap

build: bootstrap
	@if [ ! -f $(BUILD)/build.ninja ]; then meson setup $(BUILD); fi
	ninja -C $(BUILD)

check: build
	tools/check

# The debug kernel's suite (two VMs at once, as in make check) and the unit
# tests; the summary
# ends with "N passed, N failed" like make check's.
check-debug: build
	tools/check --no-system --no-fuzz --kernel debug

# The system test alone (tests/system/README.md): builds the packages and
# the cached Debian root filesystem itself; same summary line.
check-system: bootstrap
	@mkdir -p $(BUILD)
	tools/vm/run-system 2>&1 | tee $(BUILD)/vm-check-system.log; \
		tools/check-summary $(BUILD)/vm-check-system.log

# The soak's scenario alone, for DURATION seconds; its limits grow with it
# (the final verification of a long run takes minutes under TCG).
soak: build
	@mkdir -p $(BUILD)
	tools/vm/run --no-build --kernel $(KERNEL) --only 97-soak --no-powerloss \
		--append ksqlvm.soak=$(DURATION) --scenario-timeout $$(($(DURATION) * 2 + 600)) \
		--timeout $$(($(DURATION) * 2 + 1200)) 2>&1 | tee $(BUILD)/vm-soak.log; \
		grep -a 'KSQL-SOAK ' $(BUILD)/vm-soak.log; \
		tools/check-summary $(BUILD)/vm-soak.log

demo: build
	tools/vm/run --no-build --demo --kernel 6.12

bench: build
	tools/bench

deb:
	tools/build-deb

# One target after the other (they share the machine); new inputs are kept
# in build-fuzz/corpus/, crashing ones in build-fuzz/artifacts/.
FUZZ_SECONDS ?= 60
fuzz: bootstrap
	tools/fuzz --seconds $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) build-fuzz
