#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# edurun_servers_test.sh - real servers under tools/edu-run: nginx
# (sendfile, tcp_nodelay, keep-alive) serving a page and 4 MB to curl in
# each combination of AF_EDU and kernel TCP, and to wget, both under
# edu-run, and OpenSSH's sshd running a
# command for ssh and sending 1 MB back, both ends on AF_EDU.  Bytes are
# checked with sha256; the sockets are shown to be AF_EDU by the
# listeners in /proc/net/edu (and not /proc/net/tcp), AF_EDU's
# ActiveOpens and PassiveOpens and edu-run -v.  A second port has what
# nginx is commonly run with: tcp_nopush on (TCP_CORK around sendfile()),
# and a listener with reuseport (SO_REUSEPORT) and deferred
# (TCP_DEFER_ACCEPT).
#
#   edurun_servers_test.sh
#
# Runs as root in scripts/vm's guest with the module loaded (make tools
# first), in a network namespace of its own so the module's counters
# count only its connections.  Needs nginx (nginx-light) and
# openssh-server, which scripts/setup installs.  KTAP output; exit status
# 0 pass, 1 fail, 4 skip.

set -u

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/edu/lib.sh
. "$DIR/lib.sh"
TOOLS=$(cd "$DIR/../../tools" 2>/dev/null && pwd)
EDURUN=$TOOLS/edu-run
NGINX=$(command -v nginx /usr/sbin/nginx | head -n 1)
SSHD=/usr/sbin/sshd	# sshd wants an absolute path (it re-executes itself)
TMP=
pids=()

# The nginx configuration that works on AF_EDU today: nginx's defaults
# less tcp_nopush (TCP_CORK, which AF_EDU refuses with ENOPROTOOPT; nginx
# then drops the response).  Once the module has TCP_CORK, "on".
NOPUSH=off

# Ports: nginx under edu-run (the configuration above, and nginx's
# defaults), nginx on kernel TCP, sshd under edu-run.
P_EDU=8081
P_DEFAULTS=8082
P_KERNEL=8083
P_SSH=2222

cleanup() {
	stop_jobs "${pids[@]}"
	[ -n "$TMP" ] && rm -rf "$TMP"
}

# refused WHO LOG...: the socket options AF_EDU refused WHO, as
# diagnostics, each once (EDU_RUN_DEBUG's lines, without pid and fd).
refused() {
	local who=$1

	shift
	grep -h ENOPROTOOPT "$@" 2>/dev/null |
		sed 's/^edu-run\[[0-9]*\]: //; s/fd [0-9]*, //; s/ from AF_EDU$//' |
		sort -u | sed "s/^/# $who: refused /"
}

# ------------------------------------------------------------------ nginx --

# nginx_start edu|kernel: nginx in the foreground of a background job,
# with a configuration of its own under $TMP/nginx-WHICH: no daemon, the
# pid file, logs and temporary files there; the edu one serves $WWW on
# $P_EDU with $NOPUSH and on $P_DEFAULTS with nginx's defaults, the kernel
# one on $P_KERNEL.
nginx_start() {
	local d=$TMP/nginx-$1 run=() servers

	mkdir -p "$d"
	if [ "$1" = edu ]; then
		run=("$EDURUN" -v)
		servers="server { listen 127.0.0.1:$P_EDU; }
	server { listen 127.0.0.1:$P_DEFAULTS reuseport deferred;
		 tcp_nopush on; }"
	else
		servers="server { listen 127.0.0.1:$P_KERNEL; }"
	fi
	cat >"$d/nginx.conf" <<-EOF
	daemon off;
	master_process on;
	worker_processes 1;
	user root;
	pid $d/nginx.pid;
	error_log stderr;
	events { worker_connections 64; }
	http {
		access_log $d/access.log;
		client_body_temp_path $d/body;
		proxy_temp_path $d/proxy;
		fastcgi_temp_path $d/fastcgi;
		uwsgi_temp_path $d/uwsgi;
		scgi_temp_path $d/scgi;
		default_type application/octet-stream;
		root $WWW;
		sendfile on;
		tcp_nopush $NOPUSH;
		tcp_nodelay on;
		$servers
	}
	EOF
	"${run[@]}" "$NGINX" -e stderr -p "$d" -c "$d/nginx.conf" >"$d/log" 2>&1 &
	pids+=($!)
}

t_nginx_listens() {
	local ok=0 p

	[ -n "$NGINX" ] || { why="no nginx (install nginx-light)"; return 2; }
	for p in $P_EDU $P_DEFAULTS; do
		wait_for 10 listening /proc/net/edu "$p" ||
			{ diag "nginx under edu-run: nothing listens on $p in /proc/net/edu"; ok=1; }
		! listening /proc/net/tcp "$p" ||
			{ diag "nginx under edu-run listens on kernel TCP ($p)"; ok=1; }
	done
	wait_for 10 listening /proc/net/tcp $P_KERNEL ||
		{ diag "nginx on kernel TCP is not listening"; ok=1; }
	! listening /proc/net/edu $P_KERNEL ||
		{ diag "nginx on kernel TCP shows in /proc/net/edu"; ok=1; }
	grep -q 'is AF_EDU' "$TMP/nginx-edu/log" ||
		{ diag "nginx's listening socket was not converted"; ok=1; }
	[ $ok = 0 ] || sed 's/^/#   /' "$TMP"/nginx-*/log
	return $ok
}

