# wenku build. `make` builds ./wenku; `make asan` the sanitizer build used
# by the tests; `make test` runs every test (see tests/run).

CC ?= cc
PKGS := libmicrohttpd sqlite3 libsodium libzip expat libqrencode libseccomp libutf8proc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# MuPDF: Debian 12's libmupdf-dev has only static libraries, and its
# mupdf.pc leaves out harfbuzz.
MUPDF_CFLAGS := $(shell pkg-config --cflags mupdf 2>/dev/null)
MUPDF_LIBS := $(shell pkg-config --static --libs mupdf 2>/dev/null) -lharfbuzz

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter
CFLAGS_COMMON := -std=c17 -D_GNU_SOURCE $(WARN) $(PKG_CFLAGS) \
	$(MUPDF_CFLAGS) -MMD -MP
LIBS := $(PKG_LIBS) $(MUPDF_LIBS) -lpthread -lm

REL_CFLAGS := $(CFLAGS_COMMON) -O2 -g -D_FORTIFY_SOURCE=2 \
	-fstack-protector-strong -fPIE
REL_LDFLAGS := -pie -Wl,-z,relro,-z,now
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
ASAN_CFLAGS := $(CFLAGS_COMMON) -O1 -g $(SAN)
ASAN_LDFLAGS := $(SAN)

SRC := $(sort $(wildcard src/*/*.c))
LIB_SRC := $(filter-out src/cli/main.c,$(SRC))
ASSETS := $(sort $(wildcard templates/*.html static/* migrations/*.sql demo/* i18n/*.txt \
	wordlists/*.txt))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
INTEG_SRC := $(sort $(wildcard tests/integration/*.c))

all: wenku

# --- generated assets -------------------------------------------------------
build/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

build/gen/assets.c: build/tools/embed $(ASSETS) Makefile
	@mkdir -p $(dir $@)
	build/tools/embed $@ $(ASSETS)

# --- release ---------------------------------------------------------------
REL_OBJ := $(patsubst %.c,build/rel/%.o,$(SRC) build/gen/assets.c)
build/rel/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -c -o $@ $<

wenku: $(REL_OBJ)
	$(CC) $(REL_LDFLAGS) -o $@ $^ $(LIBS)

# --- sanitizer build and tests ----------------------------------------------
ASAN_LIB_OBJ := $(patsubst %.c,build/asan/%.o,$(LIB_SRC) build/gen/assets.c)
build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -c -o $@ $<

build/asan/wenku: $(ASAN_LIB_OBJ) build/asan/src/cli/main.o
	$(CC) $(ASAN_LDFLAGS) -o $@ $^ $(LIBS)

build/asan/unit-tests: $(ASAN_LIB_OBJ) $(patsubst %.c,build/asan/%.o,$(UNIT_SRC))
	$(CC) $(ASAN_LDFLAGS) -o $@ $^ $(LIBS)

build/asan/integration-tests: $(patsubst %.c,build/asan/%.o,$(INTEG_SRC))
	$(CC) $(ASAN_LDFLAGS) -o $@ $^ -lpthread $(shell pkg-config --libs libzip libsodium sqlite3)

asan: build/asan/wenku build/asan/unit-tests build/asan/integration-tests

# Fuzz harnesses (libFuzzer, clang) and their corpus replayer (any cc).
# Run one with a scratch corpus first, so libFuzzer writes there and not
# into the checked-in seeds:
#   build/fuzz/fuzz_docx -max_total_time=60 build/fuzz/docx fuzz/corpus/docx
# fuzz/fuzz_*.c are harnesses; FUZZ_HELPERS are linked into every one.
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_HELPERS := fuzz/pack.c
build/asan/fuzz-replay: $(ASAN_LIB_OBJ) $(patsubst %.c,build/asan/%.o,$(FUZZ_SRC) $(FUZZ_HELPERS)) build/asan/fuzz/replay.o
	$(CC) $(ASAN_LDFLAGS) -o $@ $^ $(LIBS)

# The search benchmark's program (bench/search), on the release objects.
REL_LIB_OBJ := $(patsubst %.c,build/rel/%.o,$(LIB_SRC) build/gen/assets.c)
build/bench/search-bench: $(REL_LIB_OBJ) bench/search_bench.c tests/unit/search_corpus.c
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) $(REL_LDFLAGS) -o $@ bench/search_bench.c \
		tests/unit/search_corpus.c $(REL_LIB_OBJ) $(LIBS)

fuzz: $(FUZZ_SRC) $(FUZZ_HELPERS) build/gen/assets.c
	@mkdir -p build/fuzz $(patsubst fuzz/fuzz_%.c,build/fuzz/%,$(FUZZ_SRC))
	for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	    -DFUZZ_LIBFUZZER $(PKG_CFLAGS) $(MUPDF_CFLAGS) -o build/fuzz/$$n $$f $(FUZZ_HELPERS) \
	    $(LIB_SRC) build/gen/assets.c $(LIBS) || exit 1; done

test: wenku asan build/asan/fuzz-replay
	tests/run --no-build

clean:
	rm -rf build wenku

.PHONY: all asan fuzz test clean
-include $(shell find build -name '*.d' 2>/dev/null)
