# SPDX-License-Identifier: GPL-2.0
# The daemon soak (issue 10; docs/reliability.md): `make soak` boots the VM
# once with SOAK_PORTS simulated modules (default 512) for SOAK_SECONDS of
# real time (default 1200) standing for a simulated week, drives random
# plugs, faults and excursions (tests/vm/vm-soak.c, seeded by SOAK_SEED)
# under opticd, and checks no crash, bounded RSS and no missed event. Prints
# "SOAK key value" lines and writes build/soak/results.json. A quick smoke:
# SOAK_PORTS=16 SOAK_SECONDS=120 make soak. Not part of `make check`.

SOAK_VM_TOOLS := $(BUILD)/tests/vm-soak

.PHONY: soak soak-build
soak-build: all $(SOAK_VM_TOOLS)

soak: soak-build
	tests/vm/soak/run

$(BUILD)/tests/vm-soak: tests/vm/vm-soak.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< -lm
