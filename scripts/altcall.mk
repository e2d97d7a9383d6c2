# altcall: add the GCC plugin to a Make or Kbuild build.
#
#   include altcall.mk                      (after CC is set)
#   CFLAGS += $(ALTCALL_CFLAGS)             plain Make
#   KBUILD_CFLAGS += $(ALTCALL_CFLAGS)      Kbuild, like scripts/Makefile.gcc-plugins
#   LDLIBS += $(ALTCALL_LIBS)               user space; a kernel links its own platform
#
# Settings, all optional:
#   ALTCALL_PLUGINDIR  where altcall.so is (default: the compiler's plugin directory)
#   ALTCALL_INCLUDE    where altcall.h is (default: none, i.e. the system's)
#   ALTCALL_VERBOSE=1  a note for every site
#   ALTCALL_REQUIRE=1  make a compile without the plugin an error in altcall.h
ALTCALL_PLUGINDIR ?= $(shell $(CC) -print-file-name=plugin)
ALTCALL_CFLAGS := -iplugindir=$(ALTCALL_PLUGINDIR) -fplugin=altcall \
	$(if $(ALTCALL_INCLUDE),-I$(ALTCALL_INCLUDE)) \
	$(if $(ALTCALL_VERBOSE),-fplugin-arg-altcall-verbose) \
	$(if $(ALTCALL_REQUIRE),-DALTCALL_REQUIRE_PLUGIN)
ALTCALL_LIBS ?= -laltcall

# Objects depend on the plugin, as Kbuild's objects depend on theirs.
ALTCALL_PLUGIN := $(ALTCALL_PLUGINDIR)/altcall.so
