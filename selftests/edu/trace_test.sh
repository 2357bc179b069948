#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# trace_test.sh - the edu tracepoints (mod/trace.h) and tools/edu-trace.
#
# The events exist under tracefs, off until enabled, their fields copied
# into the event (no pointer dereferenced when printed).  One AF_EDU
# connection on loopback, both ends AF_EDU, traced in a trace instance of
# the test's own: the handshake's segments with consistent sequence and
# acknowledgment numbers (SYN-ACK acknowledges ISS+1...), every segment
# sent also received, each side's state changes from SYN-SENT and LISTEN
# to TIME-WAIT and CLOSED, the data and FIN numbered after them, the
# initial congestion window.  A data segment dropped on loopback's ingress
# (a tc flower filter, removed once it dropped one: deterministic) shows
# up as a retransmission timeout: edu_timer, edu_cwnd, edu_retransmit
# with reason=timeout, the segment sent twice and received once.  Then
# edu-trace: the ladder of a command's connection with the handshake's
# lines in order and both sides' states, the lost segment drawn as lost,
# a kernel TCP peer (one side seen), --raw, and its trace instance gone
# afterwards.  At the end no edu event is enabled and the module's live
# objects are back to zero.
#
#   trace_test.sh
#
# Runs as root in scripts/vm's guest with the module loaded and tools
# built (make tools), in a network namespace of its own (deleting it
# purges the TIME-WAIT records).  KTAP output; exit status 0 pass, 1 fail,
# 4 skip.

set -u

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/edu/lib.sh
. "$DIR/lib.sh"
TOOLS=$(cd "$DIR/../../tools" 2>/dev/null && pwd)
EDUCAT=$TOOLS/educat
EDUTRACE=$TOOLS/edu-trace
PYTHON=$(command -v /usr/bin/python3 python3 | head -n 1)
NS=edutrace$$
TMP=
T=
INST=
pids=()

nsx() { ip netns exec "$NS" "$@"; }

# stop_all: end the helpers still running, and anything left in the
# namespace.
stop_all() {
	local p

	# shellcheck disable=SC2046 # one pid per word
	stop_jobs "${pids[@]}" $(ip netns pids "$NS" 2>/dev/null)
	pids=()
}

cleanup() {
	stop_all
	if [ -n "$INST" ] && [ -d "$INST" ]; then
		echo 0 >"$INST/events/edu/enable"
		rmdir "$INST"
	fi
	ip netns del "$NS" 2>/dev/null
	[ -n "$TMP" ] && rm -rf "$TMP"
}

# ------------------------------------------------------------- helpers --

# The test's own trace instance: a ring buffer that other tracefs users
# (and edu-trace, which makes its own) do not touch.
trace_start() {
	echo 0 >"$INST/events/edu/enable"
	: >"$INST/trace"
	echo 1 >"$INST/events/edu/enable"
}

# trace_stop FILE: the events so far, edu's only, into FILE.
trace_stop() {
	echo 0 >"$INST/events/edu/enable"
	grep -E ': edu_[a-z_]+: ' "$INST/trace" >"$1"
}

# ev FILE EVENT [PATTERN...]: the lines of EVENT matching every
# extended regular expression PATTERN, in order.
ev() {
	local file=$1 event=$2 pat lines

	shift 2
	lines=$(grep -E ": $event: " "$file")
	for pat in "$@"; do
		lines=$(grep -E -- "$pat" <<<"$lines")
	done
	[ -n "$lines" ] && printf '%s\n' "$lines"
}

# field LINE KEY: the value of KEY= in an event line.
field() { sed -nE "s/.* $2=([^ ]*).*/\\1/p" <<<"$1" | head -n 1; }

# one FILE EVENT PATTERN...: exactly one such line, printed; else diag.
one() {
	local lines n

	lines=$(ev "$@")
	n=$(grep -c . <<<"$lines")
	if [ "$n" != 1 ]; then
		diag "$2 ${*:3}: $n events, expected 1"
		return 1
	fi
	printf '%s\n' "$lines"
}

