#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# edurun_test.sh - tools/edu-run and its preload library: which sockets it
# converts to AF_EDU and which it leaves alone, with the socket's flags;
# many threads at once; what happens without the module (a plain refusal,
# or kernel TCP under EDU_RUN_FALLBACK=1); and real programs under it:
# curl fetching from python3's http.server in each combination of AF_EDU
# and kernel TCP, and iperf3, with the bytes checked and the sockets shown
# to be AF_EDU by the module's own counters and /proc/net/edu.
#
#   edurun_test.sh
#
# Runs as root in scripts/vm's guest with the module loaded (make tools
# first), in a network namespace of its own so the module's counters
# (/proc/net/edu_snmp) count only its connections.  Unloads and reloads
# the module (the copy scripts/vm loaded, /run/edu-vm/*.ko) for the
# module-absent cases, and leaves it loaded.  KTAP output; exit status
# 0 pass, 1 fail, 4 skip.

set -u

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/edu/lib.sh
. "$DIR/lib.sh"
TOOLS=$(cd "$DIR/../../tools" 2>/dev/null && pwd)
EDURUN=$TOOLS/edu-run
LIB=$TOOLS/libedu-run.so
PROBE=$DIR/edurun_probe
PYTHON=$(command -v /usr/bin/python3 python3 | head -n 1)
TMP=
pids=()

cleanup() {
	stop_jobs "${pids[@]}"
	[ -n "$TMP" ] && rm -rf "$TMP"
	module_restore
}

# The web servers: python3's http.server serving $DATA on 127.0.0.1, one
# on kernel TCP and one under edu-run (AF_EDU), each on a port of its own
# (${port[kernel]}, ${port[edu]}), until the end.  Python takes seconds
# to start under TCG, so both start in the background ahead of their
# first use: the kernel TCP one first thing, while the library is tested.
PORT=8079
DATA=
declare -A port=() ready=()

server_start() {
	local run=()

	[ -n "$PYTHON" ] || return 0
	[ "$1" = edu ] && run=("$EDURUN" -v)
	PORT=$((PORT + 1))
	"${run[@]}" "$PYTHON" -m http.server --bind 127.0.0.1 \
		--directory "$DATA" $PORT >"$TMP/server-$1.log" 2>&1 &
	pids+=($!)
	port[$1]=$PORT
}

# server edu|kernel: the server is up (started if need be), listening
# where it should.
server() {
	local table=/proc/net/tcp p

	[ -n "${ready[$1]:-}" ] && return 0
	[ -n "$PYTHON" ] || { why="no python3"; return 2; }
	[ -n "${port[$1]:-}" ] || server_start "$1"
	p=${port[$1]}
	[ "$1" = edu ] && table=/proc/net/edu
	if ! wait_for 10 listening $table "$p"; then
		diag "the $1 server is not listening:"
		sed 's/^/#   /' "$TMP/server-$1.log"
		return 1
	fi
	# A server on AF_EDU listens in /proc/net/edu, not in kernel TCP's
	# table, and the other way round.
	if [ "$1" = edu ] && listening /proc/net/tcp "$p"; then
		diag "the AF_EDU server also listens on kernel TCP"
		return 1
	fi
	if [ "$1" = kernel ] && listening /proc/net/edu "$p"; then
		diag "the kernel TCP server shows in /proc/net/edu"
		return 1
	fi
	if [ "$1" = edu ] && ! grep -q 'is AF_EDU' "$TMP/server-edu.log"; then
		diag "the server's socket was not converted"
		return 1
	fi
	ready[$1]=1
}

# ----------------------------------------------------------- preflight --
# The caller's settings for edu-run are not the test's.
unset EDU_RUN_LIB EDU_RUN_DEBUG EDU_RUN_VERBOSE EDU_RUN_FALLBACK EDU_RUN_FAMILY
if [ "${EDURUN_TEST_NETNS:-}" != 1 ] && [ "$(id -u)" = 0 ]; then
	# A namespace of our own: the module's counters, /proc/net/edu and
	# the ports are then ours alone.
	EDURUN_TEST_NETNS=1 exec unshare -n "$0" "$@"
fi

