# SPDX-License-Identifier: GPL-2.0
#
# optic: top-level build. `make help` lists the targets.

VERSION := 0.1.0

KDIR ?= $(shell scripts/kdir.sh)
KVER = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
OPTIC_CACHE ?= /var/cache/optic-dev
export OPTIC_CACHE

BUILD := build
CC ?= cc
PKGS := libnl-genl-3.0 libnl-3.0 libsystemd libkmod json-c inih libmicrohttpd \
	yaml-0.1 gnutls libcrypt
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
	  -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
	  -D_GNU_SOURCE -DOPTIC_VERSION='"$(VERSION)"' \
	  -Iinclude/uapi -Ilib $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
	  $(CPPFLAGS) $(CFLAGS)
LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
OPTICCTL_SRCS := $(wildcard tools/opticctl/*.c)
OPTICCTL_OBJS := $(OPTICCTL_SRCS:%.c=$(BUILD)/%.o)
DAEMON_SRCS := $(filter-out daemon/main.c,$(wildcard daemon/*.c))
DAEMON_OBJS := $(DAEMON_SRCS:%.c=$(BUILD)/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

VM_TOOLS := $(BUILD)/tests/vm-nl $(BUILD)/tests/vm-nlfuzz
PROGS := $(BUILD)/opticctl $(if $(wildcard daemon/main.c),$(BUILD)/opticd)
UNIT_LIBS := $(if $(DAEMON_SRCS),$(BUILD)/libopticd.a) $(BUILD)/liboptic.a

.PHONY: all modules userspace deps demo check check-unit check-vm style \
	checkpatch sparse check-compat vm-shell install uninstall clean help
all: modules userspace $(VM_TOOLS)

help:
	@echo 'make            build kernel modules and userspace'
	@echo 'make deps       install every Debian package needed (idempotent)'
	@echo 'make demo       build, boot the VM with simulated modules, show opticctl'
	@echo 'make check      every test: unit, VM scenarios, style'
	@echo 'make check-unit cmocka unit tests'
	@echo 'make check-vm   VM scenarios (tests/vm/run FILE... runs chosen ones)'
	@echo 'make style      checkpatch.pl --strict and sparse over driver/'
	@echo 'make check-compat  build the modules (and pca954x) against the 6.1 and 6.12 headers (W=1)'
	@echo 'make vm-shell   a shell in the VM with the modules loaded'
	@echo 'make install    install modules and programs on this host'
	@echo 'make deb        Debian packages in build/deb/ (lintian-clean)'
	@echo 'make check-install  install the .debs in a booted Debian 12 VM and check them'
	@echo 'make check-asan unit tests under ASan and UBSan'
	@echo 'make check-fuzz each libFuzzer target briefly (make fuzz: FUZZ_SECONDS each)'
	@echo 'make check-prometheus  promtool over the rules, configs, rule tests and exposition'
	@echo 'make check-debug  every VM scenario on a KASAN/lockdep/kmemleak kernel'
	@echo 'make bench      benchmarks; figures in bench/results.json'

deps:
	@scripts/deps.sh

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/driver W=1 modules

userspace: $(PROGS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/liboptic.a: $(LIB_OBJS)
	$(AR) rcs $@ $^

$(BUILD)/opticctl: $(OPTICCTL_OBJS) $(BUILD)/liboptic.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/vm-%: tests/vm/vm-%.c include/uapi/linux/optic.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $<

$(BUILD)/libopticd.a: $(DAEMON_OBJS)
	$(AR) rcs $@ $^

$(BUILD)/opticd: $(BUILD)/daemon/main.o $(BUILD)/libopticd.a $(BUILD)/liboptic.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(UNIT_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Idaemon -o $@ $< $(UNIT_LIBS) $(LDLIBS) -lcmocka

-include $(LIB_OBJS:.o=.d) $(OPTICCTL_OBJS:.o=.d) $(DAEMON_OBJS:.o=.d)

demo: deps all
	tests/vm/run --demo tests/vm/demo.sh

check: deps
	$(MAKE) all
	$(MAKE) check-unit
	$(MAKE) check-asan
	$(MAKE) check-fuzz
	$(MAKE) check-prometheus
	$(MAKE) style
	$(MAKE) check-compat
	$(MAKE) check-vm

check-unit: $(UNIT_BINS)
	@tests/unit/run $(UNIT_BINS)

check-vm: all
	tests/vm/run tests/vm/scenarios/*.sh

vm-shell: all
	tests/vm/run --shell

style: checkpatch sparse

# Then the packaged i2c-mux-pca954x against the same headers (mk/mux.mk).
check-compat:
	@scripts/check-compat.sh
	@$(MAKE) --no-print-directory check-compat-mux

checkpatch:
	@scripts/checkpatch.sh driver

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/driver C=2 CF=-D__CHECK_ENDIAN__ W=1 modules 2>&1 | \
		tee $(BUILD)/sparse.log; \
	! grep -E 'warning:|error:' $(BUILD)/sparse.log

install: all install-files
	$(MAKE) -C $(KDIR) M=$(CURDIR)/driver INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(KVER) 2>/dev/null || true

uninstall: uninstall-files
	rm -f $(DESTDIR)/lib/modules/$(KVER)/updates/optic.ko \
	      $(DESTDIR)/lib/modules/$(KVER)/updates/sim/optic_sim.ko

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/driver clean
	rm -rf $(BUILD)

# Feature fragments (packaging, benchmarks, fuzzing, debug kernel) live in mk/.
include $(wildcard mk/*.mk)
