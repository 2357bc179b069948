#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# edustat_test.sh - tools/edustat against the module's own files, and the
# module-wide facts of /sys/kernel/edu: the family number, and the skbs
# count (objects/skbs) while data waits in a connection's queues.
#
# Over loopback, a listener on 127.0.0.2 (tools/educat -l, which closes it
# once it accepts), a client connecting from 127.0.0.1, and a listener on
# an ephemeral port (edu_sock -l) that every filter must tell apart:
# edustat shows each in the right state with both ends decoded, its
# filters (-l, state, exclude, -S, -p, sport, dport, src, dst) keep what
# they should, -i's columns are /proc/net/edu's values, -s shows the
# counters and, with an interval, how a transfer moves them; the client
# ends in TIME-WAIT after the close.  The receiver is stopped (SIGSTOP)
# while the client sends, so data sits in both ends' queues: objects/skbs
# is then nonzero, and zero once the sockets are closed.  -N and --proc
# read another namespace.
#
#   edustat_test.sh
#
# Runs as root in scripts/vm's guest with the module loaded (make tools
# and make first), in a network namespace of its own.  KTAP output; exit
# status 0 pass, 1 fail, 4 skip.

set -u

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/edu/lib.sh
. "$DIR/lib.sh"
TOOLS=$(cd "$DIR/../../tools" 2>/dev/null && pwd)
EDUSTAT=$TOOLS/edustat
EDUCAT=$TOOLS/educat
SOCK=$DIR/edu_sock
TMP=
pids=()

# The connection under test: server 127.0.0.2:PORT, client 127.0.0.1:CPORT.
SADDR=127.0.0.2
CADDR=127.0.0.1
PORT=8080
CPORT=
LPORT=		# edu_sock's listener, on 0.0.0.0
server=
client=
holder=

# received FILE BYTES: FILE holds BYTES.
received() { [ "$(stat -c %s "$1")" = "$2" ]; }

# rows_are WANT ARGS...: edustat's rows (below) are WANT.
rows_are() {
	local want=$1

	shift
	[ "$(rows "$@")" = "$want" ]
}

# rows ARGS...: edustat -H ARGS, as "STATE LOCAL PEER" lines, sorted.
rows() {
	"$EDUSTAT" -H "$@" | awk '{ print $1, $4, $5 }' | sort
}

# hexport N: a port as /proc/net/edu writes it.
hexport() { printf '%04X' "$1"; }

# proc_field LOCAL_HEX REM_HEX NAME: a column of /proc/net/edu's line for
# that pair of ends (the "ADDR:PORT" hex of local_address, rem_address).
proc_field() {
	awk -v l="$1" -v r="$2" -v name="$3" '
		NR == 1 {
			# Two names, one column: tx_queue rx_queue, tr tm->when.
			n = 0
			for (i = 1; i <= NF; i++) {
				if ($i == "rx_queue" || $i == "tm->when")
					continue
				col[$i] = ++n
			}
			next
		}
		$2 == l && $3 == r { print $col[name]; exit }' /proc/net/edu
}

