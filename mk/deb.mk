# SPDX-License-Identifier: GPL-2.0
#
# Packaging and installation layout, included by the top Makefile.
#
#   make deb            Debian packages (optic-dkms, optic-pca954x-dkms, opticctl,
#                       opticd) in build/deb/
#   make check-install  install them in a booted Debian 12 (QEMU) and test as an operator
#   make install-files  programs, unit, config, man pages, completion into $(DESTDIR)
#   make install-dkms-src  driver sources into $(DESTDIR)/usr/src/optic-$(VERSION)
#   make install-pca954x-src  the kernel's i2c-mux-pca954x.c (6.1, from
#                       linux-source-6.1, mk/mux.mk) and debian/pca954x/ into
#                       $(DESTDIR)/usr/src/optic-pca954x-$(VERSION)
#
# install-files is the one description of the file layout: debian/rules calls it
# with DESTDIR=debian/tmp (debian/*.install split it into packages, and
# dh_missing --fail-missing catches a file no package claims), and
# `make install` calls it for non-Debian hosts.

.PHONY: deb deb-build deb-lint deb-deps check-install install-files install-dkms-src \
	install-pca954x-src uninstall-files

prefix ?= /usr
sbindir ?= $(prefix)/sbin
mandir ?= $(prefix)/share/man
sysconfdir ?= /etc
systemdunitdir ?= /lib/systemd/system
bashcompdir ?= $(prefix)/share/bash-completion/completions
dkmssrcdir ?= $(prefix)/src/optic-$(VERSION)
pca954xsrcdir ?= $(prefix)/src/optic-pca954x-$(VERSION)

# source:destination:mode, destination relative to DESTDIR.
OPTIC_FILES := \
	$(BUILD)/opticctl:$(sbindir)/opticctl:0755 \
	$(BUILD)/opticd:$(sbindir)/opticd:0755 \
	contrib/systemd/opticd.service:$(systemdunitdir)/opticd.service:0644 \
	contrib/systemd/optic-platform.service:$(systemdunitdir)/optic-platform.service:0644 \
	contrib/opticd.conf:$(sysconfdir)/optic/opticd.conf:0644 \
	docs/man/opticctl.8:$(mandir)/man8/opticctl.8:0644 \
	docs/man/opticd.8:$(mandir)/man8/opticd.8:0644 \
	docs/man/opticd.conf.5:$(mandir)/man5/opticd.conf.5:0644 \
	docs/man/cages.conf.5:$(mandir)/man5/cages.conf.5:0644 \
	contrib/bash-completion/opticctl:$(bashcompdir)/opticctl:0644

DKMS_SRCS := Kbuild driver/Kbuild driver/sim/Kbuild include/uapi/linux/optic.h \
	$(filter-out %.mod.c,$(wildcard driver/*.[ch] driver/sim/*.[ch]))

install-files: userspace
	@set -e; for f in $(OPTIC_FILES); do \
		src=$${f%%:*}; rest=$${f#*:}; dst=$${rest%%:*}; mode=$${rest#*:}; \
		echo "install -D -m $$mode $$src $(DESTDIR)$$dst"; \
		install -D -m "$$mode" "$$src" "$(DESTDIR)$$dst"; \
	done

install-dkms-src:
	@set -e; for f in $(DKMS_SRCS); do \
		install -D -m 0644 "$$f" "$(DESTDIR)$(dkmssrcdir)/$$f"; \
	done
	sed 's/#MODULE_VERSION#/$(VERSION)/' debian/optic-dkms.dkms \
		>$(DESTDIR)$(dkmssrcdir)/dkms.conf

install-pca954x-src: pca954x-src
	install -D -m 0644 -t $(DESTDIR)$(pca954xsrcdir) $(PCA954X_DIR)/i2c-mux-pca954x.c \
		debian/pca954x/Kbuild debian/pca954x/compat.h
	sed 's/#MODULE_VERSION#/$(VERSION)/' debian/optic-pca954x-dkms.dkms \
		>$(DESTDIR)$(pca954xsrcdir)/dkms.conf

uninstall-files:
	@for f in $(OPTIC_FILES); do \
		rest=$${f#*:}; dst=$${rest%%:*}; \
		case $$dst in $(sysconfdir)/*) continue ;; esac; \
		rm -f "$(DESTDIR)$$dst"; \
	done
	rm -rf $(DESTDIR)$(dkmssrcdir) $(DESTDIR)$(pca954xsrcdir)

# Build in a copy of the tree (tracked and new files, not ignored ones), so the
# package build never cleans or rebuilds the working tree others use.
DEB_OUT := $(BUILD)/deb
DEB_SRC := $(DEB_OUT)/src/optic-$(VERSION)

deb-deps:
	@scripts/check-install.sh --deps deb

deb: deb-build deb-lint

deb-build: deb-deps
	@debver=$$(dpkg-parsechangelog -l debian/changelog -S Version); \
	if [ "$${debver%%-*}" != "$(VERSION)" ]; then \
		echo "deb: debian/changelog has $$debver but VERSION is $(VERSION)" >&2; exit 1; \
	fi
	rm -rf $(DEB_OUT)
	mkdir -p $(DEB_SRC)
	git ls-files -z --cached --others --exclude-standard | \
		xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh | \
		tar --null -T - -cf - | tar -C $(DEB_SRC) -xf -
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b
	mv $(DEB_OUT)/src/*.deb $(DEB_OUT)/src/*.buildinfo $(DEB_OUT)/src/*.changes $(DEB_OUT)/
	@ls -l $(DEB_OUT)/*.deb

# No errors, no warnings; overrides are in debian/*.lintian-overrides with reasons.
deb-lint:
	lintian --fail-on error,warning --display-info $(DEB_OUT)/*.changes

# Lintian is `make deb`'s gate; the install test only needs the packages.
check-install: deb-build
	scripts/check-install.sh $(DEB_OUT)/*.deb
