# SPDX-License-Identifier: GPL-2.0
# The kernel's PCA954x I2C mux driver (drivers/i2c/muxes/i2c-mux-pca954x.c),
# which drives optic_sim's simulated mux chips (buses=N, docs/sim.md).
# Debian's kernel does not build it, so `make` builds it out of tree in
# build/mux/ from the linux-source package of the headers' series (extracted
# at build time, never committed). A kernel with its own
# (CONFIG_I2C_MUX_PCA954x, e.g. the debug kernel) or without I2C_MUX, or a
# series without its linux-source package, builds nothing here.

MUX_DIR := $(BUILD)/mux
MUX_FILE := drivers/i2c/muxes/i2c-mux-pca954x.c
MUX_TARBALL = /usr/src/linux-source-$(shell echo $(KVER) | cut -d. -f1-2).tar.xz
MUX_KCONFIG = $(KDIR)/include/config/auto.conf

.PHONY: mux
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
		$(MAKE) -C $(KDIR) M=$(abspath $(MUX_DIR)) modules; \
	fi

$(MUX_DIR)/i2c-mux-pca954x.c: $(MUX_TARBALL)
	@mkdir -p $(MUX_DIR)
	echo 'obj-m := i2c-mux-pca954x.o' >$(MUX_DIR)/Kbuild
	tar -xJOf $< --wildcards '*/$(MUX_FILE)' >$@.tmp
	mv $@.tmp $@
