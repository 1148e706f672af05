# Host-only tests for libmailslot; invoked by `make test` with SRCDIR and O.
CC ?= cc
CXX ?= c++
T := $(O)/tests
WARN := -Wall -Wextra -Werror
INC := -I$(SRCDIR)/include

.PHONY: run headers exports install-check
run: $(T)/unit headers exports install-check
	$(T)/unit
	@echo "host tests: all passed"

$(T)/unit: $(SRCDIR)/tests/unit.c $(O)/libmailslot.a
	@mkdir -p $(T)
	$(CC) $(WARN) -std=gnu11 -g $(INC) -I$(SRCDIR)/src -o $@ $< $(O)/libmailslot.a -lpthread

# Every public header, warning-free as C99, C11+UNICODE, C++98, C++11+UNICODE.
headers:
	@mkdir -p $(T)
	$(CC) $(WARN) -std=c99 $(INC) -c -o $(T)/h-c99.o $(SRCDIR)/tests/headers.c
	$(CC) $(WARN) -std=c99 -pedantic $(INC) -c -o $(T)/h-c99p.o $(SRCDIR)/tests/headers.c
	$(CC) $(WARN) -std=c11 -DUNICODE $(INC) -c -o $(T)/h-c11u.o $(SRCDIR)/tests/headers.c
	$(CXX) $(WARN) -std=c++98 -x c++ $(INC) -c -o $(T)/h-cxx98.o $(SRCDIR)/tests/headers.c
	$(CXX) $(WARN) -std=c++11 -x c++ -DUNICODE $(INC) -c -o $(T)/h-cxx11u.o $(SRCDIR)/tests/headers.c
	$(CXX) $(WARN) -std=c++17 -x c++ $(INC) -o $(T)/h-cxx17 $(SRCDIR)/tests/headers.c -L$(O) -lmailslot
	$(CC) $(WARN) -std=c99 $(INC) -o $(T)/h-c99 $(SRCDIR)/tests/headers.c -L$(O) -lmailslot

# The shared object exports exactly the names in the version script.
exports:
	@nm -D --defined-only $(O)/libmailslot.so | awk '$$2 == "T" {sub(/@.*/, "", $$3); print $$3}' | sort > $(T)/exports.have
	@sed -n 's/^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\);$$/\1/p' $(SRCDIR)/libmailslot.map | sort > $(T)/exports.want
	@diff -u $(T)/exports.want $(T)/exports.have && echo "exports: match libmailslot.map"
	@readelf -d $(O)/libmailslot.so | grep -q 'SONAME.*libmailslot.so.1' && echo "soname: libmailslot.so.1"

# make install into a staging dir; a sample builds with pkg-config alone.
install-check:
	rm -rf $(T)/stage
	$(MAKE) -s -C $(SRCDIR) O=$(O) install PREFIX=/usr DESTDIR=$(T)/stage >/dev/null
	test -f $(T)/stage/usr/include/libmailslot/windows.h
	test ! -e $(T)/stage/usr/include/windows.h
	test -L $(T)/stage/usr/lib/libmailslot.so.1
	test -f $(T)/stage/usr/lib/libmailslot.a
	test -f $(T)/stage/usr/share/man/man3/CreateMailslot.3
	test -f $(T)/stage/usr/share/man/man7/libmailslot.7
	PKG_CONFIG_SYSROOT_DIR=$(T)/stage PKG_CONFIG_LIBDIR=$(T)/stage/usr/lib/pkgconfig \
		sh -c '$(CC) $(WARN) -o $(T)/pc-write_slot $(SRCDIR)/samples/write_slot.c $$(pkg-config --cflags --libs libmailslot)'
	PKG_CONFIG_SYSROOT_DIR=$(T)/stage PKG_CONFIG_LIBDIR=$(T)/stage/usr/lib/pkgconfig \
		sh -c '$(CC) -static -o $(T)/pc-read_slot $(SRCDIR)/samples/read_slot.c $$(pkg-config --static --cflags --libs libmailslot)'
	LD_LIBRARY_PATH=$(T)/stage/usr/lib $(T)/pc-write_slot 2>&1 | grep -q 'CreateFile failed with' && echo "install-check: pkg-config build OK"