# serve PORT OUT [-k]: a server (AF_EDU; kernel TCP with -k) on PORT,
# writing what it receives to OUT, that closes once the client has closed
# first (its connection in CLOSE-WAIT), so that the client ends in
# TIME-WAIT.  Not through nsx, a function: $! would be its subshell.
serve() {
	local port=$1 out=$2 file=/proc/net/edu

	shift 2
	[ "${1:-}" = -k ] && file=/proc/net/tcp
	ip netns exec "$NS" bash -c '
		for ((i = 0; i < 600; i++)); do
			awk -v port="$1" "substr(\$2, 9) == port && \$4 == \"08\" \
				{ found = 1 } END { exit !found }" "$2" && exit
			sleep 0.05
		done' - "$(printf ':%04X' "$port")" "$file" |
		ip netns exec "$NS" "$EDUCAT" "$@" -l 127.0.0.1 "$port" >"$out" &
	pids+=($!)
	wait_for 10 ns_listening "$port" "$@"
}

# ns_listening PORT [-k]: someone listens on PORT in the namespace, on
# AF_EDU (or kernel TCP, -k).
ns_listening() {
	local file=/proc/net/edu

	[ "${2:-}" = -k ] && file=/proc/net/tcp
	nsx awk -v port="$(printf ':%04X' "$1")" \
		'substr($2, 9) == port && $4 == "0A" { found = 1 }
		 END { exit !found }' "$file"
}

# order FILE PATTERN...: each pattern matches a line of FILE, each after
# the one before.
order() {
	local file=$1 pat last=0 n

	shift
	for pat in "$@"; do
		n=$(grep -nE -- "$pat" "$file" | cut -d: -f1 |
			awk -v last="$last" '$1 > last { print; exit }')
		if [ -z "$n" ]; then
			diag "no line after line $last matches: $pat"
			return 1
		fi
		last=$n
	done
}

# ----------------------------------------------------------- preflight --
echo "TAP version 13"

reason=
if [ "$(id -u)" != 0 ]; then
	reason="must run as root"
elif [ ! -d /sys/module/edu ]; then
	reason="the edu module is not loaded"
elif [ ! -x "$EDUCAT" ] || [ ! -x "$EDUTRACE" ]; then
	reason="tools/educat or tools/edu-trace missing: run make tools"
elif [ -z "$PYTHON" ]; then
	reason="no python3 (edu-trace needs it)"
elif ! command -v ip >/dev/null; then
	reason="no ip (iproute2)"
fi
if [ -z "$reason" ]; then
	for T in /sys/kernel/tracing /sys/kernel/debug/tracing ""; do
		[ -n "$T" ] && [ -d "$T/instances" ] && break
	done
	if [ -z "$T" ]; then
		T=/sys/kernel/tracing
		mount -t tracefs nodev $T 2>/dev/null
		[ -d "$T/instances" ] || reason="no tracefs"
	fi
fi
if [ -n "$reason" ]; then
	echo "1..0 # SKIP $reason"
	exit $KSFT_SKIP
fi
ktap_plan 15
TMP=$(mktemp -d)
INST=$T/instances/edu_trace_test.$$
trap cleanup EXIT
if ! ip netns add "$NS" || ! ip -n "$NS" link set lo up; then
	diag "cannot make the network namespace"
	exit $KSFT_FAIL
fi

EVENTS="edu_state edu_segment_send edu_segment_recv edu_retransmit edu_timer edu_cwnd"

# ------------------------------------------------------------ the tests --
t_exist() {
	local e

	for e in $EVENTS; do
		[ -r "$T/events/edu/$e/format" ] || { diag "no $T/events/edu/$e"; return 1; }
	done
	# Off unless someone turned them on: nothing to pay for.
	expect "events/edu/enable" "$(cat "$T/events/edu/enable")" 0
}
result "the edu events exist, and are off" t_exist

# Every field an event prints is in the event: the print format uses
# REC->field values only, never a pointer followed (REC->x->y).
t_format() {
	local e f

	for e in $EVENTS; do
		f=$T/events/edu/$e/format
		if grep -q 'REC->[a-z_]*->' "$f"; then
			diag "$e dereferences a pointer when printed"
			return 1
		fi
	done
	for f in saddr daddr sport dport state flags seq ack win len; do
		grep -q "field:.* $f\\(\\[4\\]\\)\\?;" \
			"$T/events/edu/edu_segment_send/format" ||
			{ diag "edu_segment_send has no field $f"; return 1; }
	done
	for f in oldstate newstate laddr raddr lport rport; do
		grep -q "field:.* $f\\(\\[4\\]\\)\\?;" "$T/events/edu/edu_state/format" ||
			{ diag "edu_state has no field $f"; return 1; }
	done
}
result "the events' fields are copied into them" t_format

