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
ALTCALL_CFLAGS := -fplugin=$(ALTCALL_PLUGINDIR)/altcall.so \
	$(if $(ALTCALL_INCLUDE),-I$(ALTCALL_INCLUDE)) \
	$(if $(ALTCALL_VERBOSE),-fplugin-arg-altcall-verbose) \
	$(if $(ALTCALL_REQUIRE),-DALTCALL_REQUIRE_PLUGIN)
ALTCALL_LIBS ?= -laltcall

# The full path, not -iplugindir with the short name: cc1 does not get
# -iplugindir for preprocessed input (distcc, ccache, -save-temps).
ALTCALL_PLUGIN := $(ALTCALL_PLUGINDIR)/altcall.so
