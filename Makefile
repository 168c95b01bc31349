# twauth.  `make` builds build/twauth; `make run` and `make test` first install
# whatever Debian packages are missing (scripts/deps.sh).  SAN=1 builds with
# AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/.

SAN	?=
WERROR	?=
ifeq ($(SAN),1)
BUILD	?= build-asan
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT	= -O1
else
BUILD	?= build
SANFLAGS =
OPT	= -O2
endif

CC	?= cc
PKGS	= libmicrohttpd jansson libcrypto sqlite3 libargon2 libcurl libpq
WARN	= -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
	  -Wpointer-arith -Wvla $(if $(WERROR),-Werror)
CFLAGS	+= -std=c11 -D_GNU_SOURCE $(OPT) -g $(WARN) $(SANFLAGS) -MMD -MP \
	  $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS	+= $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread
LDFLAGS	+= $(SANFLAGS)

LIB_SRC	= $(wildcard src/common/*.c src/store/*.c src/idp/*.c src/http/*.c src/client/*.c) \
	  $(filter-out src/cli/main.c,$(wildcard src/cli/*.c))
LIB_OBJ	= $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ = $(BUILD)/obj/src/cli/main.o
UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_OBJ = $(UNIT_SRC:%.c=$(BUILD)/obj/%.o)

.PHONY: all run test unit e2e bench deps clean check-banned format-check asan-test install \
	uninstall deb fuzz fuzz-targets fuzz-smoke replays

# make install PREFIX=/usr DESTDIR=/tmp/pkg: the binary, twauth(1), the
# completion scripts for bash and zsh, the systemd unit (with these paths
# in it) and, if none is there yet, a config file to start from.
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
UNITDIR	?= $(PREFIX)/lib/systemd/system

COMPLETIONS = $(BUILD)/completion/twauth $(BUILD)/completion/_twauth

all: $(BUILD)/twauth $(COMPLETIONS)

$(BUILD)/twauth: $(LIB_OBJ) $(MAIN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The completion scripts, printed by the binary (twauth completion bash|zsh).
$(BUILD)/completion/twauth: $(BUILD)/twauth
	@mkdir -p $(dir $@)
	$(BUILD)/twauth completion bash > $@.tmp && mv $@.tmp $@
$(BUILD)/completion/_twauth: $(BUILD)/twauth
	@mkdir -p $(dir $@)
	$(BUILD)/twauth completion zsh > $@.tmp && mv $@.tmp $@

$(BUILD)/unit-tests: $(LIB_OBJ) $(UNIT_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The test witness of syncs and answers (tests/preload/syncorder.c), built
# plain: it is loaded into the server, not part of it.
$(BUILD)/syncorder.so: tests/preload/syncorder.c
	$(CC) -std=c11 -O1 -g -Wall -Wextra -shared -fPIC -o $@ $< -ldl

$(BUILD)/libtwauth.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# Fuzzing (fuzz/, docs/SECURITY.md).  `make fuzz` builds one libFuzzer
# target per parser of outside bytes with clang into build-fuzz/;
# `make fuzz-smoke` runs each for FUZZ_SECS seconds (default 30) and fails
# on any crash, leak or sanitizer report.  `make test` builds the same
# targets with fuzz/replay.c instead (replays) and runs the seed corpus and
# the regression inputs through them.
FUZZ_NAMES = $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_SECS ?= 30
FUZZ_SAN = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer

fuzz:
	@scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang OPT=-O1 \
	    SANFLAGS='$(FUZZ_SAN)' fuzz-targets

fuzz-targets: $(FUZZ_NAMES:%=$(BUILD)/%)

$(BUILD)/fuzz_%: fuzz/fuzz_%.c $(BUILD)/libtwauth.a
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libtwauth.a $(LDLIBS)

fuzz-smoke: fuzz
	fuzz/smoke.sh build-fuzz $(FUZZ_SECS)

replays: $(FUZZ_NAMES:fuzz_%=$(BUILD)/replay_%)

$(BUILD)/replay_%: fuzz/fuzz_%.c fuzz/replay.c $(BUILD)/libtwauth.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ fuzz/fuzz_$*.c fuzz/replay.c $(BUILD)/libtwauth.a \
	    $(LDLIBS)

# What the objects are built with, kept in $(BUILD)/flags: when it changes
# (WERROR=1, another CC or CFLAGS), everything is rebuilt, so a build made
# without -Werror is never taken for one made with it.
FLAGS_FILE = $(BUILD)/flags
BUILD_FLAGS = $(CC) $(CFLAGS) $(LDFLAGS) $(LDLIBS)
$(shell mkdir -p $(BUILD) && { [ -f $(FLAGS_FILE) ] && \
    [ "$$(cat $(FLAGS_FILE))" = '$(BUILD_FLAGS)' ] || \
    printf '%s\n' '$(BUILD_FLAGS)' > $(FLAGS_FILE); })

$(BUILD)/obj/%.o: %.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# The two commands of the README.  make run ADDR=0.0.0.0:8080
# ARGS='--public-url http://HOST:8080' listens elsewhere; ARGS='...' adds
# any other serve option.
ADDR	?= 127.0.0.1:8080
run:
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory all
	./$(BUILD)/twauth serve --listen $(ADDR) $(ARGS)

# The unit tests alone (no e2e), on SQLite: "unit: N passed, N failed".
unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory check-banned
	@$(MAKE) --no-print-directory all $(BUILD)/unit-tests replays $(BUILD)/syncorder.so
	TWAUTH_BUILD=$(BUILD) tests/run.sh

deps:
	@scripts/deps.sh build

# What noting one fact costs (bench/note_cost.c), beside what wrk measures.
$(BUILD)/note-cost: bench/note_cost.c $(BUILD)/libtwauth.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all $(BUILD)/note-cost
	bench/run.sh

# curl's and OpenBSD's rule: these functions do not appear in the source.
check-banned:
	@if grep -nE '\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|sscanf|strtok|strncpy)\s*\(' \
	    $$(find src -name '*.[ch]'); then \
	    echo "banned function used (see docs/STYLE.md)"; exit 1; fi

# The layout rules of docs/STYLE.md (scripts/format-check.sh; CI runs it).
format-check:
	@scripts/format-check.sh

install: $(BUILD)/twauth $(COMPLETIONS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(SYSCONFDIR)/twauth $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 0755 $(BUILD)/twauth $(DESTDIR)$(BINDIR)/twauth
	install -m 0644 docs/twauth.1 $(DESTDIR)$(MANDIR)/man1/twauth.1
	install -m 0644 $(BUILD)/completion/twauth $(DESTDIR)$(BASHCOMPDIR)/twauth
	install -m 0644 $(BUILD)/completion/_twauth $(DESTDIR)$(ZSHCOMPDIR)/_twauth
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	    contrib/twauth.service.in > $(DESTDIR)$(UNITDIR)/twauth.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/twauth.service
	[ -e $(DESTDIR)$(SYSCONFDIR)/twauth/twauth.conf ] || \
	    install -m 0644 contrib/twauth.conf $(DESTDIR)$(SYSCONFDIR)/twauth/twauth.conf

# Leaves the config file, which may hold your settings.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/twauth $(DESTDIR)$(MANDIR)/man1/twauth.1 \
	    $(DESTDIR)$(UNITDIR)/twauth.service $(DESTDIR)$(BASHCOMPDIR)/twauth \
	    $(DESTDIR)$(ZSHCOMPDIR)/_twauth

# make deb: build/twauth_VERSION_ARCH.deb (packaging/debian/mkdeb.sh: a
# hardened build in build/deb/, laid out by make install above).
# DEB_MAINTAINER='Name <address>' sets its Maintainer field.
deb:
	@scripts/deps.sh deb
	MAKE='$(MAKE)' packaging/debian/mkdeb.sh

clean:
	rm -rf build build-asan build-fuzz

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
