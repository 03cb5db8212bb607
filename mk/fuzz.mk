# SPDX-License-Identifier: GPL-2.0
# libFuzzer targets (tests/fuzz/fuzz_*.c) over lib/, built with clang and
# ASan+UBSan. `make fuzz` runs each for FUZZ_SECONDS; `make check-fuzz` runs
# each briefly from its seed corpus (tests/fuzz/corpus/<target>/).

FUZZ_CC := clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := $(filter-out -O2 -Werror,$(ALL_CFLAGS)) -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/fuzz/%.o) \
	$(filter-out $(BUILD)/fuzz/daemon/main.o,$(DAEMON_SRCS:%.c=$(BUILD)/fuzz/%.o))

.PHONY: fuzz check-fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)

$(BUILD)/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -Idaemon -c -o $@ $<

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Idaemon -o $@ $^ $(LDLIBS)

fuzz: FUZZ_RUN_SECONDS = $(FUZZ_SECONDS)
check-fuzz: FUZZ_RUN_SECONDS = 10
fuzz check-fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
		n=$$(basename $$f); mkdir -p $(BUILD)/fuzz/corpus/$$n; \
		echo "fuzz: $$n for $(FUZZ_RUN_SECONDS) s"; \
		$$f -max_total_time=$(FUZZ_RUN_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(BUILD)/fuzz/$$n- $(BUILD)/fuzz/corpus/$$n \
			$$( [ -d tests/fuzz/corpus/$$n ] && echo tests/fuzz/corpus/$$n ) \
			2>$(BUILD)/fuzz/$$n.log || { tail -50 $(BUILD)/fuzz/$$n.log; exit 1; }; \
		grep -E '^stat::number_of_executed_units' $(BUILD)/fuzz/$$n.log; \
	done
