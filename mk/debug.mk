# SPDX-License-Identifier: GPL-2.0
# The debug-kernel suite (tests/vm/debug.config; cached, built once).

.PHONY: debug-kernel check-debug check-debug-ci
debug-kernel:
	@scripts/debug-kernel.sh

check-debug: deps all
	scripts/check-debug.sh

# The subset .ci/run runs (tests/vm/debug-ci.list).
check-debug-ci: deps all
	scripts/check-debug.sh --ci
