# SPDX-License-Identifier: GPL-2.0
# Benchmarks (docs/performance.md): `make bench` boots the VM once per
# tests/vm/bench/*.sh (bus cost per health poll, 512 modules, event latency),
# measures userspace decode + policy cost with callgrind on the host, prints a
# table and writes bench/results.json. BENCH_ONLY="10-bus 20-scale" runs
# chosen VM scripts; BENCH_VM=0 skips the VM.

BENCH_VM_TOOLS := $(BUILD)/tests/vm-bench-poll
BENCH_HOST_TOOLS := $(BUILD)/bench/bench-decode

.PHONY: bench bench-build
bench-build: all $(BENCH_VM_TOOLS) $(BENCH_HOST_TOOLS)

bench: bench-build
	bench/run

$(BUILD)/tests/vm-bench-poll: bench/bench-poll.c $(BUILD)/liboptic.a include/uapi/linux/optic.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/liboptic.a $(LDLIBS)

$(BUILD)/bench/bench-decode: bench/bench-decode.c $(BUILD)/libopticd.a $(BUILD)/liboptic.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Idaemon -o $@ $< $(BUILD)/libopticd.a $(BUILD)/liboptic.a $(LDLIBS)
