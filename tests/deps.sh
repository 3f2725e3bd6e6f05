#!/bin/sh
# deps.sh: installs the Debian packages syncorr builds and tests with,
# when pkg-config or the PATH cannot find them.  make check, make demo
# and make fuzz call it first; it does nothing when all is there.
set -eu

missing=""
need_pc() {	# need_pc PKGCONFIG-NAME DEBIAN-PACKAGE
	pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"
}
need_cmd() {	# need_cmd COMMAND DEBIAN-PACKAGE
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}

need_cmd pkg-config pkg-config
need_cmd cc gcc
need_cmd make make
[ -e /usr/include/stdio.h ] || missing="$missing libc6-dev"
if command -v pkg-config >/dev/null 2>&1; then
	need_pc libevent libevent-dev
	need_pc libevent_openssl libevent-dev
	need_pc libxml-2.0 libxml2-dev
	need_pc zlib zlib1g-dev
	need_pc cmocka libcmocka-dev
	need_pc json-c libjson-c-dev
	need_pc libcrypto libssl-dev
	need_pc openssl libssl-dev
	need_pc gmime-3.0 libgmime-3.0-dev
	need_pc libevtx libevtx-dev
	need_pc libbfio libbfio-dev
	need_pc sqlite3 libsqlite3-dev
fi
[ -e /usr/include/jsmn.h ] || missing="$missing libjsmn-dev"
need_cmd evtxexport libevtx-utils
need_cmd xmllint libxml2-utils
need_cmd sec sec
need_cmd clang clang
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a \
    >/dev/null 2>&1 || missing="$missing libclang-rt-14-dev"
need_cmd gzip gzip
need_cmd sqlite3 sqlite3
need_cmd mandoc mandoc
# The real receiver of tests/regress/06-sink-rsyslog.sh, its TLS driver,
# and openssl to make its throwaway certificates.
[ -x /usr/sbin/rsyslogd ] || missing="$missing rsyslog"
ls /usr/lib/*/rsyslog/lmnsd_ossl.so >/dev/null 2>&1 ||
    missing="$missing rsyslog-openssl"
need_cmd openssl openssl

[ -z "$missing" ] && exit 0
echo "deps: installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root; run: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends$missing