cleanup() {
	local p

	for p in "$server" "$client" "$holder" "${pids[@]}"; do
		[ -n "$p" ] && kill -CONT "$p" 2>/dev/null
		[ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	exec 3>&- 4>&-
	ip netns del "edustat$$" 2>/dev/null
	[ -n "$TMP" ] && rm -rf "$TMP"
}

# ----------------------------------------------------------- preflight --
if [ "${EDUSTAT_TEST_NETNS:-}" != 1 ] && [ "$(id -u)" = 0 ]; then
	# A namespace of our own: /proc/net/edu and edu_snmp are ours alone.
	tw0=$(count timewait)
	EDUSTAT_TEST_NETNS=1 unshare -n "$0" "$@"
	rc=$?
	# Its TIME-WAIT record goes with it: let that happen before the next
	# test, which may expect no live object at all.
	tw_gone() { [ "$(count timewait)" -le "${tw0:-0}" ]; }
	[ -z "$tw0" ] || wait_for 10 tw_gone
	exit $rc
fi

echo "TAP version 13"
reason=
if [ "$(id -u)" != 0 ]; then
	reason="must run as root"
elif [ ! -e /proc/net/edu ]; then
	reason="the edu module is not loaded"
elif [ ! -x "$EDUCAT" ]; then
	reason="no tools/educat: run make tools"
elif [ ! -x "$SOCK" ]; then
	reason="$SOCK is missing: run make first"
elif ! "$EDUSTAT" -H >/dev/null; then
	reason="tools/edustat does not run (python3?)"
fi
if [ -n "$reason" ]; then
	echo "1..0 # SKIP $reason"
	exit $KSFT_SKIP
fi
ktap_plan 15
ip link set lo up
TMP=$(mktemp -d)
trap cleanup EXIT
FAMILY=$(cat /sys/module/edu/parameters/family)

# ----------------------------------------------------- /sys/kernel/edu --
t_family() {
	local got

	got=$(cat /sys/kernel/edu/family) || return 1
	expect "/sys/kernel/edu/family" "$got" "$FAMILY" || return 1
	# A read-only fact: writing it fails.
	if (echo 3 >/sys/kernel/edu/family) 2>/dev/null; then
		diag "/sys/kernel/edu/family accepted a write"
		return 1
	fi
	[ "$(cat /sys/kernel/edu/family)" = "$FAMILY" ]
}
result "/sys/kernel/edu/family is the family= parameter" t_family

t_skbs_idle() {
	local f=/sys/kernel/edu/objects/skbs

	[ -r "$f" ] || { diag "no $f"; return 1; }
	# Module-wide: sockets left by an earlier test may still go away.
	wait_for 10 no_sockets || { diag "sockets: $(count sockets)"; return 1; }
	expect "objects/skbs with no socket" "$(count skbs)" 0
}
result "objects/skbs is 0 with no socket" t_skbs_idle

# -------------------------------------------------------- the sockets --
mkfifo "$TMP/server.in" "$TMP/client.in"

t_listen() {
	local ok=0

	# The listener of the connection, and one more on an ephemeral port.
	"$EDUCAT" -l $SADDR $PORT <"$TMP/server.in" >>"$TMP/server.out" \
		2>"$TMP/server.err" &
	server=$!
	exec 3>"$TMP/server.in"
	"$SOCK" -l "$FAMILY" "$TMP/holder.ready" 3>&- &
	holder=$!
	wait_for 10 test -e "$TMP/holder.ready" ||
		{ diag "edu_sock did not start"; return 1; }
	wait_for 10 listening /proc/net/edu $PORT ||
		{ diag "educat is not listening: $(cat "$TMP/server.err")"; return 1; }
	LPORT=$(awk '$4 == "0A" && $2 ~ /^00000000:/ { print $2 }' /proc/net/edu)
	LPORT=$((16#${LPORT#*:}))
	[ "$LPORT" -gt 0 ] || { diag "no port for edu_sock's listener"; return 1; }

	expect "edustat -l" "$(rows -l)" "$(printf '%s\n' \
		"LISTEN 0.0.0.0:$LPORT 0.0.0.0:*" \
		"LISTEN $SADDR:$PORT 0.0.0.0:*" | sort)" || ok=1
	# The header, as ss -tan's.
	expect "header" "$("$EDUSTAT" | head -n 1 | tr -s ' ')" \
		"State Recv-Q Send-Q Local Address:Port Peer Address:Port" || ok=1
	expect "sport = :$PORT" "$(rows sport = :$PORT)" \
		"LISTEN $SADDR:$PORT 0.0.0.0:*" || ok=1
	return $ok
}
result "LISTEN with its address and port" t_listen

t_estab() {
	local ok=0 line

	"$EDUCAT" $SADDR $PORT <"$TMP/client.in" >"$TMP/client.out" \
		2>"$TMP/client.err" 3>&- &
	client=$!
	exec 4>"$TMP/client.in"
	line=$(wait_for 10 awk -v r="0200007F:$(hexport $PORT)" \
		'$3 == r && $4 == "01" { print $2; found = 1 }
		 END { exit !found }' /proc/net/edu) ||
		{ diag "no connection: $(cat "$TMP/client.err")"; return 1; }
	CPORT=$((16#${line#*:}))
	# The server's own line too (accepted: educat's listener is closed).
	wait_for 10 rows_are "$(printf '%s\n' "ESTAB $CADDR:$CPORT $SADDR:$PORT" \
		"ESTAB $SADDR:$PORT $CADDR:$CPORT" | sort)" state established ||
		{ diag "$(cat /proc/net/edu)"; return 1; }
	expect "edustat" "$(rows)" "$(printf '%s\n' \
		"ESTAB $CADDR:$CPORT $SADDR:$PORT" \
		"ESTAB $SADDR:$PORT $CADDR:$CPORT" \
		"LISTEN 0.0.0.0:$LPORT 0.0.0.0:*" | sort)" || ok=1
	# Nothing queued on an idle connection.
	expect "queues" "$("$EDUSTAT" -H state established |
		awk '{ print $2, $3 }' | sort -u)" "0 0" || ok=1
	return $ok
}
result "ESTAB, both ends decoded, on both sides" t_estab

t_filters() {
	local ok=0 c s l

	c="ESTAB $CADDR:$CPORT $SADDR:$PORT"
	s="ESTAB $SADDR:$PORT $CADDR:$CPORT"
	l="LISTEN 0.0.0.0:$LPORT 0.0.0.0:*"
	expect "-l" "$(rows -l)" "$l" || ok=1
	expect "state listening" "$(rows state listening)" "$l" || ok=1
	expect "state established" "$(rows state established)" \
		"$(printf '%s\n' "$c" "$s" | sort)" || ok=1
	expect "-S estab" "$(rows -S estab)" \
		"$(printf '%s\n' "$c" "$s" | sort)" || ok=1
	expect "exclude listening" "$(rows exclude listening)" \
		"$(printf '%s\n' "$c" "$s" | sort)" || ok=1
	expect "state all exclude estab" "$(rows state all exclude estab)" \
		"$l" || ok=1
	expect "state time-wait" "$(rows state time-wait)" "" || ok=1
	expect "state connected" "$(rows state connected)" \
		"$(printf '%s\n' "$c" "$s" | sort)" || ok=1
	expect "-p $PORT" "$(rows -p $PORT)" \
		"$(printf '%s\n' "$c" "$s" | sort)" || ok=1
	expect "-p $LPORT" "$(rows -p $LPORT)" "$l" || ok=1
	expect "sport = :$PORT" "$(rows sport = :$PORT)" "$s" || ok=1
	expect "dport = :$PORT" "$(rows dport = :$PORT)" "$c" || ok=1
	expect "dport :$PORT" "$(rows dport :$PORT)" "$c" || ok=1
	expect "sport eq $CPORT" "$(rows sport eq $CPORT)" "$c" || ok=1
	expect "sport != :$PORT" "$(rows sport != :$PORT)" \
		"$(printf '%s\n' "$c" "$l" | sort)" || ok=1
	expect "src $SADDR" "$(rows src $SADDR)" "$s" || ok=1
	expect "dst $SADDR:$PORT" "$(rows dst $SADDR:$PORT)" "$c" || ok=1
	expect "-l -p $PORT" "$(rows -l -p $PORT)" "" || ok=1
	expect "state estab and -p $CPORT and sport" \
		"$(rows -p $CPORT state established sport = :$PORT)" "$s" || ok=1
	# Mistakes are refused, with a message.
	if "$EDUSTAT" state nosuchstate >/dev/null 2>"$TMP/err"; then
		diag "state nosuchstate accepted"
		ok=1
	fi
	grep -q 'unknown state' "$TMP/err" || { diag "$(cat "$TMP/err")"; ok=1; }
	if "$EDUSTAT" sport = :99999 >/dev/null 2>&1; then
		diag "port 99999 accepted"
		ok=1
	fi
	return $ok
}
result "filters: -l, state, exclude, -S, -p, sport, dport, src, dst" t_filters

# check_info LOCAL_ADDR LOCAL_PORT PEER_ADDR PEER_PORT: edustat -i's columns
# for that connection are /proc/net/edu's, decoded.
hexaddr() {
	local IFS=. a

	read -r -a a <<< "$1"
	printf '%02X%02X%02X%02X' "${a[3]}" "${a[2]}" "${a[1]}" "${a[0]}"
}

check_info() {
	local l r got want f v ssthresh srtt

	l=$(hexaddr "$1"):$(hexport "$2")
	r=$(hexaddr "$3"):$(hexport "$4")
	[ -n "$(proc_field "$l" "$r" st)" ] || { diag "no line $l $r"; return 1; }
	want=
	for f in snd_una snd_nxt rcv_nxt; do
		v=$(proc_field "$l" "$r" $f)
		want+="$((16#$v)) "
	done
	for f in snd_wnd rcv_wnd cwnd; do
		want+="$(proc_field "$l" "$r" $f) "
	done
	ssthresh=$(proc_field "$l" "$r" ssthresh)
	[ "$ssthresh" = 4294967295 ] && ssthresh=inf
	srtt=$(proc_field "$l" "$r" srtt)
	want+="$ssthresh $((srtt / 1000)).$(printf '%03d' $((srtt % 1000))) "
	want+="$(proc_field "$l" "$r" rto) "
	want+="$((16#$(proc_field "$l" "$r" retrnsmt)))"
	got=$("$EDUSTAT" -H -i src "$1:$2" dst "$3:$4" |
		awk '{ print $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 }')
	expect "-i for $1:$2 $3:$4" "$got" "$want"
}

t_info() {
	local ok=0 hdr

	hdr=$("$EDUSTAT" -i | head -n 1 | tr -s ' ')
	expect "-i header" "$hdr" "$(echo State Recv-Q Send-Q \
		Local Address:Port Peer Address:Port snd_una snd_nxt rcv_nxt \
		snd_wnd rcv_wnd cwnd ssthresh srtt rto retrans timer)" || ok=1
	# Something was exchanged and timed: the windows and SRTT are set.
	check_info $CADDR "$CPORT" $SADDR $PORT || ok=1
	check_info $SADDR $PORT $CADDR "$CPORT" || ok=1
	expect "timer of a connection" "$("$EDUSTAT" -H -i dport = :$PORT |
		awk '{ print $16 }')" "-" || ok=1
	return $ok
}
result "-i: snd_una ... retrans agree with /proc/net/edu" t_info

# ------------------------------------------------ data in the queues --
queued() {
	local s c

	s=$("$EDUSTAT" -H sport = :$PORT | awk '{ print $2 }')
	c=$("$EDUSTAT" -H dport = :$PORT | awk '{ print $3 }')
	[ "${s:-0}" -gt 0 ] && [ "${c:-0}" -gt 0 ]
}

t_skbs_held() {
	local ok=0 n

	# The receiver stops reading: its receive queue fills, then the
	# sender's write queue.
	kill -STOP "$server"
	head -c $((1 << 20)) /dev/urandom >"$TMP/data"
	cat "$TMP/data" >&4 3>&- &
	pids+=($!)
	wait_for 10 queued || { diag "$("$EDUSTAT")"; ok=1; }
	n=$(count skbs)
	[ "$n" -gt 0 ] || { diag "objects/skbs $n with data queued"; ok=1; }
	diag "queued: objects/skbs $n;" \
		"$("$EDUSTAT" -H state established | tr -s ' ' | tr '\n' ';')"
	# Recv-Q and Send-Q are /proc/net/edu's rx_queue and tx_queue.
	check_queue() {
		local l r q want got

		l=$(hexaddr "$1"):$(hexport "$2")
		r=$(hexaddr "$3"):$(hexport "$4")
		q=$(proc_field "$l" "$r" tx_queue)
		want="$((16#${q#*:})) $((16#${q%:*}))"
		got=$("$EDUSTAT" -H src "$1:$2" dst "$3:$4" |
			awk '{ print $2, $3 }')
		expect "Recv-Q Send-Q of $1:$2" "$got" "$want"
	}
	# (The sender's Send-Q may move while it probes: retry.)
	wait_for 10 check_queue $SADDR $PORT $CADDR "$CPORT" >/dev/null ||
		check_queue $SADDR $PORT $CADDR "$CPORT" || ok=1
	wait_for 10 check_queue $CADDR "$CPORT" $SADDR $PORT >/dev/null ||
		check_queue $CADDR "$CPORT" $SADDR $PORT || ok=1
	return $ok
}
result "objects/skbs nonzero while data waits unread; Recv-Q, Send-Q" t_skbs_held

# idle: nothing queued on the connection.
idle() {
	[ "$("$EDUSTAT" -H state established | awk '{ print $2, $3 }' |
		sort -u)" = "0 0" ]
}

t_drain() {
	local ok=0

	kill -CONT "$server"
	wait_for 60 received "$TMP/server.out" $((1 << 20)) ||
		{ diag "received $(stat -c %s "$TMP/server.out") bytes"; ok=1; }
	cmp -s "$TMP/data" "$TMP/server.out" || { diag "data differs"; ok=1; }
	wait_for 10 idle || { diag "$("$EDUSTAT")"; ok=1; }
	return $ok
}
result "once read, the queues are empty again" t_drain

# --------------------------------------------------------- counters --
t_summary() {
	local ok=0 out n v0 v1

	v0=$(snmp InSegs)
	out=$("$EDUSTAT" -s)
	v1=$(snmp InSegs)
	n=$(echo "$out" | awk '$1 == "InSegs" { print $2 }')
	[ -n "$n" ] && [ "$n" -ge "$v0" ] && [ "$n" -le "$v1" ] ||
		{ diag "InSegs: edustat '$n', /proc/net/edu_snmp $v0..$v1"; ok=1; }
	[ "$n" -gt 0 ] || { diag "InSegs 0 after a transfer"; ok=1; }
	n=$(echo "$out" | awk '$1 == "OutSegs" { print $2 }')
	[ -n "$n" ] && [ "$n" -gt 0 ] || { diag "OutSegs '$n'"; ok=1; }
	# Every counter of the file, by its name.
	expect "counter names" "$(echo "$out" | awk '/^Edu counters:/ { on = 1; next }
		on && NF == 2 { print $1 }' | tr '\n' ' ')" \
		"$(head -n 1 /proc/net/edu_snmp | cut -d' ' -f2- | tr -s ' ' |
		sed 's/ *$/ /')" || ok=1
	expect "socket count" "$(echo "$out" | head -n 1)" \
		"Total: 3 (ESTAB 2, LISTEN 1)" || ok=1
	return $ok
}
result "-s: the socket count and the counters, InSegs and OutSegs" t_summary

# delta NAME: the change of counter NAME in edustat -s INTERVAL's report.
delta() {
	awk -v name="$1" '/change over/ { on = 1 }
		on && $1 == name { print $2 }' "$TMP/delta"
}

t_delta() {
	local ok=0 in0 out0 in1 out1 din dout pid

	"$EDUSTAT" -s 8 -c 1 >"$TMP/delta" 2>&1 3>&- 4>&- &
	pid=$!
	pids+=("$pid")
	# The first report (the totals) is out: the interval has begun.
	wait_for 10 grep -q '^Edu counters:' "$TMP/delta" ||
		{ diag "$(cat "$TMP/delta")"; return 1; }
	in0=$(snmp InSegs)
	out0=$(snmp OutSegs)
	: >"$TMP/server.out"
	head -c $((256 << 10)) /dev/urandom >"$TMP/data"
	cat "$TMP/data" >&4
	wait_for 60 received "$TMP/server.out" $((256 << 10)) ||
		{ diag "received $(stat -c %s "$TMP/server.out") bytes"; ok=1; }
	in1=$(snmp InSegs)
	out1=$(snmp OutSegs)
	if ! kill -0 $pid 2>/dev/null; then
		diag "the interval ended before the transfer did"
		ok=1
	fi
	wait $pid || { diag "edustat -s 8 -c 1 failed"; ok=1; }
	diag "$(sed -n '/change over/,$p' "$TMP/delta")"
	din=$(delta InSegs)
	dout=$(delta OutSegs)
	[ $((in1 - in0)) -gt 0 ] || { diag "InSegs did not move"; ok=1; }
	[ -n "$din" ] && [ "${din#+}" -ge $((in1 - in0)) ] ||
		{ diag "InSegs delta '$din', at least $((in1 - in0))"; ok=1; }
	[ -n "$dout" ] && [ "${dout#+}" -ge $((out1 - out0)) ] ||
		{ diag "OutSegs delta '$dout', at least $((out1 - out0))"; ok=1; }
	# Exactly one report after the totals (-c 1).
	expect "reports" "$(grep -c 'change over' "$TMP/delta")" 1 || ok=1
	return $ok
}
result "-s INTERVAL -c 1: InSegs and OutSegs deltas cover a transfer" t_delta

# ------------------------------------------------------------ closing --
t_timewait() {
	local ok=0 tw

	# The client closes first (end of its input: FIN), then the server:
	# the client's end waits in TIME-WAIT.
	exec 4>&-
	wait_for 10 rows_are "FIN-WAIT-2 $CADDR:$CPORT $SADDR:$PORT" \
		state fin-wait-2 ||
		{ diag "client not in FIN-WAIT-2: $(cat /proc/net/edu)"; ok=1; }
	expect "the client in FIN-WAIT-2" "$(rows dport = :$PORT)" \
		"FIN-WAIT-2 $CADDR:$CPORT $SADDR:$PORT" || ok=1
	expect "the server in CLOSE-WAIT" "$(rows state close-wait)" \
		"CLOSE-WAIT $SADDR:$PORT $CADDR:$CPORT" || ok=1
	exec 3>&-
	wait "$client" 2>/dev/null
	wait "$server" 2>/dev/null
	client=
	server=
	wait_for 10 rows_are "TIME-WAIT $CADDR:$CPORT $SADDR:$PORT" \
		state connected ||
		{ diag "$("$EDUSTAT")"; ok=1; }
	expect "edustat" "$(rows)" "$(printf '%s\n' \
		"TIME-WAIT $CADDR:$CPORT $SADDR:$PORT" \
		"LISTEN 0.0.0.0:$LPORT 0.0.0.0:*" | sort)" || ok=1
	expect "-p $CPORT" "$(rows -p "$CPORT")" \
		"TIME-WAIT $CADDR:$CPORT $SADDR:$PORT" || ok=1
	expect "exclude time-wait" "$(rows exclude time-wait)" \
		"LISTEN 0.0.0.0:$LPORT 0.0.0.0:*" || ok=1
	# -i: the record's timer, and its sequence numbers.
	tw=$("$EDUSTAT" -H -i state time-wait | awk '{ print $16 }')
	[[ $tw =~ ^timewait:[0-9]+\.[0-9]s$ ]] ||
		{ diag "timer of the TIME-WAIT record: '$tw'"; ok=1; }
	check_info $CADDR "$CPORT" $SADDR $PORT || ok=1
	return $ok
}
result "TIME-WAIT after the close, on the side that closed first" t_timewait

t_skbs_zero() {
	kill "$holder" && wait "$holder" 2>/dev/null
	holder=
	wait_for 10 no_sockets || { diag "sockets: $(count sockets)"; return 1; }
	expect "objects/skbs with no socket" "$(count skbs)" 0 &&
		expect "edustat -l" "$(rows -l)" ""
}
result "objects/skbs back to 0 once the sockets are closed" t_skbs_zero

# ------------------------------------------------- other namespaces --
t_netns_pid() {
	local ok=0 pid

	unshare -n "$SOCK" -l "$FAMILY" "$TMP/ns.ready" 3>&- 4>&- &
	pid=$!
	pids+=("$pid")
	wait_for 10 test -e "$TMP/ns.ready" || { diag "no listener"; return 1; }
	expect "-l here" "$(rows -l)" "" || ok=1
	expect "-N $pid -l" "$(rows -N $pid -l | awk '{ print $1, $3 }')" \
		"LISTEN 0.0.0.0:*" || ok=1
	expect "--proc /proc/$pid/net -l" \
		"$(rows --proc /proc/$pid/net -l | awk '{ print $1, $3 }')" \
		"LISTEN 0.0.0.0:*" || ok=1
	kill $pid && wait $pid 2>/dev/null
	return $ok
}
result "-N PID and --proc /proc/PID/net: another namespace's sockets" t_netns_pid

t_netns_name() {
	local ok=0 ns=edustat$$ pid

	if ! ip netns add $ns 2>"$TMP/err"; then
		why="ip netns add: $(cat "$TMP/err")"
		return 2
	fi
	ip netns exec $ns "$SOCK" -l "$FAMILY" "$TMP/named.ready" 3>&- 4>&- &
	pid=$!
	pids+=("$pid")
	wait_for 10 test -e "$TMP/named.ready" || { diag "no listener"; return 1; }
	expect "-N $ns -l" "$(rows -N $ns -l | awk '{ print $1, $3 }')" \
		"LISTEN 0.0.0.0:*" || ok=1
	expect "-N $ns -s" "$("$EDUSTAT" -N $ns -s | head -n 1)" \
		"Total: 1 (LISTEN 1)" || ok=1
	if "$EDUSTAT" -N nosuchns$$ >/dev/null 2>&1; then
		diag "-N of a namespace that does not exist succeeded"
		ok=1
	fi
	kill $pid && wait $pid 2>/dev/null
	ip netns del $ns
	return $ok
}
result "-N NAME: a namespace of ip netns" t_netns_name

t_help() {
	local out ok=0 w

	out=$("$EDUSTAT" --help) || return 1
	for w in 'state NAME' 'sport OP' 'dport OP' '-p PORT' '-l' '-i' \
		'-s \[INTERVAL\]' '-c COUNT' '-N NETNS' 'TIME-WAIT\|time-wait'; do
		echo "$out" | grep -q -- "$w" || { diag "--help lacks '$w'"; ok=1; }
	done
	# -c without an interval is a usage error.
	"$EDUSTAT" -c 2 >/dev/null 2>&1
	expect "exit status of -c alone" $? 2 || ok=1
	return $ok
}
result "--help documents the filters and options" t_help

# ----------------------------------------------------------------- end --
ktap_end
