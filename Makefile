# asbgen - deployment generator for the Rubin Alert Distribution System.
#
#   make            build ./asbgen
#   make render     install what is missing, build, render environments/ into out/
#   make test       install what is missing, build, run the whole test suite
#   make san        the test suite again under ASan + UBSan
#   make valgrind   unit tests and asbgen commands under Valgrind (errors, leaks)
#   make bench      speed and memory figures
#   make deps       install the Debian (and npm) packages build and tests need
#   make install PREFIX=/usr/local   the binary, templates, schemas, Terraform modules, man page, completions
#   make uninstall PREFIX=/usr/local

PREFIX    ?= /usr/local
CC        ?= cc
PKGS      := libfyaml jansson libpcre2-8 libcurl
OPT       ?= -O2 -g
BUILD     ?= build

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libcurl is not linked: compiler/curl_api.c opens it with dlopen when
# `diff --live` needs it, so other commands do not pay for loading it.
# The other three are linked in statically where their archives are
# installed (Debian's -dev packages ship them): a run then maps and
# relocates one object instead of four, 0.2-0.3 ms of each (make bench).
# STATIC_LIBS=no links them as shared libraries.
LINKED     := libfyaml.a libjansson.a libpcre2-8.a
ifndef STATIC_LIBS
STATIC_LIBS := $(if $(filter $(words $(LINKED)),$(words $(filter /%,$(foreach a,$(LINKED),$(shell $(CC) -print-file-name=$(a)))))),yes,no)
endif
PKG_LIBS   := $(shell pkg-config --libs $(filter-out libcurl,$(PKGS)) 2>/dev/null)
ifeq ($(STATIC_LIBS),yes)
PKG_LIBS   := -Wl,-Bstatic $(PKG_LIBS) -Wl,-Bdynamic
endif
PKG_LIBS   += -ldl

CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) \
           -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -pthread $(PKG_CFLAGS) $(SAN_FLAGS)
# -pthread: validate checks many specs in threads (compiler/validate_run.c).
LDFLAGS += -pthread $(SAN_FLAGS)
LDLIBS  += $(PKG_LIBS) -lm

