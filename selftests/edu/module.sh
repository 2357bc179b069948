#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# module.sh - the life cycle of the edu module: it cannot be unloaded while
# an AF_EDU socket is open and can be once none is; it loads again; the
# family= parameter moves it to another free slot and refuses taken or
# invalid ones, cleaning up after itself; and socket(AF_EDU, ...) loads an
# installed module by itself (MODULE_ALIAS_NETPROTO, "net-pf-19").
#
#   module.sh [MODULE.ko]
#
# Runs as root where the module may be unloaded (scripts/vm's guest).  The
# module file defaults to the copy scripts/vm loaded (/run/edu-vm/*.ko),
# else the repository's mod/edu.ko.  Leaves the module loaded, as it found
# it.  KTAP output; exit status 0 pass, 1 fail, 4 skip.

set -u

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/edu/lib.sh
. "$DIR/lib.sh"
SOCK=$DIR/edu_sock
TMP=
holder=
orig_modprobe=

# expect_socket FAMILY WANT: socket(FAMILY) gives WANT ("ok" or an errno).
expect_socket() {
	local got

	got=$("$SOCK" "$1")
	[ "$got" = "$2" ] && return 0
	diag "socket($1): $got, expected $2"
	return 1
}

do_insmod() {
	local out

	out=$(insmod "$MODULE" "$@" 2>&1) && return 0
	diag "insmod $* failed: $out"
	return 1
}

do_rmmod() {
	local out

	out=$(rmmod edu 2>&1) && return 0
	diag "rmmod edu failed: $out"
	return 1
}

# gone: nothing of the module is left.
gone() {
	! loaded && [ ! -e /proc/net/edu ] && [ ! -e /sys/kernel/edu ]
}

cleanup() {
	if [ -n "$holder" ]; then
		{ kill "$holder"; wait "$holder"; } 2>/dev/null
	fi
	[ -n "$orig_modprobe" ] && echo "$orig_modprobe" >/proc/sys/kernel/modprobe
	[ -n "$TMP" ] && rm -rf "$TMP"
	module_restore
}

# ----------------------------------------------------------- preflight --
echo "TAP version 13"