echo "TAP version 13"
MODULE=
for m in /run/edu-vm/*.ko "$DIR/../../mod/edu.ko"; do
	[ -f "$m" ] && { MODULE=$m; break; }
done
reason=
if [ "$(id -u)" != 0 ]; then
	reason="must run as root"
elif [ ! -e /proc/net/edu ]; then
	reason="the edu module is not loaded"
elif [ ! -x "$EDURUN" ] || [ ! -r "$LIB" ]; then
	reason="no tools/edu-run or tools/libedu-run.so: run make tools"
elif [ ! -x "$PROBE" ]; then
	reason="$PROBE is missing: run make first"
fi
if [ -n "$reason" ]; then
	echo "1..0 # SKIP $reason"
	exit $KSFT_SKIP
fi
ktap_plan 16
ip link set lo up
ulimit -n 4096
TMP=$(mktemp -d)
trap cleanup EXIT
DATA=$TMP/www
mkdir -p "$DATA"
head -c $((4 << 20)) /dev/urandom >"$DATA/blob"
SUM=$(sha256sum <"$DATA/blob")
server_start kernel

# ------------------------------------------------ the library, alone --

# lines WANT...: one line per argument.
lines() { printf '%s\n' "$@"; }

# same WHAT GOT WANT: multi-line expect, showing the difference.
same() {
	[ "$2" = "$3" ] && return 0
	diag "$1 differs (- expected, + got):"
	diff <(echo "$3") <(echo "$2") | sed -n 's/^[<>]/#   &/p' | tr '<>' '-+'
	return 1
}

# -v's line for a converted socket of type TYPE and protocol PROTO.
VLINE='^edu-run\[[0-9]+\]: fd [0-9]+ is AF_EDU \(asked for AF_INET, '

t_flags() {
	local out ok=0 specs=(inet:stream:0 inet:stream+nonblock:tcp
		inet:stream+cloexec:0 inet:stream+nonblock+cloexec:tcp)

	# Kernel TCP without edu-run: what the conversion must change.
	out=$("$PROBE" "${specs[@]}")
	same "plain" "$out" "$(lines \
		"domain=2 type=1 protocol=6 nonblock=0 cloexec=0" \
		"domain=2 type=1 protocol=6 nonblock=1 cloexec=0" \
		"domain=2 type=1 protocol=6 nonblock=0 cloexec=1" \
		"domain=2 type=1 protocol=6 nonblock=1 cloexec=1")" || ok=1
	out=$("$EDURUN" "$PROBE" "${specs[@]}" 2>"$TMP/err")
	same "under edu-run" "$out" "$(lines \
		"domain=$AF_EDU type=1 protocol=0 nonblock=0 cloexec=0" \
		"domain=$AF_EDU type=1 protocol=0 nonblock=1 cloexec=0" \
		"domain=$AF_EDU type=1 protocol=0 nonblock=0 cloexec=1" \
		"domain=$AF_EDU type=1 protocol=0 nonblock=1 cloexec=1")" || ok=1
	# Without -v or EDU_RUN_DEBUG the library says nothing.
	[ ! -s "$TMP/err" ] || { diag "stderr: $(cat "$TMP/err")"; ok=1; }
	return $ok
}
result "IPv4 TCP sockets become AF_EDU, SOCK_NONBLOCK and SOCK_CLOEXEC kept" t_flags

t_untouched() {
	local plain edu ok=0 specs=(inet:dgram:0 inet:dgram+nonblock:udp
		inet:stream:udp inet:stream:sctp inet:stream:mptcp inet:raw:tcp
		inet:seqpacket:0 unix:stream:0 unix:dgram+cloexec:0
		unix:seqpacket:0 inet6:stream:0 inet6:stream+nonblock:tcp
		inet6:dgram:0)

	# The same result with and without edu-run, errors included, and no
	# socket reported as converted.
	plain=$("$PROBE" "${specs[@]}")
	edu=$("$EDURUN" -v "$PROBE" "${specs[@]}" 2>"$TMP/err")
	same "${specs[*]} under edu-run" "$edu" "$plain" || ok=1
	expect "lines" "$(echo "$edu" | wc -l)" ${#specs[@]} || ok=1
	[ ! -s "$TMP/err" ] || { diag "edu-run -v said: $(cat "$TMP/err")"; ok=1; }
	return $ok
}
result "other sockets untouched: UDP, SCTP, MPTCP, raw, AF_UNIX, AF_INET6" t_untouched

t_verbose() {
	local out ok=0

	out=$("$EDURUN" -v "$PROBE" inet:stream+cloexec:0 inet:stream:tcp 2>"$TMP/err")
	same "edu-run -v" "$out" "$(lines \
		"domain=$AF_EDU type=1 protocol=0 nonblock=0 cloexec=1" \
		"domain=$AF_EDU type=1 protocol=0 nonblock=0 cloexec=0")" || ok=1
	grep -Eq "${VLINE}SOCK_STREAM\|SOCK_CLOEXEC, protocol 0\)\$" "$TMP/err" &&
		grep -Eq "${VLINE}SOCK_STREAM, protocol 6\)\$" "$TMP/err" &&
		[ "$(wc -l <"$TMP/err")" = 2 ] ||
		{ diag "stderr: $(cat "$TMP/err")"; ok=1; }
	# IPv6 stays kernel TCP, with a notice under EDU_RUN_DEBUG only.
	out=$(EDU_RUN_DEBUG=1 "$EDURUN" "$PROBE" inet6:stream:0 2>"$TMP/err")
	expect "inet6 under EDU_RUN_DEBUG" "$out" \
		"domain=10 type=1 protocol=6 nonblock=0 cloexec=0" || ok=1
	grep -q '^edu-run\[[0-9]*\]: AF_INET6 SOCK_STREAM stays kernel TCP' "$TMP/err" &&
		[ "$(wc -l <"$TMP/err")" = 1 ] ||
		{ diag "inet6 stderr: $(cat "$TMP/err")"; ok=1; }
	return $ok
}
result "edu-run -v names each converted socket; EDU_RUN_DEBUG notes IPv6" t_verbose

t_threads() {
	local out n=16 m=32 ok=0

	out=$("$EDURUN" -v "$PROBE" threads $n $m 2>"$TMP/err")
	expect "$n threads x $m sockets" "$out" \
		"sockets=$((n * m)) family=$AF_EDU fds=$((n * m))" || ok=1
	# One whole line per socket, none torn by a concurrent writer, each
	# naming a different descriptor.
	expect "lines of edu-run -v" "$(grep -Ec \
		"${VLINE}SOCK_STREAM\|SOCK_CLOEXEC, protocol 0\)\$" "$TMP/err")" \
		$((n * m)) || ok=1
	expect "distinct fds reported" \
		"$(awk '{ print $3 }' "$TMP/err" | sort -u | wc -l)" $((n * m)) || ok=1
	wait_for 10 no_sockets || { diag "sockets left: $(count sockets)"; ok=1; }
	return $ok
}
result "16 threads make 512 sockets at once, all AF_EDU" t_threads

t_sockopt() {
	local out ok=0 got

	# An option nobody knows: the program sees ENOPROTOOPT, as from kernel
	# TCP, and EDU_RUN_DEBUG names it for the converted socket only.
	out=$(EDU_RUN_DEBUG=1 "$EDURUN" "$PROBE" inet:stream:0:tcp.999 \
		inet6:stream:0:tcp.999 inet:stream:0:tcp_info 2>"$TMP/err")
	same "getsockopt results" "$(echo "$out" | sed -n '1,2s/.* //p')" \
		"$(lines getsockopt=ENOPROTOOPT getsockopt=ENOPROTOOPT)" || ok=1
	expect "lines naming option 999" "$(grep -Ec \
		'^edu-run\[[0-9]+\]: getsockopt\(fd [0-9]+, SOL_TCP, 999\): ENOPROTOOPT' "$TMP/err")" \
		1 || ok=1
	# A real option: named if AF_EDU refuses it, silent if it answers.
	got=$(echo "$out" | sed -n "3s/.* //p")
	case $got in
	getsockopt=ENOPROTOOPT)
		grep -q 'getsockopt(fd [0-9]*, SOL_TCP, TCP_INFO): ENOPROTOOPT' "$TMP/err" ||
			{ diag "TCP_INFO not named: $(cat "$TMP/err")"; ok=1; } ;;
	getsockopt=ok)
		! grep -q TCP_INFO "$TMP/err" || { diag "$(cat "$TMP/err")"; ok=1; } ;;
	*)
		diag "getsockopt(TCP_INFO): $got"; ok=1 ;;
	esac
	return $ok
}
result "EDU_RUN_DEBUG names options AF_EDU refuses, errno unchanged" t_sockopt

# SO_REUSEPORT: set and read back as on kernel TCP.  Linux 6.1's socket
# core refuses it to AF_EDU (EOPNOTSUPP) and the library sets it through
# SOL_EDU instead; 6.12 lets the module answer it.
t_reuseport() {
	local ok=0

	expect "kernel TCP" "$("$PROBE" inet:stream:0:reuseport | sed 's/.* //')" \
		reuseport=1 || ok=1
	expect "under edu-run" "$("$EDURUN" "$PROBE" inet:stream:0:reuseport |
		sed 's/.* //')" reuseport=1 || ok=1
	return $ok
}
result "SO_REUSEPORT on a converted socket, as on kernel TCP" t_reuseport

# ---------------------------------------------------- without the module --
# The module goes (no AF_EDU socket is open yet: nothing has connected),
# comes back as family 22, then as itself.
unload() {
	local out

	wait_for 10 no_sockets
	if [ -z "$MODULE" ]; then
		why="no module file to load again"
		return 2
	elif modprobe -n -q edu 2>/dev/null; then
		why="edu is installed here; it would autoload"
		return 2
	elif ! out=$(rmmod edu 2>&1); then
		why="cannot unload the module: $out"
		return 2
	fi
	return 0
}

t_absent() {
	local out rc ok=0

	unload || return
	out=$("$EDURUN" "$PROBE" inet:stream:0 2>"$TMP/err")
	rc=$?
	expect "exit status" $rc 125 || ok=1
	expect "the program's output (it must not run)" "$out" "" || ok=1
	grep -q 'edu module is not loaded' "$TMP/err" ||
		{ diag "stderr: $(cat "$TMP/err")"; ok=1; }
	# The library alone (edu-run's check bypassed) refuses too: the
	# program gets EAFNOSUPPORT, never a kernel TCP socket.
	out=$(LD_PRELOAD=$LIB "$PROBE" inet:stream:0 2>"$TMP/err")
	expect "preloaded library without the module" "$out" "error=EAFNOSUPPORT" || ok=1
	grep -q 'AF_EDU (family 19) is not available' "$TMP/err" ||
		{ diag "stderr: $(cat "$TMP/err")"; ok=1; }
	return $ok
}
result "without the module: edu-run refuses plainly, exit 125" t_absent

t_fallback() {
	local out rc ok=0

	loaded && { why="the module is loaded"; return 2; }
	out=$(EDU_RUN_FALLBACK=1 "$EDURUN" "$PROBE" threads 4 8 2>"$TMP/err")
	rc=$?
	expect "exit status" $rc 0 || ok=1
	expect "sockets" "$out" "sockets=32 family=2 fds=32" || ok=1
	grep -q 'EDU_RUN_FALLBACK=1: running over kernel TCP' "$TMP/err" ||
		{ diag "stderr: $(cat "$TMP/err")"; ok=1; }
	# The library's own notice comes once per process, not per socket.
	expect "library notices" "$(grep -c 'not available; EDU_RUN_FALLBACK=1' "$TMP/err")" 1 || ok=1
	return $ok
}
result "without the module, EDU_RUN_FALLBACK=1 runs over kernel TCP" t_fallback

t_family22() {
	local out ok=0

	loaded && { why="the module could not be unloaded"; return 2; }
	insmod "$MODULE" family=22 || return 1
	out=$("$EDURUN" "$PROBE" inet:stream:0 2>&1)
	expect "edu-run with family=22" "$out" \
		"domain=22 type=1 protocol=0 nonblock=0 cloexec=0" || ok=1
	rmmod edu && insmod "$MODULE" || ok=1
	out=$("$EDURUN" "$PROBE" inet:stream:0 2>&1)
	expect "edu-run after reload" "$out" \
		"domain=$AF_EDU type=1 protocol=0 nonblock=0 cloexec=0" || ok=1
	return $ok
}
result "edu-run follows the module's family= parameter" t_family22

loaded || insmod "$MODULE"

# ------------------------------------------------------ real programs --
# Everything a program under edu-run says goes to a log; its -v and
# EDU_RUN_DEBUG lines show its AF_EDU sockets and any refused option.
export EDU_RUN_DEBUG=1
# The AF_EDU server may start now that the module stays.
server_start edu

# fetch CLIENT SERVER: curl on CLIENT (edu or kernel) fetches the blob
# from the server on SERVER; bytes and sockets checked.
fetch() {
	local run=() a=0 p=0 ok=0 log=$TMP/curl-$1-$2.log

	command -v curl >/dev/null || { why="no curl"; return 2; }
	[ "$1" = edu ] && { run=("$EDURUN" -v); a=1; }
	[ "$2" = edu ] && p=1
	server "$2" || return
	rm -f "$TMP/out"
	opens $a $p "${run[@]}" curl -sS -o "$TMP/out" \
		"http://127.0.0.1:${port[$2]}/blob" 2>"$log" || ok=1
	expect "sha256 of the fetched file" "$(sha256sum <"$TMP/out" 2>&1)" "$SUM" || ok=1
	if [ "$1" = edu ] && ! grep -q 'is AF_EDU' "$log"; then
		diag "curl's socket was not converted"
		ok=1
	fi
	grep -h ENOPROTOOPT "$log" | sed 's/^/# /'
	[ $ok = 0 ] || sed 's/^/#   /' "$log" "$TMP/server-$2.log"
	return $ok
}
result "curl under edu-run from http.server on kernel TCP, 4 MB sha256" fetch edu kernel
result "curl on kernel TCP from http.server under edu-run, 4 MB sha256" fetch kernel edu
result "curl and http.server both under edu-run, 4 MB sha256" fetch edu edu

t_wget() {
	local ok=0 log=$TMP/wget.log

	command -v wget >/dev/null || { why="no wget"; return 2; }
	server edu || return
	rm -f "$TMP/out"
	opens 1 1 "$EDURUN" -v wget -q -O "$TMP/out" \
		"http://127.0.0.1:${port[edu]}/blob" 2>"$log" || ok=1
	expect "sha256 of the fetched file" "$(sha256sum <"$TMP/out" 2>&1)" "$SUM" || ok=1
	grep -q 'is AF_EDU' "$log" || { diag "wget's socket was not converted"; ok=1; }
	grep -h ENOPROTOOPT "$log" | sed 's/^/# /'
	[ $ok = 0 ] || sed 's/^/#   /' "$log" "$TMP/server-edu.log"
	return $ok
}
result "wget and http.server both under edu-run, 4 MB sha256" t_wget
grep -h ENOPROTOOPT "$TMP/server-edu.log" 2>/dev/null | sed 's/^/# /'

# iperf3 CLIENT SERVER: an 8 MB iperf3 test (a control and a data
# connection).  iperf3 checks no bytes, so the check is that it completes,
# the client sent the 8 MB (it may send a block more) and the server
# received data; its receiver count leaves out what was still queued when
# the test ended.
t_iperf3() {
	local crun=() srun=() a=0 p=0 ok=0 spid got table=/proc/net/tcp

	command -v iperf3 >/dev/null || { why="no iperf3"; return 2; }
	[ "$1" = edu ] && { crun=("$EDURUN" -v); a=2; }
	[ "$2" = edu ] && { srun=("$EDURUN" -v); p=2; table=/proc/net/edu; }
	PORT=$((PORT + 1))
	# -B: iperf3 listens on IPv6 by default, which stays kernel TCP.
	"${srun[@]}" iperf3 -s -1 -B 127.0.0.1 -p $PORT >"$TMP/iperf3-s.log" 2>&1 &
	spid=$!
	pids+=("$spid")
	wait_for 10 listening $table $PORT || { diag "iperf3 -s is not listening"; ok=1; }
	opens $a $p "${crun[@]}" iperf3 -J -c 127.0.0.1 -p $PORT -n 8M \
		>"$TMP/iperf3-c.json" 2>"$TMP/iperf3-c.log" || ok=1
	timeout 10 tail --pid="$spid" -f /dev/null
	wait "$spid" || { diag "iperf3 -s failed"; ok=1; }
	got=$("$PYTHON" -c 'import json, sys
end = json.load(sys.stdin)["end"]
print(end["sum_sent"]["bytes"] >= 8 << 20, end["sum_received"]["bytes"] > 0)' \
		<"$TMP/iperf3-c.json" 2>&1 | tail -n 1)
	expect "8 MB sent, some received" "$got" "True True" || ok=1
	grep -h ENOPROTOOPT "$TMP/iperf3-c.log" "$TMP/iperf3-s.log" |
		sed 's/^edu-run\[[0-9]*\]: /# /' | sort -u
	[ $ok = 0 ] || sed 's/^/#   /' "$TMP/iperf3-c.log" "$TMP/iperf3-s.log"
	return $ok
}
result "iperf3 client under edu-run, server on kernel TCP, 8 MB" t_iperf3 edu kernel
result "iperf3 client on kernel TCP, server under edu-run, 8 MB" t_iperf3 kernel edu
result "iperf3 client and server both under edu-run, 8 MB" t_iperf3 edu edu

# ----------------------------------------------------------------- end --
ktap_end
