# sock: a socket toolkit.  Plain GNU make; every build goes into $(BUILD).
#
#   make            build build/libsock.a and build/sock
#   make check      unit + integration tests (prove; ends with "Result: PASS")
#   make asan       the same under clang -fsanitize=address,undefined (build-asan/)
#   make fuzz       libFuzzer targets (clang, build-fuzz/); make fuzz-smoke runs them
#   make examples   the small programs in examples/ against libsock
#   make bench      benchmarks against socat, HAProxy, nginx, nc, ss, netstat (slow)
#   make deps       install the Debian packages that build and tests need
#   make bench-deps the benchmark's peers (haproxy, nginx)
#   make format     clang-format in place; make format-check only checks
#   make lint       no socket call in lib/ bypasses the traced wrappers;
#                   no cycle between lib/ files (calls go down the layers)

CC ?= cc
BUILD ?= build
PREFIX ?= /usr/local

WARN = -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
       -Wmissing-prototypes -Wvla
ifeq ($(WERROR),1)
WARN += -Werror
endif
OPT ?= -O2 -g
ifeq ($(SANITIZE),1)
OPT = -O1 -g -fno-omit-frame-pointer
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
endif
CPPFLAGS += -Iinclude -D_GNU_SOURCE
CFLAGS += -std=c11 $(WARN) $(OPT) $(SAN) -MMD -MP
LDFLAGS += $(SAN)
# Hardening (tests/it/1301 checks the binary): stack protector, full
# RELRO, PIE, and FORTIFY's checked calls, which ASan replaces.
HARDEN = -fstack-protector-strong -fPIE
ifneq ($(SANITIZE),1)
CPPFLAGS += -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3
endif
CFLAGS += $(HARDEN)
LDFLAGS += -pie -Wl,-z,relro,-z,now
LDLIBS += -lmnl
# OpenSSL 3 (TLS ends), ncurses (sock top), libseccomp (--sandbox):
# Debian's libraries, installed by make deps.
PKGS = openssl ncursesw libseccomp
LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null)