# fetch CLIENT PORT ACTIVE PASSIVE: curl on CLIENT (edu or kernel) fetches
# the page and the blob from PORT over one keep-alive connection; AF_EDU
# must count ACTIVE connects and PASSIVE accepts, and the bytes match.
fetch() {
	local run=() ok=0 log=$TMP/curl-$1-$2.log url=http://127.0.0.1:$2

	[ -n "$NGINX" ] || { why="no nginx (install nginx-light)"; return 2; }
	command -v curl >/dev/null || { why="no curl"; return 2; }
	[ "$1" = edu ] && run=("$EDURUN" -v)
	rm -f "$TMP/page" "$TMP/blob"
	opens "$3" "$4" "${run[@]}" curl -sS -o "$TMP/page" "$url/index.html" \
		-o "$TMP/blob" "$url/blob" 2>"$log" || ok=1
	expect "sha256 of the page" "$(sha256sum 2>&1 <"$TMP/page")" "$PAGE_SUM" || ok=1
	expect "sha256 of the 4 MB file" "$(sha256sum 2>&1 <"$TMP/blob")" "$BLOB_SUM" || ok=1
	if [ "$1" = edu ]; then
		expect "curl's sockets converted" "$(grep -c 'is AF_EDU' "$log")" 1 || ok=1
	fi
	[ $ok = 0 ] || sed 's/^/#   /' "$log" "$TMP"/nginx-*/log
	return $ok
}

# wget_nginx: wget under edu-run fetches the 4 MB file from nginx under
# edu-run: one AF_EDU connection each way, the bytes match.
wget_nginx() {
	local ok=0 log=$TMP/wget.log

	[ -n "$NGINX" ] || { why="no nginx (install nginx-light)"; return 2; }
	command -v wget >/dev/null || { why="no wget"; return 2; }
	rm -f "$TMP/blob"
	opens 1 1 "$EDURUN" -v wget -q -O "$TMP/blob" \
		"http://127.0.0.1:$P_EDU/blob" 2>"$log" || ok=1
	expect "sha256 of the 4 MB file" "$(sha256sum 2>&1 <"$TMP/blob")" "$BLOB_SUM" || ok=1
	expect "wget's sockets converted" "$(grep -c 'is AF_EDU' "$log")" 1 || ok=1
	[ $ok = 0 ] || sed 's/^/#   /' "$log" "$TMP"/nginx-*/log
	return $ok
}

# tcp_nopush on, that is setsockopt(TCP_CORK) before the headers and
# sendfile() and off after, on a listener with SO_REUSEPORT and
# TCP_DEFER_ACCEPT: nginx must have been refused none of them.
t_defaults() {
	local log=$TMP/nginx-edu/log out

	[ -n "$NGINX" ] || { why="no nginx (install nginx-light)"; return 2; }
	out=$(fetch kernel $P_DEFAULTS 0 1) || { printf '%s\n' "$out"; return 1; }
	printf '%s\n' "$out"
	if grep -q 'setsockopt(.*) failed' "$log"; then
		diag "nginx was refused: $(grep 'setsockopt(.*) failed' "$log")"
		return 1
	fi
}

# -------------------------------------------------------------------- ssh --

# sshd_start: sshd under edu-run on $P_SSH, with a host key and root's
# authorized key of the test's own, no PAM (so that it needs none of the
# system's configuration), in the foreground (-D) logging to stderr (-e).
SSH=()
sshd_start() {
	local d=$TMP/ssh

	mkdir -p "$d"
	ssh-keygen -q -t ed25519 -N '' -C test-host -f "$d/host" || return 1
	ssh-keygen -q -t ed25519 -N '' -C test-user -f "$d/id" || return 1
	cp "$d/id.pub" "$d/authorized_keys"
	echo "[127.0.0.1]:$P_SSH $(cat "$d/host.pub")" >"$d/known_hosts"
	# curve25519: the default key exchange, sntrup761x25519, takes
	# seconds more under TCG.
	cat >"$d/sshd_config" <<-EOF
	ListenAddress 127.0.0.1:$P_SSH
	HostKey $d/host
	PidFile $d/sshd.pid
	AuthorizedKeysFile $d/authorized_keys
	UsePAM no
	StrictModes no
	PermitRootLogin prohibit-password
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	KexAlgorithms curve25519-sha256
	EOF
	# Without PAM, sshd refuses an account whose password is locked ("!"
	# in /etc/shadow, as root's is on a Debian installed without a root
	# password).  sshd gets a mount namespace of its own where root's
	# entry is "*" (no password, not locked); the system's is untouched.
	sed 's/^root:[^:]*:/root:*:/' /etc/shadow >"$d/shadow"
	chmod 600 "$d/shadow"
	# The privilege separation directory (in the VM, /run is a new tmpfs).
	mkdir -p /run/sshd
	unshare -m --propagation private sh -c \
		'mount --bind "$0" /etc/shadow && exec "$@"' "$d/shadow" \
		"$EDURUN" -v "$SSHD" -D -e -f "$d/sshd_config" >"$d/log" 2>&1 &
	pids+=($!)
	SSH=(ssh -F /dev/null -i "$d/id" -o IdentitiesOnly=yes
		-o UserKnownHostsFile="$d/known_hosts" -o StrictHostKeyChecking=yes
		-o BatchMode=yes -o ConnectTimeout=30 -p "$P_SSH")
}

