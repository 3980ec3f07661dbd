# sovmap - see README.md. `make` builds ./sovmap; `make run` and `make check`
# first install missing Debian packages (tools/install-deps.sh).
#
# BUILD=dir     build directory (default build/, build-san/ with SANITIZE=1)
# SANITIZE=1    ASan + UBSan everywhere
# VALGRIND=1    run the tests under valgrind (make check)
# PREFIX=/usr/local  for make install

PKGS     := ncursesw sqlite3 jansson libcgraph libgvc
ifeq ($(SANITIZE),1)
BUILD    ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD    ?= build
SANFLAGS :=
endif
PREFIX   ?= /usr/local
CC       ?= cc
OPT      ?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# the libraries pkg-config cannot find (a fresh machine before `make deps`)
PKG_MISSING := $(foreach p,$(PKGS),$(if $(shell pkg-config --exists $(p) 2>/dev/null && echo y),,$(p)))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS   += -std=c11 -Wall -Wextra -Werror -Wno-format-truncation $(OPT) -D_POSIX_C_SOURCE=200809L \
            -D_XOPEN_SOURCE_EXTENDED -D_DEFAULT_SOURCE -Iinclude $(PKG_CFLAGS) $(SANFLAGS) \
            -DSM_DATADIR='"$(PREFIX)/share/sovmap"' -MMD -MP
LDFLAGS  += $(SANFLAGS)
LDLIBS   += $(PKG_LIBS) -lm -pthread

SRC      := $(wildcard src/*/*.c)
MAIN     := src/cli/main.c
LIBSRC   := $(filter-out $(MAIN),$(SRC))
LIBOBJ   := $(LIBSRC:%.c=$(BUILD)/%.o)
UNIT     := $(wildcard tests/unit/test_*.c)
UNITBIN  := $(UNIT:tests/unit/%.c=$(BUILD)/tests/%)
TESTLIB  := $(BUILD)/tests/testlib.o
BENCHSRC := $(wildcard bench/*.c)
BENCHBIN := $(BENCHSRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all deps run check bench install clean fuzz pkgs
all: sovmap

# Without the libraries' flags every object would fail in its own confusing
# way: say once what is missing and how to get it.
pkgs:
	@if [ -n "$(strip $(PKG_MISSING))" ]; then \
	    echo "sovmap: pkg-config cannot find $(strip $(PKG_MISSING)): run \`make deps\` (Debian; \`make run\` and \`make check\` do it first)" >&2; \
	    exit 2; fi

$(BUILD)/%.o: %.c | pkgs
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libsovmap.a: $(LIBOBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/sovmap: $(BUILD)/src/cli/main.o $(BUILD)/libsovmap.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

sovmap: $(BUILD)/sovmap
	@if [ "$(BUILD)" = build ]; then cp $< $@; fi

$(BUILD)/tests/testlib.o: tests/testlib.c tests/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsovmap.a $(TESTLIB) tests/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(TESTLIB) $(BUILD)/libsovmap.a $(LDLIBS) -lcmocka

# test_oom fails allocations in turn: every malloc, calloc, realloc, strdup,
# strndup, open_memstream and realpath our objects call goes to its __wrap_
# functions (json_load*, json_dump*: to know a failure is inside jansson).
# ASan's interceptors still sit behind __real_malloc in the SANITIZE=1 build.
OOMWRAP  := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup \
            -Wl,--wrap=open_memstream,--wrap=realpath \
            -Wl,--wrap=json_loadb,--wrap=json_loads,--wrap=json_load_file,--wrap=json_dumps,--wrap=json_dumpb
$(BUILD)/tests/test_oom: tests/unit/test_oom.c $(BUILD)/libsovmap.a $(TESTLIB) tests/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests $(LDFLAGS) $(OOMWRAP) -o $@ $< $(TESTLIB) $(BUILD)/libsovmap.a $(LDLIBS) -lcmocka

$(BUILD)/bench/%: bench/%.c $(BUILD)/libsovmap.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libsovmap.a $(LDLIBS)

deps:
	@sh tools/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory sovmap
	./sovmap demo

NPROC    := $(shell nproc 2>/dev/null || echo 1)

check: deps
	@$(MAKE) --no-print-directory -j$(NPROC) $(BUILD)/sovmap $(UNITBIN) $(BUILD)/bench/gen
	@bash tests/run.sh $(BUILD)

bench: deps
	@$(MAKE) --no-print-directory -j$(NPROC) $(BUILD)/sovmap $(BENCHBIN)
	@sh bench/run.sh $(BUILD)

install: sovmap
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/sovmap
	install -m 755 $(BUILD)/sovmap $(DESTDIR)$(PREFIX)/bin/sovmap
	install -m 644 doc/sovmap.1 $(DESTDIR)$(PREFIX)/share/man/man1/sovmap.1
	cp -R data themes $(DESTDIR)$(PREFIX)/share/sovmap/

clean:
	rm -rf build build-san build-* sovmap

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- fuzzing: `make fuzz` builds tests/fuzz/fuzz_*.c with clang's libFuzzer
# and ASan into build-fuzz/; tests/fuzz/run.sh [SECONDS] runs them. Not part
# of `make` or `make check`, which do not need clang.
FUZZ_BUILD ?= build-fuzz
FUZZ_SAN   := -fsanitize=fuzzer-no-link,address -fno-omit-frame-pointer
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
fuzz:
	@command -v clang >/dev/null 2>&1 || { echo "make fuzz needs clang (libFuzzer)"; exit 2; }
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g -Wno-error -Wno-unknown-warning-option" \
	    SANFLAGS="$(FUZZ_SAN)" $(FUZZ_BUILD)/libsovmap.a
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); echo "clang $$f -> $(FUZZ_BUILD)/$$n"; \
	    clang -std=c11 -O1 -g -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iinclude \
	        $(PKG_CFLAGS) -fsanitize=fuzzer,address -fno-omit-frame-pointer -o $(FUZZ_BUILD)/$$n \
	        $$f $(FUZZ_BUILD)/libsovmap.a $(PKG_LIBS) -lm || exit 1; done
