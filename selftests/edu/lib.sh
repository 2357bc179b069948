# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# lib.sh - what the shell kselftests (module.sh, edurun_test.sh,
# edurun_servers_test.sh, edustat_test.sh, trace_test.sh) share; sourced,
# not run:
#
#   . "$DIR/lib.sh"
#
# KTAP output: ktap_plan N, then one result per test (result, or pass,
# fail, skip), then ktap_end, which prints the totals and exits 0 (pass),
# 1 (a failure) or 4 (all skipped).

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

ntest=0
nfail=0
nskip=0
nplan=0
why=

ktap_plan() {
	nplan=$1
	echo "1..$nplan"
}
ktap() {
	ntest=$((ntest + 1))
	echo "$1 $ntest $2"
}
pass() { ktap ok "$1"; }
fail() { ktap "not ok" "$1"; nfail=$((nfail + 1)); }
skip() { ktap ok "$1 # SKIP $2"; nskip=$((nskip + 1)); }
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }

# result DESC COMMAND...: run the command; pass if it succeeds, skip if it
# returns 2 having said why in $why, fail otherwise.  Tests that take two
# seconds or more show their time.
result() {
	local desc=$1 t0=$SECONDS rc

	shift
	why=
	"$@"
	rc=$?
	if [ $rc = 0 ]; then
		pass "$desc"
	elif [ $rc = 2 ] && [ -n "$why" ]; then
		skip "$desc" "$why"
	else
		fail "$desc"
	fi
	[ $((SECONDS - t0)) -lt 2 ] || diag "  ($((SECONDS - t0)) s)"
}

# ktap_end: the totals, and the exit.
ktap_end() {
	[ $ntest = "$nplan" ] ||
		{ diag "ran $ntest tests, planned $nplan"; nfail=$((nfail + 1)); }
	diag "Totals: pass:$((ntest - nfail - nskip)) fail:$nfail skip:$nskip"
	[ $nfail -eq 0 ] || exit $KSFT_FAIL
	[ $nskip -lt $ntest ] || exit $KSFT_SKIP
	exit $KSFT_PASS
}

# expect WHAT GOT WANT: compare, and say what differs.
expect() {
	[ "$2" = "$3" ] && return 0
	diag "$1: got '$2', expected '$3'"
	return 1
}

# wait_for SECONDS COMMAND...: poll the command every 0.1 s until it
# succeeds, for up to SECONDS; its status on the last try.  The command is
# run anew each time: pass a function, not `test "$(...)"`, whose words
# are expanded once, before the first try.
wait_for() {
	local i n=$(($1 * 10))

	shift
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

# The family the module registers by default (its family= parameter).
AF_EDU=19

# loaded: the edu module is loaded.
loaded() { [ -d /sys/module/edu ]; }

# module_restore: leave the module as the test found it: loaded from
# $MODULE, with the default family.
module_restore() {
	if loaded && [ "$(cat /sys/module/edu/parameters/family)" != $AF_EDU ]; then
		rmmod edu
	fi
	loaded || insmod "$MODULE" 2>/dev/null
}

# stop_jobs PID...: end background jobs and reap them.
stop_jobs() {
	local p

	for p in "$@"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
}

# count NAME: a live-object count of the module (/sys/kernel/edu/objects).
count() { cat "/sys/kernel/edu/objects/$1" 2>/dev/null; }

# no_sockets: the module holds no socket.
no_sockets() { [ "$(count sockets)" = 0 ]; }

# snmp NAME: a counter of this namespace's /proc/net/edu_snmp.
snmp() {
	awk -v name="$1" '
		NR == 1 { for (i = 2; i <= NF; i++) col[$i] = i }
		NR == 2 { print $col[name] }' /proc/net/edu_snmp
}

# passive_reached: opens' wait for the server's side (p0, want_p are
# opens' locals).
passive_reached() { [ $(($(snmp PassiveOpens) - p0)) -ge "$want_p" ]; }

# opens ACTIVE PASSIVE COMMAND...: run the command; AF_EDU's ActiveOpens
# and PassiveOpens must grow by ACTIVE and PASSIVE.
opens() {
	local a0 p0 a p want_a=$1 want_p=$2 rc

	shift 2
	a0=$(snmp ActiveOpens)
	p0=$(snmp PassiveOpens)
	timeout 60 "$@"
	rc=$?
	[ $rc = 0 ] || { diag "$* exited $rc"; return 1; }
	# The server's count lands when its side of the handshake completes.
	wait_for 10 passive_reached
	a=$(($(snmp ActiveOpens) - a0))
	p=$(($(snmp PassiveOpens) - p0))
	expect "AF_EDU connects (ActiveOpens)" $a "$want_a" &&
		expect "AF_EDU accepts (PassiveOpens)" $p "$want_p"
}

# listening FILE PORT: FILE (/proc/net/tcp or /proc/net/edu) shows a
# listener on PORT, at any address.
listening() {
	awk -v port="$(printf ':%04X' "$2")" \
		'substr($2, 9) == port && $4 == "0A" { found = 1 }
		 END { exit !found }' "$1"
}