mkdir "$INST" || { diag "cannot make $INST"; exit $KSFT_FAIL; }

# One connection, client 127.0.0.1:$cport -> 127.0.0.1:6001, both AF_EDU:
# "hello" from the client, which then closes first.
PORT=6001
TR=$TMP/trace1
t_run() {
	trace_start
	serve "$PORT" "$TMP/out1" || { diag "no listener"; return 1; }
	printf hello | nsx "$EDUCAT" 127.0.0.1 "$PORT" >/dev/null ||
		{ diag "educat failed"; return 1; }
	wait "${pids[-1]}"
	# The last ACK reaches the server right after the client is done.
	sleep 0.5
	trace_stop "$TR"
	expect "received" "$(cat "$TMP/out1")" hello
}
result "a traced connection on loopback" t_run

syn=$(ev "$TR" edu_segment_send "dst=127.0.0.1:$PORT " "flags=SYN " | head -n 1)
cport=$(sed -nE 's/.* src=127\.0\.0\.1:([0-9]+) .*/\1/p' <<<"$syn")
C="127.0.0.1:${cport:-0}"
S="127.0.0.1:$PORT"
iss_c=$(field "$syn" seq)

t_handshake() {
	local l iss_s

	[ -n "$cport" ] || { diag "no SYN from a client to port $PORT"; return 1; }
	expect "SYN state" "$(field "$syn" state)" SYN-SENT || return 1
	l=$(one "$TR" edu_segment_recv "src=$C " "dst=$S " "flags=SYN " \
		"state=LISTEN ") || return 1
	expect "SYN received, seq" "$(field "$l" seq)" "$iss_c" || return 1
	l=$(one "$TR" edu_segment_send "src=$S " "dst=$C " "flags=SYN,ACK ") ||
		return 1
	iss_s=$(field "$l" seq)
	expect "SYN-ACK's ack" "$(field "$l" ack)" $(((iss_c + 1) % 4294967296)) &&
		expect "SYN-ACK state" "$(field "$l" state)" SYN-RECEIVED || return 1
	l=$(one "$TR" edu_segment_recv "src=$S " "dst=$C " "flags=SYN,ACK ") ||
		return 1
	expect "SYN-ACK received, state" "$(field "$l" state)" SYN-SENT &&
		expect "SYN-ACK received, seq" "$(field "$l" seq)" "$iss_s" || return 1
	# The first segment of the client after it: the handshake's ACK.
	l=$(ev "$TR" edu_segment_send "src=$C " | sed -n 2p)
	expect "third segment's flags" "$(field "$l" flags)" ACK &&
		expect "its seq" "$(field "$l" seq)" $(((iss_c + 1) % 4294967296)) &&
		expect "its ack" "$(field "$l" ack)" $(((iss_s + 1) % 4294967296)) &&
		expect "its state" "$(field "$l" state)" ESTABLISHED || return 1
	# Both ends start congestion control with the initial window.
	for l in "$C" "$S"; do
		l=$(one "$TR" edu_cwnd "local=$l " "reason=init ") || return 1
		expect "initial cwnd" "$(field "$l" cwnd)" \
			$(($(nsx cat /proc/sys/net/edu/initial_cwnd) * $(field "$l" mss))) ||
			return 1
	done
}
result "handshake: SYN, SYN-ACK acknowledging ISS+1, ACK; initial cwnd" t_handshake

# Each side's state changes, in order.
states() {
	ev "$TR" edu_state "local=$1 " "remote=$2 " |
		sed -nE 's/.* old=([^ ]*) new=([^ ]*) .*/\1>\2/p' | paste -sd' '
}
t_states() {
	expect "client states" "$(states "$C" "$S")" \
		"CLOSED>SYN-SENT SYN-SENT>ESTABLISHED ESTABLISHED>FIN-WAIT-1 FIN-WAIT-1>FIN-WAIT-2 FIN-WAIT-2>TIME-WAIT FIN-WAIT-2>CLOSED" &&
	expect "server states" "$(states "$S" "$C")" \
		"CLOSED>SYN-RECEIVED SYN-RECEIVED>ESTABLISHED ESTABLISHED>CLOSE-WAIT CLOSE-WAIT>LAST-ACK LAST-ACK>CLOSED" &&
	one "$TR" edu_state "local=$C " "new=TIME-WAIT " "tw=1 " >/dev/null &&
	one "$TR" edu_state "local=$S " "remote=0.0.0.0:0 " "old=CLOSED new=LISTEN " \
		>/dev/null
}
result "states: SYN-SENT to TIME-WAIT, LISTEN and SYN-RECEIVED to CLOSED" t_states

