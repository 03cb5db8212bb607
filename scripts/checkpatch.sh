#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run checkpatch.pl --strict (extracted from Debian's linux-source-6.1 into the
# cache, not committed) over the kernel sources under the given directories.
set -eu

cache=${OPTIC_CACHE:-/var/cache/optic-dev}
dir=$cache/checkpatch
if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
	tarball=$(ls /usr/src/linux-source-6.1.tar.xz)
	mkdir -p "$dir"
	tar -C "$dir" --strip-components=1 -xJf "$tarball" \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
fi

files=$(find "$@" -name '*.[ch]' ! -name '*.mod.c' | sort)
# shellcheck disable=SC2086
"$dir/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
	--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES -f $files
echo "checkpatch: clean ($(echo "$files" | wc -w) files)"
