# asbgen - deployment generator for the Rubin Alert Distribution System.
#
#   make            build ./asbgen
#   make render     install what is missing, build, render environments/ into out/
#   make test       install what is missing, build, run the whole test suite
#   make san        the test suite again under ASan + UBSan
#   make valgrind   unit tests and asbgen commands under Valgrind (errors, leaks)
#   make bench      speed and memory figures
#   make deps       install the Debian (and npm) packages build and tests need
#   make install PREFIX=/usr/local   (also the Terraform modules, share/asbgen/terraform/)

PREFIX    ?= /usr/local
CC        ?= cc
PKGS      := libfyaml jansson libpcre2-8 libcurl
OPT       ?= -O2 -g
BUILD     ?= build

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libcurl is not linked: compiler/curl_api.c opens it with dlopen when
# `diff --live` needs it, so other commands do not pay for loading it.
PKG_LIBS   := $(shell pkg-config --libs $(filter-out libcurl,$(PKGS)) 2>/dev/null) -ldl

CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) \
           -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes $(PKG_CFLAGS) $(SAN_FLAGS)
LDFLAGS += $(SAN_FLAGS)
LDLIBS  += $(PKG_LIBS) -lm

SRCS     := $(wildcard compiler/*.c)
HDRS     := $(wildcard compiler/*.h)
OBJS     := $(SRCS:compiler/%.c=$(BUILD)/%.o)
LIBOBJS  := $(filter-out $(BUILD)/main.o,$(OBJS))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)

ENVS := $(wildcard environments/*.yaml)

.PHONY: all deps deps-build render test san valgrind bench install clean

all: asbgen

asbgen: $(BUILD)/asbgen
	cp $< $@

$(BUILD)/asbgen: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/%.o: compiler/%.c $(HDRS) | $(BUILD)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD):
	mkdir -p $(BUILD)/tests $(BUILD)/tools

TEST_HDRS := $(wildcard tests/unit/*.h tests/tools/*.h)

$(BUILD)/tests/%: tests/unit/%.c $(TEST_HDRS) $(LIBOBJS) | $(BUILD)
	$(CC) $(CFLAGS) -Icompiler -o $@ $< $(LIBOBJS) $(LDFLAGS) $(LDLIBS) -lyaml

$(BUILD)/tools/%: tests/tools/%.c $(TEST_HDRS) $(LIBOBJS) | $(BUILD)
	$(CC) $(CFLAGS) -Icompiler -o $@ $< $(LIBOBJS) $(LDFLAGS) $(LDLIBS) -lyaml

deps-build:
	@sh tests/deps.sh build

deps:
	@sh tests/deps.sh test

render: deps-build
	@$(MAKE) --no-print-directory asbgen
	./asbgen render $(ENVS)

test: deps
	@$(MAKE) --no-print-directory asbgen $(UNIT_BIN) $(TOOL_BIN)
	@sh tests/run.sh

san:
	@$(MAKE) --no-print-directory BUILD=build-san OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	  build-san/asbgen $(UNIT_BIN:$(BUILD)/%=build-san/%) $(TOOL_BIN:$(BUILD)/%=build-san/%)
	@ASBGEN_BUILD=build-san sh tests/run.sh

valgrind: deps
	@$(MAKE) --no-print-directory asbgen $(UNIT_BIN)
	@sh tests/valgrind.sh

bench: asbgen
	@sh tests/bench.sh

install: asbgen
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/asbgen
	install -m 755 asbgen $(DESTDIR)$(PREFIX)/bin/asbgen
	cp -R templates schemas terraform $(DESTDIR)$(PREFIX)/share/asbgen/

clean:
	rm -rf build build-san asbgen