# The data and the FINs, numbered after the handshake; every segment one
# side sent, the other received (loopback loses nothing).
t_data_fin() {
	local l fin_c fin_s sent recv

	l=$(one "$TR" edu_segment_send "src=$C " "len=5 ") || return 1
	expect "data seq" "$(field "$l" seq)" $(((iss_c + 1) % 4294967296)) || return 1
	one "$TR" edu_segment_recv "dst=$S " "len=5 " "seq=$(field "$l" seq) " \
		>/dev/null || return 1
	l=$(one "$TR" edu_segment_send "src=$C " "flags=FIN") || return 1
	fin_c=$((($(field "$l" seq) + $(field "$l" len)) % 4294967296))
	expect "client FIN's sequence number" "$fin_c" $(((iss_c + 6) % 4294967296)) ||
		return 1
	l=$(ev "$TR" edu_segment_send "src=$S " "ack=$(((fin_c + 1) % 4294967296)) " |
		head -n 1)
	[ -n "$l" ] || { diag "the server never acknowledged the FIN"; return 1; }
	l=$(one "$TR" edu_segment_send "src=$S " "flags=FIN") || return 1
	fin_s=$(field "$l" seq)
	l=$(ev "$TR" edu_segment_send "src=$C " "ack=$(((fin_s + 1) % 4294967296)) " |
		tail -n 1)
	expect "client's last ACK state" "$(field "$l" state)" FIN-WAIT-2 || return 1
	for l in "src=$C dst=$S" "src=$S dst=$C"; do
		sent=$(ev "$TR" edu_segment_send "$l " | sed -E 's/.*(flags=.* len=[0-9]*).*/\1/')
		recv=$(ev "$TR" edu_segment_recv "$l " | sed -E 's/.*(flags=.* len=[0-9]*).*/\1/')
		if [ "$sent" != "$recv" ]; then
			diag "$l: sent and received differ"
			diff <(echo "$sent") <(echo "$recv") | sed 's/^/#   /'
			return 1
		fi
	done
}
result "data and FINs numbered after the handshake, all received" t_data_fin

