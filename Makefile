# daxtool: inspect and benchmark Linux DAX memory.
#
#   make            build ./daxtool
#   make deps       install the missing Debian packages (root), or print the
#                   apt-get line that would
#   make demo       deps + build + run the main job on this machine
#   make check      deps + build (warnings are errors) + every test, also
#                   under AddressSanitizer/UBSan; ends "N passed, N failed,
#                   N skipped"
#   make check-vm   only the tests in the emulated-NVDIMM virtual machine
#   make bench      benchmarks: daxtool against the tools users would pick,
#                   then make fuzz for a bounded time
#   make fuzz       fuzz the layout reader and the size parser (clang,
#                   libFuzzer), FUZZ_SECONDS per target
#   make install    PREFIX=/usr/local DESTDIR=: the binary, the bash
#                   completion, the manual pages
#   make uninstall  the same PREFIX and DESTDIR: remove what install put

VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1)
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
COMPLETIONSDIR ?= $(PREFIX)/share/bash-completion/completions

PKGS := json-c libdaxctl libndctl libcxl libpmem devmapper
# Linked: json-c. The others are loaded when first needed (daxtool/dlib.h):
# only their headers are compiled against, and their sonames come from the
# libraries pkg-config finds.
LINK_PKGS := json-c
CC ?= cc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wno-format-nonliteral
ifeq ($(WERROR),1)
WARN += -Werror
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null)
soname = $(shell readelf -d "$$(pkg-config --variable=libdir $(1) 2>/dev/null)/$(2)" \
	2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
so_def = $(if $(call soname,$(2),$(3)),-D$(1)='"$(call soname,$(2),$(3))"')
SONAMES = $(call so_def,DT_SO_NDCTL,libndctl,libndctl.so) \
	$(call so_def,DT_SO_DAXCTL,libdaxctl,libdaxctl.so) \
	$(call so_def,DT_SO_CXL,libcxl,libcxl.so) \
	$(call so_def,DT_SO_DEVMAPPER,devmapper,libdevmapper.so) \
	$(call so_def,DT_SO_PMEM,libpmem,libpmem.so)
# The include path of each layer is what it may see: data flows cmd ->
# bench -> lib, never back. lib/ sees only include/; bench/ sees lib's
# headers and its own; cmd/ sees all three.
INC = -Iinclude
ALL_CFLAGS = -std=gnu11 -D_GNU_SOURCE -pthread $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) $(INC) \
	$(PKG_CFLAGS) -DDAXTOOL_VERSION='"$(VERSION)"'
ALL_LDFLAGS = $(LDFLAGS) $(EXTRA_LDFLAGS) -pthread -Wl,--as-needed -lm

# Debian packages: to build, to test, and for the virtual-machine tests.
DEB_BUILD := gcc make pkg-config libjson-c-dev libdaxctl-dev libndctl-dev libcxl-dev \
	libpmem-dev libdevmapper-dev xfslibs-dev
DEB_TEST := e2fsprogs xfsprogs util-linux jq gawk strace time fio
# ndctl brings the cxl tool too (the CXL machine of test/vm/run --cxl)
DEB_VM := qemu-system-x86 busybox-static ndctl daxctl cpio kmod xz-utils