t_sshd_listens() {
	local ok=0

	[ -x "$SSHD" ] || { why="no sshd (install openssh-server)"; return 2; }
	command -v ssh >/dev/null || { why="no ssh (install openssh-client)"; return 2; }
	id sshd >/dev/null 2>&1 ||
		{ why="no sshd user (privilege separation): install openssh-server"; return 2; }
	sshd_start || return 1
	wait_for 10 listening /proc/net/edu $P_SSH ||
		{ diag "sshd under edu-run is not listening in /proc/net/edu"; ok=1; }
	! listening /proc/net/tcp $P_SSH || { diag "sshd listens on kernel TCP"; ok=1; }
	grep -q 'is AF_EDU' "$TMP/ssh/log" ||
		{ diag "sshd's listening socket was not converted"; ok=1; }
	[ $ok = 0 ] || sed 's/^/#   /' "$TMP/ssh/log"
	return $ok
}

# ssh under edu-run runs a command on sshd under edu-run, which sends the
# blob back through the encrypted channel.
t_ssh() {
	local ok=0 log=$TMP/ssh/client.log

	[ ${#SSH[@]} -gt 0 ] || { why="no sshd running"; return 2; }
	rm -f "$TMP/out"
	opens 1 1 sh -c 'exec "$@" >"$0"' "$TMP/out" \
		"$EDURUN" -v "${SSH[@]}" root@127.0.0.1 \
		"head -c $SSH_BYTES $WWW/blob" 2>"$log" || ok=1
	expect "sha256 of the 1 MB that came through" "$(sha256sum 2>&1 <"$TMP/out")" \
		"$(head -c $SSH_BYTES "$WWW/blob" | sha256sum)" || ok=1
	grep -q 'is AF_EDU' "$log" || { diag "ssh's socket was not converted"; ok=1; }
	grep -q "Accepted publickey for root" "$TMP/ssh/log" ||
		{ diag "sshd did not log the login"; ok=1; }
	[ $ok = 0 ] || sed 's/^/#   /' "$log" "$TMP/ssh/log"
	return $ok
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
reason=
if [ "$(id -u)" != 0 ]; then
	reason="must run as root"
elif [ ! -e /proc/net/edu ]; then
	reason="the edu module is not loaded"
elif [ ! -x "$EDURUN" ] || [ ! -r "$TOOLS/libedu-run.so" ]; then
	reason="no tools/edu-run or tools/libedu-run.so: run make tools"
fi
if [ -n "$reason" ]; then
	echo "1..0 # SKIP $reason"
	exit $KSFT_SKIP
fi
ktap_plan 8
ip link set lo up
TMP=$(mktemp -d)
trap cleanup EXIT
WWW=$TMP/www
mkdir -p "$WWW"
printf '<!DOCTYPE html>\n<title>edu</title>\n<p>Served over AF_EDU.</p>\n' \
	>"$WWW/index.html"
head -c $((4 << 20)) /dev/urandom >"$WWW/blob"
PAGE_SUM=$(sha256sum <"$WWW/index.html")
BLOB_SUM=$(sha256sum <"$WWW/blob")
SSH_BYTES=$((1 << 20))
# Everything under edu-run names the options AF_EDU refuses.
export EDU_RUN_DEBUG=1
if [ -n "$NGINX" ]; then
	nginx_start edu
	nginx_start kernel
fi

result "nginx under edu-run listens on AF_EDU, not kernel TCP" t_nginx_listens
result "curl on kernel TCP from nginx under edu-run: page and 4 MB, sendfile" \
	fetch kernel $P_EDU 0 1
result "curl and nginx both under edu-run: page and 4 MB, sendfile" \
	fetch edu $P_EDU 1 1
result "curl under edu-run from nginx on kernel TCP: page and 4 MB" \
	fetch edu $P_KERNEL 1 0
result "wget and nginx both under edu-run: 4 MB, sendfile" wget_nginx
result "nginx with tcp_nopush (TCP_CORK), reuseport and deferred under edu-run" t_defaults
result "sshd under edu-run listens on AF_EDU" t_sshd_listens
result "ssh and sshd both under edu-run: a command, 1 MB back, sha256" t_ssh
refused nginx "$TMP/nginx-edu/log"
refused curl "$TMP"/curl-*.log
refused wget "$TMP/wget.log"
refused sshd "$TMP/ssh/log"
refused ssh "$TMP/ssh/client.log"

ktap_end
