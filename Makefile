# SPDX-License-Identifier: GPL-2.0
#
# mailslot top-level Makefile.
#
# Test-VM workflow (kernels, headers and harness come from tools/deps, cached
# in $(MAILSLOT_CACHE), default /var/cache/mailslot):
#   make module   [KERNEL=6.1|6.12|6.12-rt]  kmod -> build/$(KERNEL)/kmod/mailslot.ko
#   make selftests                           selftests/*/ -> build/selftests/<dir>/
#   make lib                                 $(MAKE) -C libmailslot (if it exists)
#   make check    [KERNEL=...]               all of the above, then one VM run of
#                                            tools/run-selftests (last line:
#                                            "N passed, M failed")
#   make check-debug                         make check on the debug kernel (built
#                                            once by tools/debug-kernel, cached)
#   make demo     [KERNEL=...]               libmailslot samples + raw demo in the VM
#   make bench    [KERNEL=...]               tools/bench in the VM: table in
#                                            build/bench/results.txt, plot in
#                                            build/bench/throughput.png
#   make fuzz-run [KERNEL=...]               syscall fuzzer in the VM, then libFuzzer on
#                                            the library (FUZZ_SECONDS each, FUZZ_SEED)
#   make lint                                checkpatch --strict, W=1 C=1 builds
#                                            against 6.1 and 6.12, no warnings allowed
#   make deps                                tools/deps (host packages + cache)
#   make clean
# W=, C=, V= are passed to kbuild.
#
# On a real machine, build in place against the running kernel (or KDIR=...):
#   make modules [KDIR=/lib/modules/$(uname -r)/build]   -> kmod/mailslot.ko
#   make modules_install / make modules_clean

KERNEL ?= 6.1
MAILSLOT_CACHE ?= /var/cache/mailslot
KDIR ?= /lib/modules/$(shell uname -r)/build

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build
KCACHE := $(MAILSLOT_CACHE)/kernels
KSRC := $(MAILSLOT_CACHE)/linux-source
KSFT_DIR := $(KSRC)/tools/testing/selftests
CHECKPATCH := $(KSRC)/scripts/checkpatch.pl
LINT_KERNELS := 6.1 6.12