B ?= build
LIB_SRC := $(wildcard lib/*.c)
BENCH_SRC := $(wildcard bench/*.c)
CMD_SRC := $(wildcard cmd/*.c)
UNIT_SRC := $(wildcard test/unit/t-*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
BENCH_OBJ := $(BENCH_SRC:%.c=$(B)/%.o)
CMD_OBJ := $(CMD_SRC:%.c=$(B)/%.o)
UNIT_BIN := $(UNIT_SRC:%.c=$(B)/%)
BENCH_BIN := $(patsubst %.c,$(B)/%,$(wildcard bench/tools/*.c))
TOOL_BIN := $(B)/test/tools/dtprobe

all: daxtool man

daxtool: $(B)/daxtool
	cp $< $@

$(B)/daxtool: $(CMD_OBJ) $(B)/libbench.a $(B)/libdaxtool.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

$(B)/libdaxtool.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

# The workloads and their runner: an archive of their own, over libdaxtool.
$(B)/libbench.a: $(BENCH_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/lib/%.o: private INC = -Iinclude
$(B)/bench/%.o: private INC = -Iinclude -Ibench
$(B)/cmd/%.o: private INC = -Iinclude -Ibench -Icmd
$(B)/lib/dlib.o: ALL_CFLAGS += $(SONAMES)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# -MMD: a test's headers rebuild it when they change. A unit test sees
# what cmd/ sees, and links the archives it uses: the runner's pieces are
# in libbench.a, over libdaxtool.a.
$(B)/test/unit/%: private INC = -Iinclude -Ibench -Icmd -Itest/unit
$(B)/test/unit/%: test/unit/%.c test/unit/tap.h test/unit/collect.h \
		$(B)/libbench.a $(B)/libdaxtool.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(B)/libbench.a $(B)/libdaxtool.a \
		$(ALL_LDFLAGS) $(PKG_LIBS)

$(B)/test/tools/%: test/tools/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS)

# bench/tools: small programs of their own, beside the workloads
$(B)/bench/tools/%: private INC = -Iinclude -Ibench
$(B)/bench/tools/%: bench/tools/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS)

unit: $(UNIT_BIN) $(BENCH_BIN) $(TOOL_BIN)

deps:
	@DEB_PKGS="$(DEB_BUILD) $(DEB_TEST) $(DEB_VM)" sh test/deps.sh

demo: deps
	$(MAKE) all
	sh test/demo.sh ./daxtool

# The sanitizer build lives in build/asan and runs the same tests.
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

# check and check-vm build with a job per CPU (CHECK_JOBS)
CHECK_JOBS ?= $(shell nproc 2>/dev/null || echo 1)

check: deps
	$(MAKE) -j$(CHECK_JOBS) WERROR=1 all unit
	$(MAKE) -j$(CHECK_JOBS) WERROR=1 B=build/asan EXTRA_CFLAGS="$(SAN)" \
		EXTRA_LDFLAGS="$(SAN)" build/asan/daxtool unit man
	sh test/check.sh

check-vm: deps
	$(MAKE) -j$(CHECK_JOBS) WERROR=1 all $(TOOL_BIN)
	sh test/check.sh --vm-only

bench: deps
	$(MAKE) all unit
	sh bench/run.sh
	$(MAKE) fuzz FUZZ_SECONDS=$(BENCH_FUZZ_SECONDS)

# Fuzz the layout reader and the size and range parser with libFuzzer,
# under AddressSanitizer and UBSan, FUZZ_SECONDS each; a crash fails.
# Needs clang and its runtime (installed if missing, as by deps).
FUZZ_SECONDS ?= 60
BENCH_FUZZ_SECONDS ?= 30	# make bench fuzzes too, this long per target
FUZZ_SAN := -fsanitize=address,undefined,fuzzer-no-link \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
fuzz:
	@DEB_PKGS="clang libclang-rt-dev $(DEB_BUILD)" sh test/deps.sh
	$(MAKE) B=$(B)/fuzz CC=clang CFLAGS="-O1 -g" EXTRA_CFLAGS="$(FUZZ_SAN)" \
		$(B)/fuzz/libdaxtool.a
	FUZZ_CFLAGS="$(PKG_CFLAGS)" FUZZ_LIBS="$(PKG_LIBS)" \
		sh test/fuzz/run.sh $(B)/fuzz $(FUZZ_SECONDS)

.PHONY: fuzz

# Manual pages: doc/man/NAME.1.scd, made roff by scdoc into $(B)/man;
# daxtool help COMMAND opens them (cmd/help.c finds $(B)/man beside the
# binary). Dated by the last commit, so that a build is reproducible.
MAN1DIR ?= $(PREFIX)/share/man/man1
DEB_BUILD += scdoc
DEB_TEST += groff-base man-db
MAN_PAGES := $(patsubst doc/man/%.scd,$(B)/man/%,$(wildcard doc/man/*.scd))
MAN_DATE := $(shell git log -1 --format=%ct 2>/dev/null)
$(B)/cmd/help.o: ALL_CFLAGS += -DDT_BUILD_MAN='"$(B)/man"'

man: $(MAN_PAGES)

$(B)/man/%: doc/man/%.scd
	@mkdir -p $(dir $@)
	$(if $(MAN_DATE),SOURCE_DATE_EPOCH=$(MAN_DATE)) scdoc <$< >$@.tmp
	mv $@.tmp $@

install: daxtool man
	install -D -m 755 daxtool $(DESTDIR)$(BINDIR)/daxtool
	install -D -m 644 completions/daxtool.bash \
		$(DESTDIR)$(COMPLETIONSDIR)/daxtool
	install -d $(DESTDIR)$(MAN1DIR)
	install -m 644 $(MAN_PAGES) $(DESTDIR)$(MAN1DIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/daxtool $(DESTDIR)$(COMPLETIONSDIR)/daxtool \
		$(addprefix $(DESTDIR)$(MAN1DIR)/,$(notdir $(MAN_PAGES)))

clean:
	rm -rf build daxtool

.PHONY: all deps demo unit check check-vm bench man install uninstall clean
-include $(LIB_OBJ:.o=.d) $(BENCH_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(UNIT_BIN:=.d)
