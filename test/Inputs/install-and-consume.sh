#!/bin/sh
# Install altcall into a fresh prefix, then build three consumers that know
# nothing of this tree: through pkg-config, Meson's dependency('altcall') and
# the Make fragment.  Usage: install-and-consume.sh SRC WORKDIR
set -eu
src=$1 work=$2
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
meson setup "$work/build" "$src" --prefix="$prefix" --libdir=lib \
	-Dplugindir="$prefix/lib/gcc-plugin" -Darm64=disabled -Dtests=false >"$work/setup.log"
meson install -C "$work/build" >"$work/install.log"
ls "$prefix/lib/gcc-plugin/altcall.so" "$prefix/include/altcall.h" "$prefix/lib/libaltcall.a" \
	"$prefix/lib/libaltcall.so" "$prefix/lib/libaltcall.so.0" \
	"$prefix/bin/altcall-sites" "$prefix/share/altcall/altcall.mk" | sed "s|$prefix|PREFIX|"

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
# The consumers use the shared runtime, installed outside the loader's path.
export LD_LIBRARY_PATH="$prefix/lib"
echo "cflags: $(pkg-config --cflags altcall | sed "s|$prefix|PREFIX|g")"
echo "plugin: $(pkg-config --variable=plugin altcall | sed "s|$prefix|PREFIX|g")"
gcc -O2 "$src/test/Inputs/consumers/consumer.c" $(pkg-config --cflags --libs altcall) -o "$work/pkgconfig-consumer"
echo "pkg-config: $("$work/pkgconfig-consumer")"
# Every other installed GCC has its own plugin and its own .pc file.
for other in $(cd "$prefix/lib/gcc-plugin" && ls -d gcc-* 2>/dev/null); do
	echo "$other: $(pkg-config --variable=plugin "altcall-$other" | sed "s|$prefix|PREFIX|g")"
	"$other" -O2 "$src/test/Inputs/consumers/consumer.c" $(pkg-config --cflags --libs "altcall-$other") \
		-o "$work/$other-consumer"
	echo "$other pkg-config: $("$work/$other-consumer")"
done

meson setup "$work/meson-consumer" "$src/test/Inputs/consumers/meson" >"$work/consumer-setup.log"
ninja -C "$work/meson-consumer" >"$work/consumer-build.log"
echo "meson: $("$work/meson-consumer/consumer")"

cp -r "$src/test/Inputs/consumers" "$work/consumers"
make -s -C "$work/consumers/make" ALTCALL_MK="$prefix/share/altcall/altcall.mk" \
	ALTCALL_PLUGINDIR="$prefix/lib/gcc-plugin" CPPFLAGS="-I$prefix/include" LDFLAGS="-L$prefix/lib"
echo "make: $("$work/consumers/make/consumer")"
"$prefix/bin/altcall-sites" "$work/consumers/make/consumer"

gcc -O2 -iplugindir="$prefix/lib/gcc-plugin" -fplugin=altcall -I"$prefix/include" \
	"$src/test/Inputs/consumers/consumer.c" -L"$prefix/lib" -laltcall -o "$work/short-name"
echo "short name: $("$work/short-name")"