# A data segment dropped on loopback's ingress, once: the filter goes as
# soon as it counted a drop.  RTO at least 1 s in the namespace, so it
# goes first.
t_loss() {
	local l seq n ok=0 tr=$TMP/trace2

	why="no tc, or no clsact/flower"
	command -v tc >/dev/null || return 2
	nsx tc qdisc add dev lo clsact 2>/dev/null || return 2
	nsx tc filter add dev lo ingress protocol ip pref 1 flower \
		ip_proto tcp dst_port 6002 tcp_flags 0x8/0x8 action drop \
		2>/dev/null || return 2
	nsx sh -c 'echo 1000 >/proc/sys/net/edu/rto_min_ms' || return 1
	trace_start
	serve 6002 "$TMP/out2" || { diag "no listener"; return 1; }
	(printf hello; sleep 4) |
		ip netns exec "$NS" "$EDUCAT" 127.0.0.1 6002 >/dev/null &
	pids+=($!)
	for ((n = 0; n < 100; n++)); do
		if nsx tc -s filter show dev lo ingress | grep -q 'dropped [1-9]'; then
			ok=1
			break
		fi
		sleep 0.05
	done
	nsx tc filter del dev lo ingress pref 1
	[ "$ok" = 1 ] || { diag "the filter dropped nothing"; return 1; }
	wait_for 10 grep -q hello "$TMP/out2"
	trace_stop "$tr"
	nsx sh -c 'echo 200 >/proc/sys/net/edu/rto_min_ms'
	expect "received" "$(cat "$TMP/out2")" hello || return 1
	l=$(ev "$tr" edu_segment_send "dst=127.0.0.1:6002 " "len=5 " | head -n 1)
	seq=$(field "$l" seq)
	[ -n "$seq" ] || { diag "no data segment sent"; return 1; }
	n=$(ev "$tr" edu_segment_send "dst=127.0.0.1:6002 " "seq=$seq " "len=5 " | grep -c .)
	[ "$n" -ge 2 ] || { diag "data sent $n times"; return 1; }
	n=$(ev "$tr" edu_segment_recv "dst=127.0.0.1:6002 " "seq=$seq " "len=5 " | grep -c .)
	expect "data received" "$n" 1 || return 1
	l=$(ev "$tr" edu_retransmit "remote=127.0.0.1:6002 " "seq=$seq " | head -n 1)
	expect "retransmit reason" "$(field "$l" reason)" timeout &&
		expect "retransmit len" "$(field "$l" len)" 5 || return 1
	ev "$tr" edu_timer "remote=127.0.0.1:6002 " "timer=retransmit " \
		"snd_una=$seq " >/dev/null || { diag "no retransmission timer"; return 1; }
	l=$(ev "$tr" edu_cwnd "remote=127.0.0.1:6002 " "reason=timeout " | head -n 1)
	[ -n "$l" ] || { diag "no cwnd event for the timeout"; return 1; }
	expect "cwnd after the timeout" "$(field "$l" cwnd)" "$(field "$l" mss)" &&
		expect "phase" "$(field "$l" phase)" loss &&
		order "$tr" "edu_timer: .*timer=retransmit" "edu_cwnd: .*reason=timeout" \
			"edu_retransmit: .*seq=$seq " "edu_segment_send: .* seq=$seq .*len=5" \
			"edu_segment_recv: .* seq=$seq .*len=5"
}
result "a dropped segment: timer, cwnd to one segment, retransmission" t_loss

# The ladder of a command's connection.
LADDER=$TMP/ladder
t_ladder() {
	local rc

	serve 6003 "$TMP/out3" || { diag "no listener"; return 1; }
	nsx "$EDUTRACE" -p 6003 -o "$LADDER" -- \
		sh -c "printf hello | '$EDUCAT' 127.0.0.1 6003 >/dev/null"
	rc=$?
	sed 's/^/#   /' "$LADDER"
	expect "edu-trace status" "$rc" 0 || return 1
	order "$LADDER" \
		'^ +0\. +[0-9.]+ +CLOSED +LISTEN$' \
		'SYN-SENT +--> <SEQ=0><CTL=SYN><WIN=[0-9]+> +--> +SYN-RECEIVED$' \
		'ESTABLISHED +<-- <SEQ=0><ACK=1><CTL=SYN,ACK><WIN=[0-9]+> +<-- +SYN-RECEIVED$' \
		'ESTABLISHED +--> <SEQ=1><ACK=1><CTL=ACK><WIN=[0-9]+> +--> +ESTABLISHED$' \
		'ESTABLISHED +--> <SEQ=1><ACK=1><CTL=PSH,ACK><WIN=[0-9]+><LEN=5> +--> +ESTABLISHED$' \
		'FIN-WAIT-1 +--> <SEQ=6><ACK=1><CTL=FIN,ACK><WIN=[0-9]+> +--> +CLOSE-WAIT$' \
		'FIN-WAIT-2 +<-- <SEQ=1><ACK=7><CTL=ACK><WIN=[0-9]+> +<-- +CLOSE-WAIT$' \
		'FIN-WAIT-2 +<-- <SEQ=1><ACK=7><CTL=FIN,ACK><WIN=[0-9]+> +<-- +LAST-ACK$' \
		'FIN-WAIT-2 +--> <SEQ=7><ACK=2><CTL=ACK><WIN=[0-9]+> +--> +CLOSED$' \
		'^ +[0-9]+\. +[0-9.]+ +TIME-WAIT$'
}
result "edu-trace: the ladder of a command's connection" t_ladder

t_no_instance() {
	local left

	left=$(ls -d "$T"/instances/edu-trace.* 2>/dev/null)
	[ -z "$left" ] || { diag "left behind: $left"; return 1; }
	expect "events/edu/enable" "$(cat "$T/events/edu/enable")" 0
}
result "edu-trace: its trace instance is gone after it" t_no_instance