SRCS     := $(wildcard compiler/*.c)
HDRS     := $(wildcard compiler/*.h)
# The built-in templates, schema and Kafka tables, compiled into the binary as tables
# (compiler/embedded.h) by compiler/gen/embedgen.c from the files as they
# are at build time: editing one rebuilds them.
EMB_TMPL := $(shell cd templates && find . -name '*.yaml' | sed 's|^\./||' | LC_ALL=C sort)
EMB_SCH  := environment.schema.json
EMB_KAF  := $(shell cd schemas/kafka && ls *.tsv | LC_ALL=C sort)
EMB_SRC  := $(EMB_TMPL:%=templates/%) $(EMB_SCH:%=schemas/%) $(EMB_KAF:%=schemas/kafka/%)
GEN_OBJS := $(BUILD)/load.o $(BUILD)/yaml_fast.o $(BUILD)/arena.o $(BUILD)/diag.o $(BUILD)/value.o \
            $(BUILD)/emit_yaml.o $(BUILD)/emit_common.o $(BUILD)/buf.o $(BUILD)/kafka_read.o \
            $(BUILD)/version.o $(BUILD)/tmpl_compile.o $(BUILD)/tmpl_image.o $(BUILD)/expr.o \
            $(BUILD)/suggest.o $(BUILD)/hashmap.o
OBJS     := $(SRCS:compiler/%.c=$(BUILD)/%.o) $(BUILD)/embedded_data.o
LIBOBJS  := $(filter-out $(BUILD)/main.o,$(OBJS))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)

ENVS := $(wildcard environments/*.yaml)

.PHONY: all deps deps-build render test san tsan valgrind bench install uninstall clean

# Made by the binary itself: the manual from its --help texts, the
# completion scripts from its command table.
GENERATED := $(BUILD)/asbgen.1 $(BUILD)/completion/asbgen.bash $(BUILD)/completion/_asbgen \
             $(BUILD)/completion/asbgen.fish

all: asbgen $(GENERATED)

asbgen: $(BUILD)/asbgen
	cp $< $@

$(BUILD)/asbgen: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/%.o: compiler/%.c $(HDRS) | $(BUILD)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/embedgen: compiler/gen/embedgen.c $(HDRS) $(GEN_OBJS) | $(BUILD)
	$(CC) $(CFLAGS) -Icompiler -o $@ $< $(GEN_OBJS) $(LDFLAGS) $(LDLIBS)

$(BUILD)/embedded_data.c: $(BUILD)/embedgen $(EMB_SRC)
	$(BUILD)/embedgen $@ templates $(EMB_TMPL) -- schemas $(EMB_SCH) -- schemas/kafka $(EMB_KAF)

$(BUILD)/embedded_data.o: $(BUILD)/embedded_data.c compiler/embedded.h compiler/value.h
	$(CC) $(CFLAGS) -Icompiler -c -o $@ $<

$(BUILD):
	mkdir -p $(BUILD)/tests $(BUILD)/tools

$(BUILD)/asbgen.1: $(BUILD)/asbgen compiler/mkman.sh
	sh compiler/mkman.sh $(BUILD)/asbgen >$@.tmp && mv $@.tmp $@
$(BUILD)/completion/asbgen.bash: $(BUILD)/asbgen
	mkdir -p $(@D) && $(BUILD)/asbgen completion bash >$@.tmp && mv $@.tmp $@
$(BUILD)/completion/_asbgen: $(BUILD)/asbgen
	mkdir -p $(@D) && $(BUILD)/asbgen completion zsh >$@.tmp && mv $@.tmp $@
$(BUILD)/completion/asbgen.fish: $(BUILD)/asbgen
	mkdir -p $(@D) && $(BUILD)/asbgen completion fish >$@.tmp && mv $@.tmp $@

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

# validate checks many specs in threads (compiler/validate_run.c): the suite
# that runs it so (semantic: validate -j 1, 2, 3, 5 on the same specs) under
# ThreadSanitizer, where a data race between the threads fails a test.
tsan:
	@$(MAKE) --no-print-directory BUILD=build-tsan OPT="-O1 -g" SAN_FLAGS="-fsanitize=thread" \
	  build-tsan/asbgen
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66" ASBGEN_BUILD=build-tsan sh tests/run.sh semantic

valgrind: deps
	@$(MAKE) --no-print-directory asbgen $(UNIT_BIN)
	@sh tests/valgrind.sh

bench: asbgen $(BUILD)/tools/loadbench
	@sh tests/bench.sh

# Where install puts things; uninstall removes exactly these.
SHARE    := $(DESTDIR)$(PREFIX)/share
INSTALLED := $(DESTDIR)$(PREFIX)/bin/asbgen $(SHARE)/man/man1/asbgen.1 \
             $(SHARE)/bash-completion/completions/asbgen $(SHARE)/zsh/site-functions/_asbgen \
             $(SHARE)/fish/vendor_completions.d/asbgen.fish

# templates/ and schemas/ are replaced whole (a template removed from the
# sources leaves no stale copy behind): copied beside, then swapped in.
install: asbgen $(GENERATED)
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/asbgen $(SHARE)/man/man1 \
	  $(SHARE)/bash-completion/completions $(SHARE)/zsh/site-functions $(SHARE)/fish/vendor_completions.d
	install -m 755 asbgen $(DESTDIR)$(PREFIX)/bin/asbgen
	install -m 644 $(BUILD)/asbgen.1 $(SHARE)/man/man1/asbgen.1
	install -m 644 $(BUILD)/completion/asbgen.bash $(SHARE)/bash-completion/completions/asbgen
	install -m 644 $(BUILD)/completion/_asbgen $(SHARE)/zsh/site-functions/_asbgen
	install -m 644 $(BUILD)/completion/asbgen.fish $(SHARE)/fish/vendor_completions.d/asbgen.fish
	set -e; for d in templates schemas terraform; do \
	  rm -rf $(SHARE)/asbgen/.new-$$d $(SHARE)/asbgen/.old-$$d; \
	  cp -R $$d $(SHARE)/asbgen/.new-$$d; \
	  if [ -e $(SHARE)/asbgen/$$d ]; then mv $(SHARE)/asbgen/$$d $(SHARE)/asbgen/.old-$$d; fi; \
	  mv $(SHARE)/asbgen/.new-$$d $(SHARE)/asbgen/$$d; \
	  rm -rf $(SHARE)/asbgen/.old-$$d; \
	done

uninstall:
	rm -f $(INSTALLED)
	rm -rf $(SHARE)/asbgen

clean:
	rm -rf build build-san build-tsan asbgen