LIB_SRC := $(wildcard lib/*.c)
TOOL_SRC := $(wildcard tool/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
EXAMPLE_SRC := $(wildcard examples/*.c)
PO := $(wildcard po/*.po)
MO := $(PO:po/%.po=$(BUILD)/locale/%/LC_MESSAGES/sock.mo)

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
TOOL_OBJ := $(TOOL_SRC:%.c=$(BUILD)/%.o)
# The tool's code but main(): what the unit tests link instead of
# compiling tool/*.c into themselves.
TOOLLIB_OBJ := $(filter-out $(BUILD)/tool/main.o,$(TOOL_OBJ))
UNIT_BIN := $(UNIT_SRC:%.c=$(BUILD)/%)
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/fuzz/replay_%)
EXAMPLE_BIN := $(EXAMPLE_SRC:%.c=$(BUILD)/%)
IT_TESTS := $(sort $(wildcard tests/it/[0-9]*.sh))

all: $(BUILD)/sock $(MO)

# Message catalogs: po/LANG.po -> $(BUILD)/locale/LANG/LC_MESSAGES/sock.mo
# (the tests point SOCK_LOCALEDIR there); installed under LOCALEDIR.
LOCALEDIR ?= $(PREFIX)/share/locale
$(BUILD)/tool/i18n.o: CPPFLAGS += -DLOCALEDIR='"$(LOCALEDIR)"'
$(BUILD)/locale/%/LC_MESSAGES/sock.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt -c -o $@ $<

# po/sock.pot from the tool's sources; `make po-update` merges it into
# every po/LANG.po, `make po-check` fails on an untranslated or fuzzy entry.
POT_SRC = $(sort $(wildcard tool/*.c tool/*.h))
po/sock.pot: $(POT_SRC)
	xgettext --keyword=_ --keyword=N_ --from-code=UTF-8 --add-comments=TRANSLATORS \
		--package-name=sock --msgid-bugs-address=none -o $@ $(POT_SRC)
po-update: po/sock.pot
	for p in $(PO); do msgmerge -q -U --backup=none $$p po/sock.pot || exit 1; done
po-check:
	@for p in $(PO); do \
		s=$$(LC_ALL=C msgfmt -c --statistics -o /dev/null $$p 2>&1) || { echo "$$s"; exit 1; }; \
		echo "$$p: $$s"; \
		case $$s in *untranslated* | *fuzzy*) exit 1 ;; esac; \
	done

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/libsock.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/libsocktool.a: $(TOOLLIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/sock: $(BUILD)/tool/main.o $(BUILD)/libsocktool.a $(BUILD)/libsock.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The version, and the commit it is built from: git describe in a git
# checkout of sock's own, "unknown" from a tarball (or set SOCK_COMMIT).
# tool/version.c prints both; a stamp rebuilds it when the commit moves.
VERSION = 0.1.0
ifndef SOCK_COMMIT
SOCK_COMMIT := $(shell { [ -e .git ] && git describe --always --dirty; } 2>/dev/null || echo unknown)
endif
$(BUILD)/tool/version.o: CPPFLAGS += -DSOCK_VERSION='"$(VERSION)"' \
	-DSOCK_COMMIT='"$(SOCK_COMMIT)"'
$(BUILD)/tool/version.o: $(BUILD)/commit.stamp
$(BUILD)/commit.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(SOCK_COMMIT)' | cmp -s - $@ || echo '$(SOCK_COMMIT)' > $@
FORCE:

# libsock as a shared library too: the same sources compiled
# position-independent into $(BUILD)/pic/, linked with a soname and a
# version script (lib/libsock.map) that exports the public sock_* names
# only, never the sock__* ones lib/ files share.  The tool links the
# static library.
SOVERSION = 0
SONAME = libsock.so.$(SOVERSION)
SHLIB = $(BUILD)/libsock.so.$(VERSION)
PIC_OBJ := $(LIB_SRC:%.c=$(BUILD)/pic/%.o)
$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -c -o $@ $<
# Every symbol resolved at link time, except in a sanitized build: the
# program that loads the library brings the sanitizer's runtime.
SHLIB_DEFS = $(if $(SAN),,-Wl,--no-undefined)
$(SHLIB): $(PIC_OBJ) lib/libsock.map
	$(CC) $(filter-out -pie -static-pie,$(LDFLAGS)) -shared \
		-Wl,-soname,$(SONAME) -Wl,--version-script=lib/libsock.map \
		$(SHLIB_DEFS) -o $@ $(PIC_OBJ) -Wl,--as-needed $(LDLIBS)
$(BUILD)/libsock.so: $(SHLIB)
	ln -sf $(notdir $(SHLIB)) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@
# sock.pc, rewritten when PREFIX, LIBDIR or the version change (FORCE,
# compared).  Requires.private: those of libmnl and $(PKGS) whose
# libraries the shared library needs (its NEEDED entries), so that a
# static link gets what libsock uses and no more.
$(BUILD)/sock.pc: $(SHLIB) FORCE
	@mkdir -p $(dir $@)
	@need=" $$(readelf -d $(SHLIB) | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"; \
	req=; for p in libmnl $(PKGS); do \
		for l in $$(pkg-config --libs-only-l $$p); do \
			case $$need in *" lib$${l#-l}.so."*) req="$$req $$p"; break ;; esac; \
		done; \
	done; \
	printf '%s\n' 'prefix=$(PREFIX)' 'includedir=$(INCLUDEDIR)' \
		'libdir=$(LIBDIR)' '' 'Name: sock' \
		'Description: libsock, the socket library behind the sock tool' \
		'Version: $(VERSION)' "Requires.private:$$req" \
		'Cflags: -I$${includedir}' 'Libs: -L$${libdir} -lsock' > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@
all tests: $(BUILD)/libsock.so $(BUILD)/sock.pc

# Shell completions (bash, zsh): each reads sock's --help at completion
# time through the one awk program completion/help.awk, put in place here.
COMPLETIONS = $(BUILD)/completion/sock $(BUILD)/completion/_sock
$(BUILD)/completion/sock: completion/sock.bash completion/help.awk
$(BUILD)/completion/_sock: completion/_sock.zsh completion/help.awk
$(COMPLETIONS):
	@mkdir -p $(dir $@)
	sed -e '/^@HELP_AWK@$$/{r completion/help.awk' -e 'd;}' $< > $@
all tests: $(COMPLETIONS)

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(BUILD)/libsocktool.a \
		$(BUILD)/libsock.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# lib/sock.c's error paths: the test wraps the libc calls sock.c makes.
SOCK_ERR_WRAP = socket connect accept4 bind listen setsockopt getsockname \
	poll close getaddrinfo freeaddrinfo
$(BUILD)/tests/unit/test_sock_err: LDFLAGS += \
	$(foreach f,$(SOCK_ERR_WRAP),-Wl,--wrap=$(f))

# Fuzz targets double as corpus replayers in every build (replay_main.c
# supplies main); `make fuzz` links the same sources against libFuzzer.
$(BUILD)/tests/fuzz/replay_%: $(BUILD)/tests/fuzz/%.o \
		$(BUILD)/tests/fuzz/replay_main.o $(BUILD)/libsock.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# fuzz_words tests the tool's own parsers: it links the tool too.
$(BUILD)/tests/fuzz/replay_fuzz_words: $(BUILD)/libsocktool.a
$(BUILD)/tests/fuzz/replay_fuzz_words: LDLIBS := $(BUILD)/libsocktool.a \
	$(BUILD)/libsock.a $(LDLIBS)

$(BUILD)/tests/fuzz/replay_main.o: tests/fuzz/replay_main.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(BUILD)/examples/%: examples/%.c $(BUILD)/libsock.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libsock.a \
		$(LDLIBS)

examples: $(EXAMPLE_BIN)

tests: $(BUILD)/sock $(MO) $(UNIT_BIN) $(REPLAY_BIN) $(EXAMPLE_BIN) \
	$(BUILD)/bench/relaypeer

# One prove run over the cmocka binaries (TAP output) and the shell tests,
# so that CI reads a single closing line.  The tests read sock's English
# messages unless they ask for Spanish (LANG=es_CL.UTF-8): a Spanish
# session's LANG, LC_ALL or LANGUAGE does not reach them.  prove itself is bounded (a
# whole run takes a minute or two): timeout ends it and every test
# process in its group, with KILL for what ignores TERM.
CHECK_SECONDS ?= 900
check: tests
	SOCK=$(abspath $(BUILD)/sock) BUILD=$(abspath $(BUILD)) \
	SOCK_LOCALEDIR=$(abspath $(BUILD)/locale) CMOCKA_MESSAGE_OUTPUT=TAP \
	LANG=C.UTF-8 LC_ALL= LC_MESSAGES= LANGUAGE= \
	timeout -k 10 $(CHECK_SECONDS) prove --exec '' $(UNIT_BIN) $(IT_TESTS)

asan:
	$(MAKE) --no-print-directory BUILD=build-asan CC=clang SANITIZE=1 check

FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
build-fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(FUZZ_TOOL_SRC)
	@mkdir -p build-fuzz
	clang $(filter-out -D_FORTIFY_SOURCE=%,$(CPPFLAGS)) -std=c11 -g -O1 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $< $(LIB_SRC) $(FUZZ_TOOL_SRC) $(LDLIBS)
build-fuzz/fuzz_words: FUZZ_TOOL_SRC = $(filter-out tool/main.c,$(TOOL_SRC))
build-fuzz/fuzz_words: $(filter-out tool/main.c,$(TOOL_SRC))

fuzz: $(FUZZ_BIN)

fuzz-smoke: fuzz
	@for f in $(FUZZ_BIN); do \
		n=$${f#build-fuzz/fuzz_}; mkdir -p /tmp/sock-fuzz-$$n; \
		echo "fuzz $$n"; \
		$$f -max_total_time=$${FUZZ_SECONDS:-10} -print_final_stats=0 -close_fd_mask=2 \
			/tmp/sock-fuzz-$$n tests/fuzz/corpus/$$n || exit 1; \
	done

$(BUILD)/bench/relaypeer: bench/relaypeer.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

bench: $(BUILD)/sock $(BUILD)/bench/relaypeer
	@for b in $(filter-out bench/lib.sh,$(wildcard bench/*.sh)); do SOCK=$(abspath $(BUILD)/sock) \
		RELAYPEER=$(abspath $(BUILD)/bench/relaypeer) bash $$b || exit 1; done

DEPS = build-essential clang libclang-rt-14-dev libmnl-dev libcmocka-dev \
       pkg-config clang-format socat ncat netcat-openbsd curl iproute2 \
       net-tools python3 hyperfine procps psmisc man-db gettext locales \
       libxml2-utils graphviz \
       libssl-dev openssl libncurses-dev tmux libseccomp-dev \
       dante-server microsocks tinyproxy nginx stunnel4 \
       bash-completion zsh debhelper lintian dpkg-dev fakeroot time
# es_CL.UTF-8 for the Spanish tests (and for users who read sock in Spanish)
LOCALES = es_CL.UTF-8 es_ES.UTF-8
# Servers the tests start themselves (nginx, danted, tinyproxy) must not
# start as system services when installed: a policy-rc.d that refuses
# service starts is put in place for the install only, if none is there.
deps:
	apt-get update
	@made=; if [ ! -e /usr/sbin/policy-rc.d ]; then made=1; \
		printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; \
		chmod 755 /usr/sbin/policy-rc.d; fi; \
	DEBIAN_FRONTEND=noninteractive apt-get install -y $(DEPS); rc=$$?; \
	[ -z "$$made" ] || rm -f /usr/sbin/policy-rc.d; exit $$rc
	for l in $(LOCALES); do localedef -i $${l%%.*} -f UTF-8 $$l || exit 1; done

# The benchmarks' peers (HAProxy, nginx's stream module, stunnel), which
# the tests do not need, installed the same way.
BENCH_DEPS = haproxy nginx libnginx-mod-stream stunnel4
bench-deps:
	$(MAKE) deps DEPS="$(BENCH_DEPS)"

FORMAT_SRC = $(wildcard include/sock/*.h lib/*.c lib/*.h tool/*.c tool/*.h \
	tests/unit/*.c tests/fuzz/*.c examples/*.c bench/*.c)
format:
	clang-format -i $(FORMAT_SRC)
format-check:
	clang-format --dry-run --Werror $(FORMAT_SRC)

# Every socket call in lib/ goes through lib/sys.c, so --trace shows it.
lint: $(BUILD)/libsock.a
	bash tests/lint-syscalls.sh lib
	BUILD=$(BUILD) sh tests/layers.sh

install: $(BUILD)/sock $(MO)
	install -D -m 755 $(BUILD)/sock $(DESTDIR)$(PREFIX)/bin/sock
	install -D -m 644 docs/sock.1 $(DESTDIR)$(PREFIX)/share/man/man1/sock.1
	install -D -m 644 docs/sock.es.1 $(DESTDIR)$(PREFIX)/share/man/es/man1/sock.1
	for m in $(MO); do l=$${m#$(BUILD)/locale/}; \
		install -D -m 644 $$m $(DESTDIR)$(LOCALEDIR)/$$l || exit 1; done

# Where make install puts the library, its headers, sock.pc and the
# shell completions (Debian: LIBDIR=/usr/lib/$(DEB_HOST_MULTIARCH)).
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions
HEADERS := $(wildcard include/sock/*.h)
# Every file install puts, so that uninstall removes exactly those.
INSTALLED = $(LIBDIR)/$(notdir $(SHLIB)) $(LIBDIR)/$(SONAME) $(LIBDIR)/libsock.so \
	$(LIBDIR)/libsock.a $(LIBDIR)/pkgconfig/sock.pc \
	$(HEADERS:include/%=$(INCLUDEDIR)/%) \
	$(BASHCOMPDIR)/sock $(ZSHCOMPDIR)/_sock \
	$(PREFIX)/bin/sock $(PREFIX)/share/man/man1/sock.1 \
	$(PREFIX)/share/man/es/man1/sock.1 \
	$(MO:$(BUILD)/locale/%=$(LOCALEDIR)/%)
install: install-lib install-completion
install-lib: $(BUILD)/libsock.so $(BUILD)/libsock.a $(BUILD)/sock.pc
	install -D -m 644 $(SHLIB) $(DESTDIR)$(LIBDIR)/$(notdir $(SHLIB))
	ln -sf $(notdir $(SHLIB)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libsock.so
	install -m 644 $(BUILD)/libsock.a $(DESTDIR)$(LIBDIR)/libsock.a
	install -D -m 644 $(BUILD)/sock.pc $(DESTDIR)$(LIBDIR)/pkgconfig/sock.pc
	install -d $(DESTDIR)$(INCLUDEDIR)/sock
	install -m 644 $(HEADERS) $(DESTDIR)$(INCLUDEDIR)/sock/
	@[ -n "$(DESTDIR)" ] || ldconfig 2>/dev/null || true
install-completion: $(COMPLETIONS)
	install -D -m 644 $(BUILD)/completion/sock $(DESTDIR)$(BASHCOMPDIR)/sock
	install -D -m 644 $(BUILD)/completion/_sock $(DESTDIR)$(ZSHCOMPDIR)/_sock
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	rmdir $(DESTDIR)$(INCLUDEDIR)/sock 2>/dev/null || true
	@[ -n "$(DESTDIR)" ] || ldconfig 2>/dev/null || true

# The Debian packages (debian/), built from a copy of the tree in
# $(DEB_DIR)/src so that the checkout stays clean; the .debs land in
# $(DEB_DIR).  The copy has no .git: the commit is handed over.
DEB_DIR ?= /tmp/sock-deb
deb:
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/src
	tar -cf - --exclude=./.git --exclude='./build*' . | tar -xf - -C $(DEB_DIR)/src
	cd $(DEB_DIR)/src && SOCK_COMMIT='$(SOCK_COMMIT)' dpkg-buildpackage -us -uc -b

clean:
	rm -rf build build-asan build-fuzz

.PHONY: all check tests asan fuzz fuzz-smoke bench deps bench-deps po-update po-check format format-check \
	lint examples install clean install-lib install-completion uninstall deb FORCE
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
