# SPDX-License-Identifier: GPL-2.0
# Unit tests once more under AddressSanitizer and UndefinedBehaviorSanitizer,
# built in their own tree so the normal build is untouched.

ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer

.PHONY: check-asan
check-asan:
	$(MAKE) BUILD=$(BUILD)/asan CFLAGS="-O1 -g $(ASAN_FLAGS)" \
		LDFLAGS="$(ASAN_FLAGS)" check-unit
