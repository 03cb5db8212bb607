# SPDX-License-Identifier: GPL-2.0
# The debug-kernel suite (tests/vm/debug.config; cached, built once).

.PHONY: debug-kernel check-debug
debug-kernel:
	@scripts/debug-kernel.sh

check-debug: deps all
	scripts/check-debug.sh