MODULE=${1:-}
if [ -z "$MODULE" ]; then
	for m in /run/edu-vm/*.ko "$DIR/../../mod/edu.ko"; do
		[ -f "$m" ] && { MODULE=$m; break; }
	done
fi
reason=
if [ "$(id -u)" != 0 ]; then
	reason="must run as root"
elif [ -z "$MODULE" ] || [ ! -f "$MODULE" ]; then
	reason="no module file (pass the path of edu.ko)"
elif [ ! -x "$SOCK" ]; then
	reason="$SOCK is missing: run make first"
elif ! command -v insmod >/dev/null || ! command -v rmmod >/dev/null; then
	reason="no insmod/rmmod"
fi
if [ -n "$reason" ]; then
	echo "1..0 # SKIP $reason"
	exit $KSFT_SKIP
fi
ktap_plan 13
diag "module: $MODULE"
TMP=$(mktemp -d)
trap cleanup EXIT

# ------------------------------------------------------------ the tests --
t_loaded() {
	if ! loaded; then
		do_insmod || return 1
	fi
	expect_socket $AF_EDU ok && [ -r /proc/net/edu ] &&
		[ "$(count sockets)" = 0 ] && [ "$(count ports)" = 0 ] &&
		[ "$(count skbs)" = 0 ] &&
		[ "$(cat /sys/kernel/edu/family)" = $AF_EDU ]
}
result "module loaded, socket(AF_EDU) works" t_loaded

t_busy() {
	local out refcnt

	"$SOCK" -l $AF_EDU "$TMP/ready" &
	holder=$!
	wait_for 5 test -e "$TMP/ready" || { diag "the holder did not start"; return 1; }
	refcnt=$(cat /sys/module/edu/refcnt)
	[ "$refcnt" -gt 0 ] || { diag "refcnt $refcnt with a socket open"; return 1; }
	if out=$(rmmod edu 2>&1); then
		diag "rmmod succeeded with a socket open"
		return 1
	fi
	diag "rmmod: $out"
	loaded && [ "$(count sockets)" = 1 ] && [ "$(count ports)" = 1 ] &&
		[ "$(($(wc -l </proc/net/edu) - 1))" = 1 ]
}
result "rmmod refused while a socket is open" t_busy

t_unload() {
	{ kill "$holder" && wait "$holder"; } 2>/dev/null
	holder=
	wait_for 5 no_sockets || { diag "sockets: $(count sockets)"; return 1; }
	[ "$(count ports)" = 0 ] || { diag "ports: $(count ports)"; return 1; }
	[ "$(count skbs)" = 0 ] || { diag "skbs: $(count skbs)"; return 1; }
	[ "$(cat /sys/module/edu/refcnt)" = 0 ] || { diag "refcnt not 0"; return 1; }
	do_rmmod && gone
}
result "rmmod works once the socket is closed" t_unload

t_absent() {
	expect_socket $AF_EDU EAFNOSUPPORT
}
if modprobe -n -q edu 2>/dev/null; then
	skip "socket(AF_EDU) fails without the module" "edu is installed here; it would autoload"
else
	result "socket(AF_EDU) fails without the module" t_absent
fi

t_reload() {
	do_insmod && expect_socket $AF_EDU ok
}
result "insmod again" t_reload

# The module goes while a namespace that had a socket is being dismantled.
t_netns() {
	unshare -n "$SOCK" $AF_EDU >/dev/null || return 1
	unshare -n sh -c "'$SOCK' -l $AF_EDU '$TMP/ns-ready' & p=\$!
		while [ ! -e '$TMP/ns-ready' ]; do sleep 0.05; done
		kill \$p; wait \$p 2>/dev/null; true" || return 1
	wait_for 5 no_sockets || return 1
	do_rmmod && gone && do_insmod && expect_socket $AF_EDU ok
}
result "rmmod right after namespaces with sockets went away" t_netns

t_family22() {
	do_rmmod || return 1
	do_insmod family=22 || return 1
	[ "$(cat /sys/module/edu/parameters/family)" = 22 ] || return 1
	[ "$(cat /sys/kernel/edu/family)" = 22 ] ||
		{ diag "/sys/kernel/edu/family: $(cat /sys/kernel/edu/family)"; return 1; }
	expect_socket 22 ok && expect_socket $AF_EDU EAFNOSUPPORT &&
		[ -r /proc/net/edu ] && do_rmmod && gone
}
result "family=22 registers AF_EDU as family 22" t_family22

# refused PARAM: insmod with PARAM fails and leaves nothing behind.
refused() {
	local out

	if out=$(insmod "$MODULE" "$1" 2>&1); then
		diag "insmod $1 succeeded"
		rmmod edu
		return 1
	fi
	diag "insmod $1: $out"
	gone
}
result "family=2 (AF_INET, taken) refused" refused family=2
result "family=46 (AF_MAX) refused" refused family=46
result "family=0 refused" refused family=0
result "family=-1 refused" refused family=-1

t_after_refused() {
	do_insmod && expect_socket $AF_EDU ok && [ "$(count sockets)" = 0 ]
}
result "insmod works after the refused loads" t_after_refused

# Autoload: install the module in a module tree of its own (a full depmod
# of the kernel's tree takes half a minute under TCG) and point the
# kernel's modprobe at that tree.  The alias comes from the module itself.
t_autoload() {
	local kver tree shim

	kver=$(uname -r)
	tree=$TMP/tree
	mkdir -p "$tree/lib/modules/$kver/extra"
	cp "$MODULE" "$tree/lib/modules/$kver/extra/edu.ko"
	echo extra/edu.ko >"$tree/lib/modules/$kver/modules.order"
	for f in modules.builtin modules.builtin.modinfo; do
		if [ -r "/lib/modules/$kver/$f" ]; then
			cp "/lib/modules/$kver/$f" "$tree/lib/modules/$kver/"
		else
			: >"$tree/lib/modules/$kver/$f"
		fi
	done
	depmod -b "$tree" "$kver" || { diag "depmod failed"; return 1; }
	grep -q "^alias net-pf-$AF_EDU edu\$" "$tree/lib/modules/$kver/modules.alias" ||
		{ diag "no net-pf-$AF_EDU alias in modules.alias"; return 1; }

	# The kernel runs its modprobe helper from PID 1's root, which under
	# scripts/vm (switch_root) is this root: a wrapper points it at the tree.
	[ / -ef /proc/1/root ] || { diag "not in PID 1's root"; return 2; }
	shim=$TMP/modprobe
	printf '#!/bin/sh\nexec /sbin/modprobe -d %s "$@"\n' "$tree" >"$shim"
	echo "$shim" >"$TMP/path"
	chmod 755 "$shim"
	orig_modprobe=$(cat /proc/sys/kernel/modprobe)
	cat "$TMP/path" >/proc/sys/kernel/modprobe || return 1

	do_rmmod && gone || return 1
	expect_socket $AF_EDU ok || return 1
	loaded || { diag "socket() worked but edu is not loaded"; return 1; }
	echo "$orig_modprobe" >/proc/sys/kernel/modprobe
	orig_modprobe=
	[ "$(cat /sys/module/edu/parameters/family)" = $AF_EDU ]
}
t_autoload
case $? in
0) pass "socket(AF_EDU) autoloads the installed module" ;;
2) skip "socket(AF_EDU) autoloads the installed module" "cannot route modprobe" ;;
*) fail "socket(AF_EDU) autoloads the installed module" ;;
esac

# ----------------------------------------------------------------- end --
ktap_end
