# ksql - top-level entry points. Run as root on Debian 12:
#   make          install build dependencies if missing, build user space
#   make check    unit tests + the QEMU suite on Debian's 6.1, 6.12 and 6.12-rt kernels
#   make demo     boot the 6.12 kernel in QEMU and run the demo
#   make clean    remove build/
SHELL := /bin/bash
BUILD := build

.PHONY: all build bootstrap check demo clean help

all: build

help:
	@sed -n '2,5p' Makefile | sed 's/^# \{0,1\}//'

bootstrap:
	@tools/bootstrap

build: bootstrap
	@if [ ! -f $(BUILD)/build.ninja ]; then meson setup $(BUILD); fi
	ninja -C $(BUILD)

check: build
	tools/check

demo: build
	tools/vm/run --no-build --demo --kernel 6.12

clean:
	rm -rf $(BUILD)