SELFTEST_DIRS := $(patsubst %/Makefile,%,$(wildcard selftests/*/Makefile))
KMOD_SRCS := $(wildcard kmod/*.c kmod/*.h kmod/Kbuild)
UAPI_HDRS := $(wildcard uapi/linux/*.h)

export MAILSLOT_CACHE

.PHONY: all module modules modules_install modules_clean selftests lib lib-test check \
	check-debug \
	demo demo-build bench fuzz fuzz-run lint checkpatch lint-build module-lint-one deps clean \
	help

all: module selftests lib

help:
	@sed -n '3,/^$$/s/^# \{0,1\}//p' $(TOP)/Makefile

deps:
	$(TOP)/tools/deps

$(KCACHE)/%/.stamp:
	$(TOP)/tools/deps --kernel $* --no-source

# The debug kernel is built by the project (KASAN, lockdep, kmemleak, ...).
$(KCACHE)/debug/.stamp: $(TOP)/tools/debug-kernel.config
	$(TOP)/tools/debug-kernel

$(KSFT_DIR)/kselftest_harness.h $(CHECKPATCH):
	$(TOP)/tools/deps --kernel $(KERNEL)

# ---- module against a cached kernel ----------------------------------------
# Sources are copied (mtimes kept) into build/<kernel>/ so that two kernels
# never share object files.  $(1) = kernel name, $(2) = build dir.  A lock
# (<build dir>.lock) serialises concurrent builds of the same tree (several
# people or vm-run calls sharing one work tree).
define build_module
	mkdir -p $(2)/kmod $(2)/uapi && exec 9>$(2).lock && flock 9 && \
	cp -p $(TOP)/Kbuild $(2)/Kbuild && \
	cp -pR $(TOP)/kmod/. $(2)/kmod/ && \
	cp -pR $(TOP)/uapi/. $(2)/uapi/ && \
	$(MAKE) -C $(KCACHE)/$(1)/build M=$(2) modules
endef

module: $(KCACHE)/$(KERNEL)/.stamp
	@test -f kmod/Kbuild || { echo "kmod/Kbuild is missing" >&2; exit 1; }
	$(call build_module,$(KERNEL),$(BUILD)/$(KERNEL))

# ---- in-place build for real machines --------------------------------------
modules:
	$(MAKE) -C $(KDIR) M=$(TOP) modules

modules_install:
	$(MAKE) -C $(KDIR) M=$(TOP) modules_install

modules_clean:
	$(MAKE) -C $(KDIR) M=$(TOP) clean

# ---- selftests ---------------------------------------------------------------
# Each selftests/<dir>/Makefile includes lib.mk from KSFT_DIR and builds into
# OUTPUT.  The list of TEST_GEN_PROGS goes to build/selftests/<dir>/.tests,
# which tools/run-selftests runs.
selftests: $(KSFT_DIR)/kselftest_harness.h
	@set -e; mkdir -p $(BUILD)/selftests; exec 9>$(BUILD)/selftests.lock; flock 9; \
	for d in $(SELFTEST_DIRS); do \
		out=$(BUILD)/$$d; mkdir -p $$out; \
		$(MAKE) -C $(TOP)/$$d KSFT_DIR=$(KSFT_DIR) OUTPUT=$$out; \
		$(MAKE) -s --no-print-directory -C $(TOP)/$$d KSFT_DIR=$(KSFT_DIR) OUTPUT=$$out \
			--eval='mailslot-list-tests: ; @printf "%s\n" $$(notdir $$(TEST_GEN_PROGS))' \
			mailslot-list-tests >$$out/.tests.tmp; \
		mv $$out/.tests.tmp $$out/.tests; \
	done

lib:
	@if [ -f libmailslot/Makefile ]; then $(MAKE) -C $(TOP)/libmailslot O=$(BUILD)/libmailslot; \
	else echo "lib: no libmailslot/Makefile yet, skipped"; fi

# Library checks that need no kernel: names, UTF-16, the error table,
# headers in C99 and C++, exported symbols, install + pkg-config.
lib-test: lib
	$(MAKE) -C $(TOP)/libmailslot O=$(BUILD)/libmailslot test

# ---- VM runs -----------------------------------------------------------------
check: module selftests lib lib-test
	$(TOP)/tools/vm-run --kernel $(KERNEL) --tally -- $(TOP)/tools/run-selftests

# Every selftest on the project's debug kernel: vm-run fails the run on any
# KASAN, lockdep, UBSAN, kmemleak (scanned after rmmod), WARNING or BUG.
check-debug:
	$(MAKE) check KERNEL=debug

$(BUILD)/tools/mailslot-demo: tools/mailslot-demo.c $(UAPI_HDRS)
	mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall -Wextra -Werror -I$(TOP)/uapi -o $@ $<

demo-build: $(BUILD)/tools/mailslot-demo

demo: module demo-build lib
	$(TOP)/tools/vm-run --kernel $(KERNEL) -- $(TOP)/tools/demo

# ---- fuzzing -----------------------------------------------------------------
# msfuzz: random ioctl/read/write/poll/dup/fork sequences against the module
# from several processes, in the VM (kernel reports fail the run); libFuzzer
# (clang, ASan, UBSan) on the library's name parsing and UTF-16 code, on the
# host.  Bounded: FUZZ_SECONDS for the kernel run, LIBFUZZ_SECONDS for each
# of the three libFuzzer targets.
FUZZ_SECONDS ?= 60
LIBFUZZ_SECONDS ?= $(FUZZ_SECONDS)
FUZZ_SEED ?= 1

fuzz:
	$(MAKE) -C $(TOP)/tools/fuzz O=$(BUILD)/fuzz
	$(MAKE) -C $(TOP)/libmailslot/fuzz O=$(BUILD)/fuzz/lib

fuzz-run: fuzz module
	$(TOP)/tools/vm-run --kernel $(KERNEL) --timeout 900 -- \
		$(BUILD)/fuzz/msfuzz --seconds $(FUZZ_SECONDS) --seed $(FUZZ_SEED) $(FUZZ_ARGS)
	$(MAKE) -C $(TOP)/libmailslot/fuzz O=$(BUILD)/fuzz/lib regress
	$(MAKE) -C $(TOP)/libmailslot/fuzz O=$(BUILD)/fuzz/lib run TIME=$(LIBFUZZ_SECONDS)

# ---- benchmark ---------------------------------------------------------------
# Every mechanism side by side in one VM boot; figures in build/bench/.
bench: module
	$(TOP)/tools/deps --kernel $(KERNEL) --no-source
	$(TOP)/tools/bench/run --kernel $(KERNEL)

# ---- lint --------------------------------------------------------------------
# checkpatch: no ignored types.  Module builds: fresh trees under
# build/lint-<kernel>/ with W=1 C=1 (sparse); any "warning:"/"error:" line
# in the log (gcc or sparse) fails.
lint: checkpatch lint-build

checkpatch: $(CHECKPATCH)
	perl $(CHECKPATCH) --strict --no-tree --quiet --show-types --color=never -f \
		$(wildcard kmod/*.c kmod/*.h) $(UAPI_HDRS)

lint-build: $(addprefix $(KCACHE)/,$(addsuffix /.stamp,$(LINT_KERNELS)))
	@set -e; bad=0; for k in $(LINT_KERNELS); do \
		d=$(BUILD)/lint-$$k; rm -rf $$d; mkdir -p $(BUILD); \
		echo "lint: W=1 C=1 module build against $$k"; \
		$(MAKE) --no-print-directory module-lint-one MAILSLOT_LK=$$k MAILSLOT_LOUT=$$d >$$d.log 2>&1 || \
			{ cat $$d.log; echo "lint: module build against $$k FAILED"; bad=1; continue; }; \
		if grep -E 'warning:|error:|sparse: ' $$d.log; then \
			echo "lint: warnings in the $$k build (full log: $$d.log)"; bad=1; \
		fi; \
	done; exit $$bad

module-lint-one:
	$(call build_module,$(MAILSLOT_LK),$(MAILSLOT_LOUT)) W=1 C=1

clean:
	rm -rf $(BUILD)
	rm -f kmod/*.o kmod/*.ko kmod/*.mod kmod/*.mod.c kmod/.*.cmd kmod/modules.order \
		*.o .*.cmd Module.symvers modules.order kmod/Module.symvers
	@if [ -f libmailslot/Makefile ]; then $(MAKE) -C $(TOP)/libmailslot O=$(BUILD)/libmailslot clean; fi
