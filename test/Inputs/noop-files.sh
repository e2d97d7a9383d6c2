#!/bin/sh
# Compile each file at -O0/-O2/-O3 with and without the plugin; count
# identical objects.  Usage: noop-files.sh "CC FLAGS" PLUGIN WORKDIR FILE...
set -eu
cc=$1 plugin=$2 work=$3
shift 3
mkdir -p "$work"
same=0 diff=0 n=0
for f in "$@"; do
	n=$((n + 1))
	for level in -O0 -O2 -O3; do
		# shellcheck disable=SC2086
		$cc -DNO_MISUSE -w $level -c "$f" -o "$work/plain.o"
		# shellcheck disable=SC2086
		$cc -DNO_MISUSE -w $level -fplugin="$plugin" -c "$f" -o "$work/plugin.o"
		if cmp -s "$work/plain.o" "$work/plugin.o"; then
			same=$((same + 1))
		else
			diff=$((diff + 1))
			echo "DIFFERENT: $f $level"
		fi
	done
done
echo "$n files x 3 levels: $same identical, $diff different"