# Absolute numbers: the ladder shows the ISS itself.
t_absolute() {
	local iss

	iss=$(field "$(ev "$TMP/trace1" edu_segment_send "dst=$S " "flags=SYN ")" seq)
	"$EDUTRACE" -S -i "$TMP/trace1" >"$TMP/abs" || return 1
	if ! grep -qE -- "--> <SEQ=$iss><CTL=SYN>" "$TMP/abs"; then
		diag "no SYN with SEQ=$iss"
		sed 's/^/#   /' "$TMP/abs"
		return 1
	fi
}
result "edu-trace -S: absolute sequence numbers" t_absolute

# The lost segment of t_loss, from the saved trace: drawn as lost, then
# sent again after the timer.
t_ladder_loss() {
	"$EDUTRACE" -i "$TMP/trace2" >"$TMP/ladder2" || return 1
	sed 's/^/#   /' "$TMP/ladder2"
	order "$TMP/ladder2" \
		'--> <SEQ=1><ACK=1><CTL=PSH,ACK><WIN=[0-9]+><LEN=5> +--X +\(lost\)' \
		'\(retransmit timer, rto [0-9]+ ms\)' \
		'--> <SEQ=1><ACK=1><CTL=PSH,ACK><WIN=[0-9]+><LEN=5> +--> +ESTABLISHED +retransmission \(timeout\)'
}
result "edu-trace: a lost segment and its retransmission" t_ladder_loss

# Kernel TCP at the other end: only our side has events.
t_ladder_kernel() {
	local rc

	serve 6004 "$TMP/out4" -k || { diag "no kernel TCP listener"; return 1; }
	nsx "$EDUTRACE" -o "$TMP/ladder4" -- \
		sh -c "printf hello | '$EDUCAT' 127.0.0.1 6004 >/dev/null"
	rc=$?
	sed 's/^/#   /' "$TMP/ladder4"
	expect "edu-trace status" "$rc" 0 || return 1
	if grep -q 'lost' "$TMP/ladder4"; then
		diag "segments to kernel TCP drawn as lost"
		return 1
	fi
	order "$TMP/ladder4" \
		'127\.0\.0\.1:6004: no events' \
		'SYN-SENT +--> <SEQ=0><CTL=SYN><WIN=[0-9]+> +-->$' \
		'ESTABLISHED +<-- <SEQ=0><ACK=1><CTL=SYN,ACK><WIN=[0-9]+> +<--$' \
		'ESTABLISHED +--> <SEQ=1><ACK=1><CTL=ACK><WIN=[0-9]+> +-->$' \
		'<LEN=5> +-->$'
}
result "edu-trace: a kernel TCP peer, one side seen" t_ladder_kernel

t_raw() {
	"$EDUTRACE" -r -p 6001 -i "$TMP/trace1" >"$TMP/raw" || return 1
	order "$TMP/raw" \
		"state +$C +CLOSED -> SYN-SENT" \
		"send +$C +> $S +SYN +SYN-SENT +seq=$iss_c ack=0" \
		"recv +$S +< $C +SYN +LISTEN +seq=$iss_c" \
		"state +$C +FIN-WAIT-2 -> TIME-WAIT"
}
result "edu-trace --raw: the decoded events" t_raw

# Without edu's tracepoints enabled, edu-trace -i on nothing says so.
t_empty() {
	! "$EDUTRACE" -i /dev/null >/dev/null 2>"$TMP/err" &&
		grep -q "no AF_EDU connection" "$TMP/err"
}
result "edu-trace: no connection, an error" t_empty

# objects_zero: no socket, port or TIME-WAIT record of the module is left.
objects_zero() {
	[ "$(count sockets)$(count ports)$(count timewait)" = 000 ]
}

# The end: tracing off, nothing of the module left.
t_zero() {
	stop_all
	echo 0 >"$INST/events/edu/enable"
	rmdir "$INST" && INST=
	expect "events/edu/enable" "$(cat "$T/events/edu/enable")" 0 || return 1
	ip netns del "$NS"
	wait_for 10 objects_zero ||
		{ diag "left: sockets $(count sockets) ports $(count ports) timewait $(count timewait)"; return 1; }
}
result "events off, live objects back to zero" t_zero

# ----------------------------------------------------------------- end --
ktap_end
