# SPDX-License-Identifier: GPL-2.0
# The kernel's PCA954x I2C mux driver (drivers/i2c/muxes/i2c-mux-pca954x.c),
# which drives optic_sim's simulated mux chips (buses=N, docs/sim.md).
# Debian's kernel does not build it, so `make` builds it out of tree in
# build/mux/ from the linux-source package of the headers' series (extracted
# at build time, never committed). A kernel with its own
# (CONFIG_I2C_MUX_PCA954x, e.g. the debug kernel) or without I2C_MUX, or a
# series without its linux-source package, builds nothing here.
#
# The same rule extracts 6.1's file into build/pca954x/ for the
# optic-pca954x-dkms package (mk/deb.mk), whatever the headers here are; it
# is built there with debian/pca954x/{Kbuild,compat.h}, and
# `make check-compat` builds that tree against the 6.1 and 6.12 headers.

MUX_DIR := $(BUILD)/mux
MUX_FILE := drivers/i2c/muxes/i2c-mux-pca954x.c
MUX_TARBALL = /usr/src/linux-source-$(shell echo $(KVER) | cut -d. -f1-2).tar.xz
MUX_KCONFIG = $(KDIR)/include/config/auto.conf
PCA954X_DIR := $(BUILD)/pca954x
PCA954X_TARBALL := /usr/src/linux-source-6.1.tar.xz

.PHONY: mux pca954x-src check-compat-mux
all: mux

mux:
	@if grep -qs '^CONFIG_I2C_MUX_PCA954x=' $(MUX_KCONFIG); then \
		echo "mux: $(KDIR) has its own pca954x"; \
	elif ! grep -qs '^CONFIG_I2C_MUX=' $(MUX_KCONFIG); then \
		echo "mux: $(KDIR) has no I2C_MUX: no pca954x"; \
	elif [ ! -f $(MUX_TARBALL) ]; then \
		echo "mux: no $(MUX_TARBALL) (make deps): no pca954x"; \
	else \
		$(MAKE) --no-print-directory $(MUX_DIR)/i2c-mux-pca954x.c && \
		echo 'obj-m := i2c-mux-pca954x.o' >$(MUX_DIR)/Kbuild && \
		$(MAKE) -C $(KDIR) M=$(abspath $(MUX_DIR)) modules; \
	fi

pca954x-src: $(PCA954X_DIR)/i2c-mux-pca954x.c

$(MUX_DIR)/i2c-mux-pca954x.c: $(MUX_TARBALL)
$(PCA954X_DIR)/i2c-mux-pca954x.c: $(PCA954X_TARBALL)
$(MUX_DIR)/i2c-mux-pca954x.c $(PCA954X_DIR)/i2c-mux-pca954x.c:
	@mkdir -p $(@D)
	tar -xJOf $< --wildcards '*/$(MUX_FILE)' >$@.tmp
	mv $@.tmp $@

# optic-pca954x-dkms's tree built as DKMS builds it, W=1, warnings fail, for
# each headers directory that would build it (dkms.conf's
# BUILD_EXCLUSIVE_CONFIG): the host's and the 6.12 ones check-compat.sh
# fetched (OPTIC_COMPAT_SERIES).
COMPAT_SERIES = $(or $(OPTIC_COMPAT_SERIES),6.12)
COMPAT_KDIRS = $(KDIR) $(shell ls -d $(OPTIC_CACHE)/headers-$(COMPAT_SERIES)/root/usr/src/linux-headers-$(COMPAT_SERIES).*-amd64 \
	2>/dev/null | sort -V | tail -n 1)

check-compat-mux: pca954x-src
	@set -e; for kdir in $(COMPAT_KDIRS); do \
		conf=$$kdir/include/config/auto.conf; \
		rel=$$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $$kdir/include/generated/utsrelease.h); \
		if ! grep -q '^CONFIG_I2C_MUX=' $$conf || grep -q '^CONFIG_I2C_MUX_PCA954x=' $$conf; then \
			echo "ok $$rel: i2c-mux-pca954x not built (BUILD_EXCLUSIVE_CONFIG)"; continue; \
		fi; \
		src=$(PCA954X_DIR)/compat-$$rel; rm -rf $$src; mkdir -p $$src; \
		cp debian/pca954x/Kbuild debian/pca954x/compat.h $(PCA954X_DIR)/i2c-mux-pca954x.c $$src/; \
		if ! nice $(MAKE) -C $$kdir M=$(abspath $(PCA954X_DIR))/compat-$$rel W=1 \
		     CONFIG_DEBUG_INFO_BTF_MODULES= modules >$$src/build.log 2>&1; then \
			cat $$src/build.log; echo "FAIL $$rel: i2c-mux-pca954x build failed"; exit 1; \
		elif grep -q 'warning:' $$src/build.log; then \
			grep -B2 -A4 'warning:' $$src/build.log; echo "FAIL $$rel: i2c-mux-pca954x warnings"; exit 1; \
		fi; \
		echo "ok $$rel: 6.1's i2c-mux-pca954x.ko (optic-pca954x-dkms), W=1, no warnings"; \
	done
