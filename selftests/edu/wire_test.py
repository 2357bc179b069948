#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""wire_test.py - the segments AF_EDU puts on the wire, and its answers to
crafted ones, checked field by field with scapy acting as the peer.

The test unshares a network namespace of its own (it disappears with the
process) and makes a veth pair there:

    AF_EDU (educat)  eduw0 10.0.9.1/24  <--veth-->  eduw1 (no address)  scapy

eduw1 has no IPv4 address, so kernel TCP never answers what arrives there:
scapy alone plays 10.0.9.2, reading and writing raw frames on eduw1.  The
AF_EDU side reaches 10.0.9.2 through a permanent neighbour entry for
eduw1's MAC, so no ARP is needed either.  AF_EDU sockets are educat
processes (tools/educat; EDUCAT= overrides the path).

    wire_test.py [NAME...]  run as root, with the edu module loaded;
                            NAMEs (simultaneous_open...) pick checks

Some checks lower net.edu.retries2 for a while: the namespace's own.

After each check, whatever its outcome, the peer resets every connection
AF_EDU still has to 10.0.9.2 (a RST at its RCV.NXT), and the check fails if
the module's sockets, ports and skbs counts (/sys/kernel/edu/objects) are
not back to zero within a few seconds.  TIME-WAIT records stay their 60 s.

KTAP output; exit status 0 pass, 1 fail, 4 skip.
"""

import contextlib
import ctypes
import errno
import json
import os
import random
import select
import signal
import socket
import struct
import subprocess
import sys
import time
import traceback

KSFT_PASS, KSFT_FAIL, KSFT_SKIP = 0, 1, 4
AF_EDU = 19
CLONE_NEWNET = 0x40000000

HERE = os.path.dirname(os.path.abspath(__file__))
EDUCAT = os.environ.get('EDUCAT',
                        os.path.join(HERE, '..', '..', 'tools', 'educat'))

EDU_IF, PEER_IF = 'eduw0', 'eduw1'
EDU_IP, PEER_IP = '10.0.9.1', '10.0.9.2'
MTU = 1500
EDU_MSS = MTU - 40          # what AF_EDU must offer on this link
PEER_MSS = 1000             # what the scapy peer offers
PEER_WND = 65535

# TCP state codes of /proc/net/edu (those of /proc/net/tcp).
ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1 = 0x01, 0x02, 0x03, 0x04
TIME_WAIT = 0x06
CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN, CLOSING = 0x07, 0x08, 0x09, 0x0A, 0x0B
STATES = {ESTABLISHED: 'ESTABLISHED', SYN_SENT: 'SYN-SENT',
          SYN_RECV: 'SYN-RECEIVED', FIN_WAIT1: 'FIN-WAIT-1',
          0x05: 'FIN-WAIT-2', TIME_WAIT: 'TIME-WAIT', CLOSE: 'CLOSED',
          CLOSE_WAIT: 'CLOSE-WAIT', LAST_ACK: 'LAST-ACK', LISTEN: 'LISTEN',
          CLOSING: 'CLOSING'}

# Socket options, for AF_EDU sockets made through libc (EduSocket).
SOL_SOCKET, SO_RCVBUF, SO_KEEPALIVE, SO_LINGER = 1, 8, 9, 13
SOL_TCP, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT = 6, 4, 5, 6
TCP_USER_TIMEOUT = 18

# scapy, imported once the interfaces exist (see main()).
Ether = IP = TCP = L2ListenSocket = None


class Fail(Exception):
    """A check failed; the message says what was expected and seen."""


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def check_eq(what, seen, expected):
    if seen != expected:
        raise Fail(f'{what}: expected {expected}, seen {seen}')


def diag(msg):
    for line in str(msg).splitlines():
        print(f'# {line}', flush=True)


# ---------------------------------------------------------------- setup --

def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def unshare_net():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET):
        err = ctypes.get_errno()
        raise OSError(err, f'unshare(CLONE_NEWNET): {os.strerror(err)}')


def mac_of(ifname):
    # Not from /sys/class/net: that is the namespace sysfs was mounted in.
    out = subprocess.run(['ip', '-j', 'link', 'show', 'dev', ifname],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)[0]['address']


def setup_net():
    """The veth pair in a fresh namespace; return (edu MAC, peer MAC)."""
    unshare_net()
    run('ip', 'link', 'set', 'lo', 'up')
    run('ip', 'link', 'add', EDU_IF, 'mtu', str(MTU), 'type', 'veth',
        'peer', 'name', PEER_IF, 'mtu', str(MTU))
    for ifname in (EDU_IF, PEER_IF):
        # No IPv6 chatter (router solicitations, DAD) on the wire.
        path = f'/proc/sys/net/ipv6/conf/{ifname}/disable_ipv6'
        if os.path.exists(path):
            with open(path, 'w') as f:
                f.write('1')
        run('ip', 'link', 'set', ifname, 'up')
    run('ip', 'addr', 'add', f'{EDU_IP}/24', 'dev', EDU_IF)
    run('ip', 'neigh', 'replace', PEER_IP, 'lladdr', mac_of(PEER_IF),
        'dev', EDU_IF, 'nud', 'permanent')
    return mac_of(EDU_IF), mac_of(PEER_IF)


# ------------------------------------------------------------ the wire --

def tcp_data(pkt):
    """The payload of a sniffed segment, without Ethernet padding."""
    ip, tcp = pkt[IP], pkt[TCP]
    n = ip.len - ip.ihl * 4 - tcp.dataofs * 4
    return bytes(tcp.payload)[:n]


def seq_add(seq, n):
    """Sequence number arithmetic, modulo 2**32."""
    return (seq + n) % 2**32


def seq_diff(a, b):
    """a - b in sequence space: negative if a is before b."""
    return (a - b + 2**31) % 2**32 - 2**31


def mss_option(tcp):
    for kind, value in tcp.options:
        if kind == 'MSS':
            return value
    return None


def wscale_option(tcp):
    for kind, value in tcp.options:
        if kind == 'WScale':
            return value
    return None


def ts_option(tcp):
    """(TSval, TSecr) of a segment, or None."""
    for kind, value in tcp.options:
        if kind == 'Timestamp':
            return value
    return None


def edu_wscale():
    """The window scale AF_EDU offers (RFC 7323 section 2.2): the
    smallest shift that fits net.edu.rmem's maximum (tcp_rmem[2]) in 16
    bits, as Linux chooses it."""
    with open('/proc/sys/net/edu/rmem') as f:
        space = int(f.read().split()[2])
    shift = 0
    while space > 65535 and shift < 14:
        space >>= 1
        shift += 1
    return shift


def show(pkt):
    """A segment in one line, tcpdump style."""
    tcp = pkt[TCP]
    opts = ','.join(f'{k}={v}' for k, v in tcp.options)
    return (f'{pkt[IP].src}:{tcp.sport} > {pkt[IP].dst}:{tcp.dport} '
            f'[{tcp.flags}] seq {tcp.seq} ack {tcp.ack} win {tcp.window} '
            f'len {len(tcp_data(pkt))}' + (f' <{opts}>' if opts else ''))


class Wire:
    """The peer's end of the veth: raw frames in and out of eduw1.

    Frames go out through a packet socket that receives nothing; a
    listening one sees both directions, with the kernel's timestamps, so
    the time from our segment to AF_EDU's answer is measured on the wire.
    """

    def __init__(self, edu_mac, peer_mac):
        self.eth = Ether(src=peer_mac, dst=edu_mac)
        self.listen = L2ListenSocket(iface=PEER_IF)
        self.out = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
        self.out.bind((PEER_IF, 0))

    def close(self):
        self.listen.close()
        self.out.close()

    def frame(self, tcp):
        return self.eth / IP(src=PEER_IP, dst=EDU_IP) / tcp

    def send(self, tcp):
        """Send a TCP segment (scapy TCP layer, payload included)."""
        self.send_frame(self.frame(tcp))

    def send_frame(self, frame):
        """Send a whole frame: scapy Ether layer or bytes."""
        self.out.send(bytes(frame))

    def recv(self, timeout, sport=None, dport=None, src=EDU_IP):
        """The next TCP segment from src (AF_EDU's side, by default) within
        timeout seconds, optionally from port sport to port dport; else
        None.  Its time is the kernel's timestamp."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            if not select.select([self.listen.ins], [], [], left)[0]:
                return None
            pkt = self.listen.recv()
            if pkt is None or IP not in pkt or TCP not in pkt:
                continue
            if pkt[IP].src != src:
                continue
            if sport is not None and pkt[TCP].sport != sport:
                continue
            if dport is not None and pkt[TCP].dport != dport:
                continue
            return pkt


# ------------------------------------------------------- AF_EDU's side --

class Educat:
    """An educat process: an AF_EDU socket; stdin in, stdout gathered."""

    def __init__(self, *args):
        self.proc = subprocess.Popen([EDUCAT, *args],
                                     stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.out = b''

    def write(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def close_stdin(self):
        self.proc.stdin.close()

    def read(self, want=None, timeout=0.0):
        """What it wrote to stdout so far; wait up to timeout for at least
        want bytes (or for end of file)."""
        end = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while want is None or len(self.out) < want:
            left = end - time.monotonic()
            if not select.select([fd], [], [], max(left, 0))[0]:
                break
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            self.out += chunk
        return self.out

    def wait(self, timeout):
        """The exit status, or None if still running after timeout."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stderr(self):
        return self.proc.stderr.read().decode(errors='replace').strip()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                f.close()
            except OSError:
                pass


class EduSocket:
    """An AF_EDU socket of this process, for what educat cannot do (keep a
    listener open, set socket options, read only when told).  Made through
    libc: Python's socket module knows no AF_EDU addresses.  Non-blocking;
    reads wait with select()."""

    libc = None

    def __init__(self, fd=None):
        if EduSocket.libc is None:
            EduSocket.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self._call('socket', AF_EDU, socket.SOCK_STREAM, 0) \
            if fd is None else fd
        os.set_blocking(self.fd, False)

    @staticmethod
    def _call(name, *args):
        ret = getattr(EduSocket.libc, name)(*args)
        if ret < 0:
            err = ctypes.get_errno()
            raise OSError(err, f'{name}(): {os.strerror(err)}')
        return ret

    def setsockopt(self, level, name, value):
        """value: an int, or the option's bytes."""
        if isinstance(value, int):
            value = struct.pack('i', value)
        self._call('setsockopt', self.fd, level, name, value, len(value))

    def getsockopt(self, level, name):
        """An integer option's value."""
        value = ctypes.c_int()
        size = ctypes.c_uint(ctypes.sizeof(value))
        self._call('getsockopt', self.fd, level, name, ctypes.byref(value),
                   ctypes.byref(size))
        return value.value

    def listen(self, port, backlog=4):
        addr = (struct.pack('=H', socket.AF_INET) + struct.pack('!H', port) +
                socket.inet_aton(EDU_IP) + bytes(8))
        self._call('bind', self.fd, addr, len(addr))
        self._call('listen', self.fd, backlog)

    def accept(self, timeout=2.0):
        check(select.select([self.fd], [], [], timeout)[0],
              'nothing to accept')
        return EduSocket(self._call('accept', self.fd, None, None))

    def read(self, timeout=2.0):
        """What one read() returns once readable (b'' on timeout)."""
        if not select.select([self.fd], [], [], timeout)[0]:
            return b''
        return os.read(self.fd, 1 << 20)

    def send(self, data):
        """Queue all of data at once (it must fit in SO_SNDBUF)."""
        check_eq('bytes queued by write()', os.write(self.fd, data),
                 len(data))

    def close(self):
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def proc_addr(field):
    """An address column of /proc/net/edu (08X of the address as the host
    reads it, then :04X of the port): (dotted address, port)."""
    addr, port = field.split(':')
    return (socket.inet_ntoa(struct.pack('=I', int(addr, 16))),
            int(port, 16))


def edu_proc():
    """/proc/net/edu of the namespace: one dict per line, its columns by
    the header's names ('local_address', 'st', 'rcv_nxt'...; numbers as
    written) and the whole line under 'line'.  The header names the
    tx_queue:rx_queue and tr:tm->when fields twice each, so the columns
    after tm->when are matched from the right."""
    rows = []
    with open('/proc/net/edu') as f:
        names = next(f).split()
        tail = names[names.index('tm->when') + 1:]
        for line in f:
            fields = line.split()
            row = dict(zip(names[:4], fields[:4]))
            row.update(zip(tail, fields[len(fields) - len(tail):]))
            row['line'] = line.rstrip('\n')
            rows.append(row)
    return rows


def edu_sockets():
    """/proc/net/edu of the namespace: (local port, remote port, state)."""
    return [(proc_addr(row['local_address'])[1],
             proc_addr(row['rem_address'])[1], int(row['st'], 16))
            for row in edu_proc()]


def edu_state(lport, rport):
    for sock in edu_sockets():
        if sock[:2] == (lport, rport):
            return sock[2]
    return None


def wait_until(cond, timeout=3.0):
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


def edu_tcb(lport, rport):
    """Columns of a connection in /proc/net/edu: timer expiries for the
    same data (retransmits) and the RTO in ms; None if it is not there."""
    for row in edu_proc():
        if (proc_addr(row['local_address'])[1],
                proc_addr(row['rem_address'])[1]) == (lport, rport):
            return {'retransmits': int(row['retrnsmt'], 16),
                    'rto': int(row['rto']), 'rcv_wnd': int(row['rcv_wnd']),
                    'cwnd': int(row['cwnd']),
                    'ssthresh': int(row['ssthresh'])}
    return None


def edu_snmp(name):
    """A counter of /proc/net/edu_snmp, found by its name."""
    with open('/proc/net/edu_snmp') as f:
        lines = [line.split() for line in f if line.startswith('Edu:')]
    names, values = lines[0][1:], lines[1][1:]
    return int(values[names.index(name)])


OBJECTS = '/sys/kernel/edu/objects'


def edu_objects():
    """The module's live-object counts (/sys/kernel/edu/objects: sockets,
    ports, timewait, skbs), by name.  Global: every namespace's together."""
    counts = {}
    for name in os.listdir(OBJECTS):
        with open(os.path.join(OBJECTS, name)) as f:
            counts[name] = int(f.read())
    return counts


# ---------------------------------------------------------- connections --

class Conn:
    """A connection scapy opened to an educat listener (passive open on
    AF_EDU's side).  snd_nxt is the peer's next sequence number, rcv_nxt
    the next one expected from AF_EDU."""

    def __init__(self, tester, port=None, wnd=PEER_WND):
        """To an educat listener, or to the AF_EDU listener on port; wnd is
        the window the peer offers."""
        self.wire = tester.wire
        self.cat = None
        if port is None:
            port = tester.next_port()
            self.cat = tester.educat('-l', EDU_IP, str(port))
        self.port = port
        self.sport = tester.next_port()
        self.wnd = wnd
        check(wait_until(lambda: (port, 0, LISTEN) in edu_sockets()),
              f'no AF_EDU listener on port {port}')
        self.iss = random.getrandbits(32)
        self.snd_nxt = self.iss
        self.rcv_nxt = None
        self.synack = None
        self.sent = 0.0             # when our last segment went

    def seg(self, flags='A', seq=None, ack=None, data=b'', **kw):
        kw.setdefault('window', self.wnd)
        tcp = TCP(sport=self.sport, dport=self.port, flags=flags,
                  seq=self.snd_nxt if seq is None else seq,
                  ack=(self.rcv_nxt or 0) if ack is None else ack, **kw)
        return tcp / data if data else tcp

    def send(self, flags='A', seq=None, ack=None, data=b'', **kw):
        self.wire.send(self.seg(flags, seq, ack, data, **kw))
        self.sent = time.time()     # processed by now: veth is synchronous

    def recv(self, timeout=2.0):
        return self.wire.recv(timeout, sport=self.port, dport=self.sport)

    def syn(self, options=(('MSS', PEER_MSS),)):
        """Send the SYN; return AF_EDU's answer (None if none)."""
        self.send('S', ack=0, options=list(options))
        self.snd_nxt = seq_add(self.iss, 1)
        self.synack = self.recv()
        if self.synack is not None:
            self.rcv_nxt = seq_add(self.synack[TCP].seq, 1)
        return self.synack

    def open(self, ack_after=0.0):
        """Three-way handshake; check AF_EDU reached ESTABLISHED.  Our ACK
        goes ack_after seconds after the SYN-ACK: AF_EDU's first round-trip
        sample."""
        synack = self.syn()
        check(synack is not None, 'no SYN-ACK to our SYN')
        check_eq('SYN-ACK flags', str(synack[TCP].flags), 'SA')
        time.sleep(ack_after)
        self.send('A')
        check(wait_until(lambda: edu_state(self.port, self.sport) ==
                         ESTABLISHED),
              f'connection not ESTABLISHED: {edu_sockets()}')
        return self

    @property
    def edu_wnd(self):
        return self.synack[TCP].window

    def expect_silence(self, what, timeout=0.5, crossing=None):
        """No segment on the connection for timeout seconds, but those
        for which crossing(segment) is true that left before our last
        segment arrived (retransmissions that crossed it)."""
        end = time.monotonic() + timeout
        while (pkt := self.recv(end - time.monotonic())) is not None:
            if crossing is None or not crossing(pkt) or pkt.time > self.sent:
                raise Fail(f'{what}: expected no segment, seen {show(pkt)}')
            diag(f'{what}: crossed our segment: {show(pkt)}')

    def expect_ack(self, what, ack, timeout=2.0, seq=None, skip=None):
        """The next segment is a bare ACK <SEQ=seq><ACK=ack>.  Segments
        for which skip(segment) is true (retransmissions that may cross
        ours) come before it unchecked."""
        while True:
            pkt = self.recv(timeout)
            check(pkt is not None, f'{what}: no segment from AF_EDU')
            if skip is None or not skip(pkt):
                break
            diag(f'{what}: skipped {show(pkt)}')
        diag(f'{what}: {show(pkt)}')
        tcp = pkt[TCP]
        check_eq(f'{what}: flags', str(tcp.flags), 'A')
        check_eq(f'{what}: seq', tcp.seq,
                 self.rcv_nxt if seq is None else seq)
        check_eq(f'{what}: ack', tcp.ack, ack)
        check_eq(f'{what}: payload length', len(tcp_data(pkt)), 0)
        return pkt


# ----------------------------------------------------------- the tests --

def test_active_open(t):
    """AF_EDU connects: SYN with MSS 1460, ACK of our SYN-ACK, and data
    segments cut to the MSS we offered."""
    port = t.next_port()
    cat = t.educat(PEER_IP, str(port))
    syn = t.wire.recv(3.0, dport=port)
    check(syn is not None, 'no SYN from AF_EDU')
    diag(f'SYN: {show(syn)}')
    tcp = syn[TCP]
    check_eq('SYN flags', str(tcp.flags), 'S')
    check_eq('SYN MSS option', mss_option(tcp), EDU_MSS)
    check_eq('SYN window scale option', wscale_option(tcp), edu_wscale())
    check(tcp.window > 0, f'SYN window: expected > 0, seen {tcp.window}')
    check_eq('SYN payload length', len(tcp_data(syn)), 0)
    check_eq('SYN ack field', tcp.ack, 0)
    sport, edu_iss = tcp.sport, tcp.seq

    iss = random.getrandbits(32)
    t.wire.send(TCP(sport=port, dport=sport, flags='SA', seq=iss,
                    ack=seq_add(edu_iss, 1), window=PEER_WND,
                    options=[('MSS', PEER_MSS)]))
    ack = t.wire.recv(3.0, sport=sport, dport=port)
    check(ack is not None, 'no ACK of our SYN-ACK')
    diag(f'ACK: {show(ack)}')
    check_eq('ACK flags', str(ack[TCP].flags), 'A')
    check_eq('ACK seq', ack[TCP].seq, seq_add(edu_iss, 1))
    check_eq('ACK ack', ack[TCP].ack, seq_add(iss, 1))
    check_eq('ACK payload length', len(tcp_data(ack)), 0)
    # Our SYN-ACK offered no window scale: AF_EDU's windows are unscaled.
    check_eq('ACK window (no scaling)', ack[TCP].window,
             edu_tcb(sport, port)['rcv_wnd'])

    data = random.randbytes(3500)
    cat.write(data)
    got, nxt, sizes = b'', seq_add(edu_iss, 1), []
    while len(got) < len(data):
        pkt = t.wire.recv(3.0, sport=sport, dport=port)
        check(pkt is not None,
              f'data: {len(got)} of {len(data)} bytes came')
        payload = tcp_data(pkt)
        if not payload:
            continue
        check_eq('data seq', pkt[TCP].seq, nxt)
        check(len(payload) <= PEER_MSS,
              f'data segment of {len(payload)} bytes, over our MSS '
              f'{PEER_MSS}')
        sizes.append(len(payload))
        got += payload
        nxt = seq_add(nxt, len(payload))
        t.wire.send(TCP(sport=port, dport=sport, flags='A',
                        seq=seq_add(iss, 1), ack=nxt, window=PEER_WND))
    diag(f'data segment sizes: {sizes}')
    check(got == data, 'data on the wire differs from what was written')


def test_passive_open(t):
    """A SYN to a listener: SYN-ACK acknowledging it, with MSS 1460; our
    ACK establishes the connection."""
    conn = Conn(t)
    synack = conn.syn()
    check(synack is not None, 'no SYN-ACK to our SYN')
    diag(f'SYN-ACK: {show(synack)}')
    tcp = synack[TCP]
    check_eq('SYN-ACK flags', str(tcp.flags), 'SA')
    check_eq('SYN-ACK ack', tcp.ack, conn.snd_nxt)
    check_eq('SYN-ACK MSS option', mss_option(tcp), EDU_MSS)
    # RFC 7323 section 2.2: no window scale in answer to a SYN without.
    check_eq('SYN-ACK window scale option', wscale_option(tcp), None)
    check(tcp.window > 0, f'SYN-ACK window: expected > 0, seen '
          f'{tcp.window}')
    check_eq('SYN-ACK payload length', len(tcp_data(synack)), 0)
    check_eq('state before our ACK', edu_state(conn.port, conn.sport),
             SYN_RECV)
    conn.send('A')
    check(wait_until(lambda: edu_state(conn.port, conn.sport) ==
                     ESTABLISHED),
          f'not ESTABLISHED after our ACK: {edu_sockets()}')
    # educat accepted it (and closed its listener).
    check(wait_until(lambda: (conn.port, 0, LISTEN) not in edu_sockets()),
          'educat did not accept the connection')


def test_syn_retransmission(t):
    """Unanswered SYNs: the same ISN again after about 1 s, then 2 s."""
    port = t.next_port()
    t.educat(PEER_IP, str(port))
    syns = []
    while len(syns) < 3:
        pkt = t.wire.recv(6.0, dport=port)
        check(pkt is not None, f'only {len(syns)} SYN(s) within 6 s')
        syns.append(pkt)
    for i, pkt in enumerate(syns):
        diag(f'SYN {i} at {pkt.time - syns[0].time:.3f} s: {show(pkt)}')
        check_eq(f'SYN {i} flags', str(pkt[TCP].flags), 'S')
        check_eq(f'SYN {i} seq', pkt[TCP].seq, syns[0][TCP].seq)
        check_eq(f'SYN {i} source port', pkt[TCP].sport, syns[0][TCP].sport)
        check_eq(f'SYN {i} MSS option', mss_option(pkt[TCP]), EDU_MSS)
    gap1 = float(syns[1].time - syns[0].time)
    gap2 = float(syns[2].time - syns[1].time)
    check(0.8 <= gap1 <= 1.5,
          f'first retransmission after {gap1:.3f} s, expected ~1 s')
    check(1.6 <= gap2 / gap1 <= 2.5,
          f'backoff ratio {gap2 / gap1:.2f} ({gap1:.3f} s, {gap2:.3f} s), '
          'expected ~2')


def test_rst_closed_port(t):
    """A SYN to a port with no socket: RST (from kernel TCP)."""
    port, sport = t.next_port(), t.next_port()
    seq = random.getrandbits(32)
    t.wire.send(TCP(sport=sport, dport=port, flags='S', seq=seq,
                    window=PEER_WND))
    pkt = t.wire.recv(2.0, sport=port, dport=sport)
    check(pkt is not None, 'no RST for a SYN to a closed port')
    diag(f'answer: {show(pkt)}')
    check_eq('flags', str(pkt[TCP].flags), 'RA')
    check_eq('seq', pkt[TCP].seq, 0)
    check_eq('ack', pkt[TCP].ack, seq_add(seq, 1))


def test_rst_at_rcv_nxt(t):
    """ESTABLISHED: a RST with SEQ = RCV.NXT resets the connection."""
    conn = Conn(t).open()
    conn.send('R', ack=0)
    conn.expect_silence('after our RST')
    status = conn.cat.wait(3.0)
    check(status is not None, 'educat still running after the RST')
    err = conn.cat.stderr()
    diag(f'educat: exit {status}: {err}')
    check(status != 0, 'educat exited 0 after a reset')
    check('Connection reset by peer' in err,
          f'educat error: expected ECONNRESET, seen "{err}"')
    check_eq('state after RST', edu_state(conn.port, conn.sport), None)


def check_alive(conn, what):
    """The connection still works: data is ACKed and delivered."""
    check_eq(f'state after {what}', edu_state(conn.port, conn.sport),
             ESTABLISHED)
    check(conn.cat.wait(0) is None, f'educat exited after {what}')
    conn.send('PA', data=b'alive')
    conn.snd_nxt = seq_add(conn.snd_nxt, 5)
    conn.expect_ack(f'data after {what}', conn.snd_nxt)
    check_eq(f'data delivered after {what}', conn.cat.read(5, 2.0),
             b'alive')


def test_rst_in_window(t):
    """ESTABLISHED: a RST in the window but not at RCV.NXT gets a
    challenge ACK and does not reset (RFC 5961 section 3.2)."""
    conn = Conn(t).open()
    check(conn.edu_wnd > 100, f'window {conn.edu_wnd} too small to test')
    conn.send('R', seq=seq_add(conn.snd_nxt, 100), ack=0)
    conn.expect_ack('challenge ACK', conn.snd_nxt)
    check_alive(conn, 'an in-window RST')


def test_rst_outside_window(t):
    """ESTABLISHED: a RST beyond the window is dropped silently."""
    conn = Conn(t).open()
    conn.send('R', seq=seq_add(conn.snd_nxt, conn.edu_wnd + 1000),
              ack=0)
    conn.expect_silence('after a RST outside the window')
    check_alive(conn, 'a RST outside the window')


def test_syn_recv_bad_ack(t):
    """SYN-RECEIVED: an unacceptable ACK gets <SEQ=SEG.ACK><CTL=RST>."""
    conn = Conn(t)
    check(conn.syn() is not None, 'no SYN-ACK to our SYN')
    bad = seq_add(conn.rcv_nxt, 1000)
    conn.send('A', ack=bad)
    pkt = conn.recv()
    check(pkt is not None, 'no RST for an unacceptable ACK')
    diag(f'answer: {show(pkt)}')
    check_eq('flags', str(pkt[TCP].flags), 'R')
    check_eq('seq', pkt[TCP].seq, bad)
    check(edu_state(conn.port, conn.sport) != ESTABLISHED,
          'the unacceptable ACK established the connection')


def test_listener_closed_in_syn_recv(t):
    """A connection still in SYN-RECEIVED when its listener closes has
    nobody to accept it: it goes at its next SYN-ACK timeout (about 1 s),
    as Linux drops its requests, without a RST and without resending the
    SYN-ACK, and the closed listener goes with it."""
    conn = Conn(t)
    synack = conn.syn()
    check(synack is not None, 'no SYN-ACK to our SYN')
    check_eq('state', edu_state(conn.port, conn.sport), SYN_RECV)
    conn.cat.kill()
    gone = wait_until(lambda: not any(sock[0] == conn.port
                                      for sock in edu_sockets()), 3.0)
    check(gone, f'SYN-RECEIVED child still there 3 s after its listener '
          f'closed: {edu_sockets()}')
    conn.expect_silence('after the child was dropped', 0.3)


def test_bad_checksum(t):
    """ESTABLISHED: a segment with a bad TCP checksum is dropped: no ACK,
    no data, InCsumErrors counts it; the same one, correct, goes in."""
    conn = Conn(t).open()
    before = edu_snmp('InCsumErrors')
    frame = t.wire.frame(conn.seg('PA', data=b'corrupt'))
    good = frame.__class__(bytes(frame))[TCP].chksum
    frame[TCP].chksum = good ^ 0x00ff
    t.wire.send_frame(frame)
    conn.expect_silence('after a bad checksum')
    check_eq('data delivered despite a bad checksum', conn.cat.read(), b'')
    check_eq('InCsumErrors increase', edu_snmp('InCsumErrors') - before, 1)
    frame[TCP].chksum = good
    t.wire.send_frame(frame)
    conn.snd_nxt = seq_add(conn.snd_nxt, 7)
    conn.expect_ack('ACK of the same segment, correct', conn.snd_nxt)
    check_eq('data delivered', conn.cat.read(7, 2.0), b'corrupt')


def test_fin_close(t):
    """educat's stdin ends: FIN; our ACK and FIN; AF_EDU ACKs our FIN, and
    again when it comes back in TIME-WAIT."""
    conn = Conn(t).open()
    conn.cat.close_stdin()
    fin = conn.recv()
    check(fin is not None, 'no FIN after shutdown(SHUT_WR)')
    diag(f'FIN: {show(fin)}')
    check_eq('FIN flags', str(fin[TCP].flags), 'FA')
    check_eq('FIN seq', fin[TCP].seq, conn.rcv_nxt)
    check_eq('FIN ack', fin[TCP].ack, conn.snd_nxt)
    check_eq('FIN payload length', len(tcp_data(fin)), 0)
    conn.rcv_nxt = seq_add(conn.rcv_nxt, 1)
    conn.send('A')
    conn.expect_silence('after our ACK of the FIN', 0.3)
    conn.send('FA')
    conn.snd_nxt = seq_add(conn.snd_nxt, 1)
    conn.expect_ack('ACK of our FIN', conn.snd_nxt)
    status = conn.cat.wait(3.0)
    check_eq('educat exit status', status, 0)
    conn.send('FA', seq=seq_add(conn.snd_nxt, -1))
    conn.expect_ack('ACK of our FIN again, in TIME-WAIT', conn.snd_nxt)


def stop(cat):
    """Stop educat, and wait until it has stopped."""
    cat.proc.send_signal(signal.SIGSTOP)

    def stopped():
        with open(f'/proc/{cat.proc.pid}/stat') as f:
            return f.read().rsplit(')', 1)[1].split()[0] == 'T'
    check(wait_until(stopped), 'educat did not stop')


def ack_delay(conn, segments):
    """Send the segments back to back; return the time from the last one
    to the ACK of them all, both as the wire saw them.  educat is stopped
    meanwhile: the application reading would make the ACK a window update,
    which says nothing about when the ACK itself is due."""
    total = sum(len(s) for s in segments)
    frames = []
    for data in segments:
        frames.append(bytes(conn.wire.frame(conn.seg('PA', data=data))))
        conn.snd_nxt = seq_add(conn.snd_nxt, len(data))
    last_seq = seq_add(conn.snd_nxt, -len(segments[-1]))
    stop(conn.cat)
    try:
        for frame in frames:    # built beforehand: scapy is slow on TCG
            conn.wire.send_frame(frame)
        while True:
            last = conn.wire.recv(2.0, sport=conn.sport, dport=conn.port,
                                  src=PEER_IP)
            check(last is not None, 'our segment not seen on the wire')
            if last[TCP].seq == last_seq:
                break
        while True:
            pkt = conn.recv(2.0)
            check(pkt is not None, f'no ACK of {len(segments)} segment(s)')
            diag(f'ACK: {show(pkt)}')
            check_eq('ACK flags', str(pkt[TCP].flags), 'A')
            if pkt[TCP].ack == conn.snd_nxt:
                break
    finally:
        conn.cat.proc.send_signal(signal.SIGCONT)
    check_eq('data delivered', len(conn.cat.read(total, 2.0)), total)
    conn.cat.out = b''
    return float(pkt.time - last.time)


def test_delayed_ack(t):
    """One small segment: ACKed within 500 ms (MUST-40)."""
    conn = Conn(t).open()
    delay = ack_delay(conn, [b'x' * 10])
    diag(f'ACK after {delay * 1000:.1f} ms')
    check(delay < 0.5, f'ACK after {delay:.3f} s, MUST-40 says < 0.5 s')


# Promptly: well before any delayed-ACK timer (AF_EDU's is 40 ms, Linux's
# at least 40 ms too), even under TCG.
PROMPT = 0.02


def test_ack_every_second_segment(t):
    """Two full-sized segments back to back: ACKed at once (RFC 9293
    3.8.6.3: at least every second full-sized segment).  The best of three
    tries, so that one stall of a slow VM does not count as a delay."""
    conn = Conn(t).open()
    mss = mss_option(conn.synack[TCP])
    delays = []
    for _ in range(3):
        delays.append(ack_delay(conn, [b'y' * mss, b'z' * mss]))
        if delays[-1] < PROMPT:
            break
    diag('ACK after ' + ', '.join(f'{d * 1000:.1f}' for d in delays) +
         ' ms')
    check(min(delays) < PROMPT,
          f'ACK after {min(delays) * 1000:.1f} ms at best, expected within '
          f'{PROMPT * 1000:.0f} ms of the second segment')


# ------------------------------------------- opening and closing, more --

def same_segment(orig):
    """A predicate: the segment is orig sent again (a retransmission)."""
    def match(pkt):
        return (pkt[TCP].seq == orig[TCP].seq and
                str(pkt[TCP].flags) == str(orig[TCP].flags) and
                tcp_data(pkt) == tcp_data(orig))
    return match


def test_simultaneous_open(t):
    """Both ends send SYN (RFC 9293 3.5, Figure 8): AF_EDU in SYN-SENT
    answers our bare SYN with <SEQ=ISS><ACK=our ISN+1><CTL=SYN,ACK> and
    goes SYN-RECEIVED; our SYN-ACK (what Linux sends in its turn)
    establishes the connection, and connect() returns: data follows."""
    port = t.next_port()
    cat = t.educat(PEER_IP, str(port))
    syn = t.wire.recv(3.0, dport=port)
    check(syn is not None, 'no SYN from AF_EDU')
    check_eq('SYN flags', str(syn[TCP].flags), 'S')
    sport, edu_iss = syn[TCP].sport, syn[TCP].seq
    iss = random.getrandbits(32)

    t.wire.send(TCP(sport=port, dport=sport, flags='S', seq=iss,
                    window=PEER_WND, options=[('MSS', PEER_MSS)]))
    synack = t.wire.recv(2.0, sport=sport, dport=port)
    check(synack is not None, 'no answer to our SYN in SYN-SENT')
    diag(f'SYN-ACK: {show(synack)}')
    tcp = synack[TCP]
    check_eq('SYN-ACK flags', str(tcp.flags), 'SA')
    check_eq('SYN-ACK seq (ISS)', tcp.seq, edu_iss)
    check_eq('SYN-ACK ack', tcp.ack, seq_add(iss, 1))
    check_eq('SYN-ACK MSS option', mss_option(tcp), EDU_MSS)
    check(tcp.window > 0, f'SYN-ACK window: expected > 0, seen {tcp.window}')
    check_eq('SYN-ACK payload length', len(tcp_data(synack)), 0)
    check_eq('state after our SYN', edu_state(sport, port), SYN_RECV)

    t.wire.send(TCP(sport=port, dport=sport, flags='SA', seq=iss,
                    ack=seq_add(edu_iss, 1), window=PEER_WND,
                    options=[('MSS', PEER_MSS)]))
    check(wait_until(lambda: edu_state(sport, port) == ESTABLISHED, 0.5),
          f'not ESTABLISHED after our SYN-ACK: {edu_sockets()}')
    cat.write(b'connected')
    while True:
        pkt = t.wire.recv(2.0, sport=sport, dport=port)
        check(pkt is not None, 'no data: connect() did not return')
        diag(show(pkt))
        tcp = pkt[TCP]
        check_eq('seq', tcp.seq, seq_add(edu_iss, 1))
        check_eq('ack', tcp.ack, seq_add(iss, 1))
        if tcp_data(pkt):
            break
        # An ACK of our SYN-ACK's duplicate SYN is fine (Linux sends one).
        check_eq('flags of a segment without data', str(tcp.flags), 'A')
    check_eq('data flags', str(tcp.flags), 'PA')
    check_eq('data', tcp_data(pkt), b'connected')
    t.wire.send(TCP(sport=port, dport=sport, flags='A', seq=seq_add(iss, 1),
                    ack=seq_add(edu_iss, 10), window=PEER_WND))
    status = cat.wait(0)
    if status is not None:
        raise Fail(f'educat exited {status}: {cat.stderr()}')


def test_simultaneous_close(t):
    """Both ends close at once (RFC 9293 3.6, Figure 13): our FIN crosses
    AF_EDU's, without acknowledging it.  AF_EDU goes FIN-WAIT-1 -> CLOSING
    and ACKs our FIN with <SEQ=its FIN+1><ACK=our FIN+1>; our ACK of its
    FIN takes it to TIME-WAIT."""
    conn = Conn(t).open()
    conn.cat.close_stdin()
    fin = conn.recv()
    check(fin is not None, 'no FIN after shutdown(SHUT_WR)')
    diag(f'FIN: {show(fin)}')
    check_eq('FIN flags', str(fin[TCP].flags), 'FA')
    check_eq('FIN seq', fin[TCP].seq, conn.rcv_nxt)
    check_eq('FIN ack', fin[TCP].ack, conn.snd_nxt)
    check_eq('state after its FIN', edu_state(conn.port, conn.sport),
             FIN_WAIT1)
    conn.send('FA')             # ACK = its FIN's SEQ: not acknowledged
    conn.snd_nxt = seq_add(conn.snd_nxt, 1)
    conn.expect_ack('ACK of our FIN', conn.snd_nxt,
                    seq=seq_add(conn.rcv_nxt, 1), skip=same_segment(fin))
    check(wait_until(lambda: edu_state(conn.port, conn.sport) == CLOSING,
                     1.0), f'not CLOSING after our FIN: {edu_sockets()}')
    conn.rcv_nxt = seq_add(conn.rcv_nxt, 1)
    conn.send('A')
    check(wait_until(lambda: edu_state(conn.port, conn.sport) == TIME_WAIT,
                     1.0), f'not TIME-WAIT after our ACK: {edu_sockets()}')
    conn.expect_silence('after our ACK of its FIN', 0.3,
                        crossing=same_segment(fin))
    check_eq('educat exit status', conn.cat.wait(3.0), 0)


def test_passive_close(t):
    """The peer closes first (RFC 9293 3.6, Figure 12): AF_EDU ACKs our FIN
    at once and goes CLOSE-WAIT; the application's close sends its FIN
    (LAST-ACK); our ACK of it ends the connection, with no TIME-WAIT."""
    conn = Conn(t).open()
    conn.send('FA')
    conn.snd_nxt = seq_add(conn.snd_nxt, 1)
    conn.expect_ack('ACK of our FIN', conn.snd_nxt, timeout=0.5)
    check(wait_until(lambda: edu_state(conn.port, conn.sport) == CLOSE_WAIT,
                     1.0), f'not CLOSE-WAIT after our FIN: {edu_sockets()}')
    conn.expect_silence('in CLOSE-WAIT', 0.3)
    conn.cat.close_stdin()
    fin = conn.recv()
    check(fin is not None, 'no FIN after the application closed')
    diag(f'FIN: {show(fin)}')
    check_eq('FIN flags', str(fin[TCP].flags), 'FA')
    check_eq('FIN seq', fin[TCP].seq, conn.rcv_nxt)
    check_eq('FIN ack', fin[TCP].ack, conn.snd_nxt)
    check_eq('FIN payload length', len(tcp_data(fin)), 0)
    check(wait_until(lambda: edu_state(conn.port, conn.sport) == LAST_ACK,
                     1.0), f'not LAST-ACK after its FIN: {edu_sockets()}')
    conn.rcv_nxt = seq_add(conn.rcv_nxt, 1)
    conn.send('A')
    check(wait_until(lambda: edu_state(conn.port, conn.sport) is None, 1.0),
          f'still there after our ACK of its FIN: {edu_sockets()}')
    conn.expect_silence('after our ACK of its FIN', 0.3,
                        crossing=same_segment(fin))
    check_eq('educat exit status', conn.cat.wait(3.0), 0)


def test_close_with_unread_data(t):
    """close() with received data unread: RST <SEQ=SND.NXT><ACK=RCV.NXT>
    instead of a FIN (RFC 9293 3.10.4 ABORT; RFC 2525 2.17, as Linux).
    Data of its own is in flight, so SND.NXT is not SND.UNA."""
    conn = Conn(t).open()
    conn.cat.write(b'in flight')
    data = conn.recv()
    check(data is not None, 'no data from educat')
    check_eq('data', tcp_data(data), b'in flight')
    una = conn.rcv_nxt
    conn.rcv_nxt = seq_add(una, 9)
    stop(conn.cat)
    conn.send('PA', ack=una, data=b'unread')
    conn.snd_nxt = seq_add(conn.snd_nxt, 6)
    conn.expect_ack('ACK of our data', conn.snd_nxt,
                    skip=same_segment(data))
    conn.cat.kill()
    while True:
        rst = conn.recv()
        check(rst is not None, 'nothing after close() with unread data')
        if not same_segment(data)(rst):
            break
    diag(f'answer to close(): {show(rst)}')
    check_eq('flags', str(rst[TCP].flags), 'RA')
    check_eq('seq (SND.NXT)', rst[TCP].seq, conn.rcv_nxt)
    check_eq('ack (RCV.NXT)', rst[TCP].ack, conn.snd_nxt)
    check_eq('payload length', len(tcp_data(rst)), 0)
    check_eq('state after the RST', edu_state(conn.port, conn.sport), None)
    conn.expect_silence('after the RST', 0.3)


def test_unacceptable_segment(t):
    """ESTABLISHED: data entirely beyond the receive window, and an old
    duplicate, are unacceptable (RFC 9293 3.10.7.4): each gets an ACK
    <SEQ=SND.NXT><ACK=RCV.NXT> and neither reaches the application."""
    conn = Conn(t).open()
    conn.send('PA', seq=seq_add(conn.snd_nxt, conn.edu_wnd + 1000),
              data=b'beyond')
    conn.expect_ack('ACK of data beyond the window', conn.snd_nxt)
    conn.send('PA', data=b'fresh')
    conn.snd_nxt = seq_add(conn.snd_nxt, 5)
    conn.expect_ack('ACK of in-window data', conn.snd_nxt)
    check_eq('data delivered', conn.cat.read(5, 2.0), b'fresh')
    conn.send('PA', seq=seq_add(conn.snd_nxt, -5), data=b'fresh')
    conn.expect_ack('ACK of an old duplicate', conn.snd_nxt)
    conn.expect_silence('after the old duplicate', 0.3)
    check_eq('data delivered in all', conn.cat.read(), b'fresh')
    conn.cat.out = b''
    check_alive(conn, 'unacceptable segments')


def test_syn_in_established(t):
    """ESTABLISHED: a SYN (here in the window) gets a challenge ACK
    <SEQ=SND.NXT><ACK=RCV.NXT> (RFC 5961 section 4.2, which RFC 9293
    3.10.7.4 recommends), and the connection goes on."""
    conn = Conn(t).open()
    check(conn.edu_wnd > 100, f'window {conn.edu_wnd} too small to test')
    conn.send('S', seq=seq_add(conn.snd_nxt, 100), ack=0,
              options=[('MSS', PEER_MSS)])
    conn.expect_ack('challenge ACK', conn.snd_nxt, timeout=0.5)
    conn.expect_silence('after the challenge ACK', 0.3)
    check_alive(conn, 'a SYN')


def test_segments_after_reset(t):
    """Segments for a connection that AF_EDU reset.  What stays AF_EDU's
    is the port of a listener that still listens: with no AF_EDU socket on
    the port at all, the segment goes to kernel TCP, which answers as
    CLOSED.  So the 4-tuple meets LISTEN (RFC 9293 3.10.7.2): a segment
    with ACK gets <SEQ=SEG.ACK><CTL=RST> (as in CLOSED); one without ACK
    or SYN is dropped, unanswered (where CLOSED would send <SEQ=0>
    <ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>); neither makes a connection."""
    lsock = t.edu_socket()
    port = t.next_port()
    lsock.listen(port)
    conn = Conn(t, port=port).open()
    child = t.edu_socket(lsock.accept())
    # SO_LINGER 0: close() aborts with a RST.
    child.setsockopt(SOL_SOCKET, SO_LINGER, struct.pack('ii', 1, 0))
    child.close()
    rst = conn.recv()
    check(rst is not None, 'no RST from close() with SO_LINGER 0')
    diag(f'RST: {show(rst)}')
    check_eq('RST flags', str(rst[TCP].flags), 'RA')
    check_eq('RST seq', rst[TCP].seq, conn.rcv_nxt)
    check(wait_until(lambda: edu_state(port, conn.sport) is None, 1.0),
          f'connection still there after its RST: {edu_sockets()}')

    ack = random.getrandbits(32)
    conn.send('PA', ack=ack, data=b'late')
    pkt = conn.recv()
    check(pkt is not None, 'no RST for a segment with ACK')
    diag(f'answer to ACK: {show(pkt)}')
    check_eq('flags', str(pkt[TCP].flags), 'R')
    check_eq('seq (SEG.ACK)', pkt[TCP].seq, ack)
    check_eq('payload length', len(tcp_data(pkt)), 0)

    conn.send('P', ack=0, data=b'late')
    conn.expect_silence('after a segment without ACK')
    check_eq('AF_EDU sockets on the port',
             [s for s in edu_sockets() if s[0] == port], [(port, 0, LISTEN)])
    check(not select.select([lsock.fd], [], [], 0)[0],
          'the listener has a connection to accept')


def test_synack_retransmission(t):
    """A SYN never completed: the same SYN-ACK again after about 1 s, then
    after 2 s more (RFC 6298 backoff, RFC 9293 3.8.1)."""
    conn = Conn(t)
    synacks = [conn.syn()]
    check(synacks[0] is not None, 'no SYN-ACK to our SYN')
    while len(synacks) < 3:
        pkt = conn.recv(4.0)
        check(pkt is not None,
              f'only {len(synacks)} SYN-ACK(s) within 4 s of each other')
        synacks.append(pkt)
    for i, pkt in enumerate(synacks):
        diag(f'SYN-ACK {i} at {pkt.time - synacks[0].time:.3f} s: '
             f'{show(pkt)}')
        tcp = pkt[TCP]
        check_eq(f'SYN-ACK {i} flags', str(tcp.flags), 'SA')
        check_eq(f'SYN-ACK {i} seq', tcp.seq, synacks[0][TCP].seq)
        check_eq(f'SYN-ACK {i} ack', tcp.ack, conn.snd_nxt)
        check_eq(f'SYN-ACK {i} MSS option', mss_option(tcp), EDU_MSS)
        check_eq(f'SYN-ACK {i} payload length', len(tcp_data(pkt)), 0)
    gap1 = float(synacks[1].time - synacks[0].time)
    gap2 = float(synacks[2].time - synacks[1].time)
    check(0.8 <= gap1 <= 1.5,
          f'first retransmission after {gap1:.3f} s, expected ~1 s')
    check(1.6 <= gap2 / gap1 <= 2.5,
          f'backoff ratio {gap2 / gap1:.2f} ({gap1:.3f} s, {gap2:.3f} s), '
          'expected ~2')
    check_eq('state', edu_state(conn.port, conn.sport), SYN_RECV)
    conn.send('R', ack=0)       # done: back to LISTEN (MUST-11)
    check(wait_until(lambda: edu_state(conn.port, conn.sport) is None, 1.0),
          f'SYN-RECEIVED survived our RST: {edu_sockets()}')


# ------------------------------------------------------------ windows --

def take_window(what, recv, nxt, edge):
    """Data from AF_EDU up to the window's right edge and not beyond it
    (retransmissions may come while we wait): return the bytes."""
    got = bytearray()
    while (pkt := recv(0.5)) is not None:
        payload = tcp_data(pkt)
        if not payload or seq_diff(pkt[TCP].seq, nxt) < 0:
            continue
        end = seq_add(pkt[TCP].seq, len(payload))
        check(seq_diff(end, edge) <= 0, f'{what}: {show(pkt)} goes '
              f'{seq_diff(end, edge)} bytes beyond the window')
        check_eq(f'{what}: data seq', pkt[TCP].seq, nxt)
        got.extend(payload)
        nxt = end
    return bytes(got)


def test_window_scale_active(t):
    """RFC 7323 section 2: AF_EDU's SYN offers a window scale; the peer's
    SYN-ACK offers shift 2.  The SYN-ACK's window is not scaled; after it,
    the peer's windows count 4 bytes a unit (250 means 1000 bytes), and
    AF_EDU's own window field is its window shifted by its scale."""
    port = t.next_port()
    cat = t.educat(PEER_IP, str(port))
    syn = t.wire.recv(3.0, dport=port)
    check(syn is not None, 'no SYN from AF_EDU')
    diag(f'SYN: {show(syn)}')
    tcp = syn[TCP]
    shift = edu_wscale()
    check_eq('SYN window scale option', wscale_option(tcp), shift)
    check(tcp.window <= 65535, 'SYN window')
    sport, edu_iss = tcp.sport, tcp.seq
    iss = random.getrandbits(32)
    t.wire.send(TCP(sport=port, dport=sport, flags='SA', seq=iss,
                    ack=seq_add(edu_iss, 1), window=65535,
                    options=[('MSS', PEER_MSS), ('WScale', 2)]))
    ack = t.wire.recv(3.0, sport=sport, dport=port)
    check(ack is not None, 'no ACK of our SYN-ACK')
    diag(f'ACK: {show(ack)}')
    wnd = edu_tcb(sport, port)['rcv_wnd']
    check_eq('ACK window field', ack[TCP].window, wnd >> shift)
    check(wnd > 0, 'AF_EDU offered no window')

    # 250 units of 4 bytes: AF_EDU may send 1000 bytes, no more (unscaled
    # it would stop at 250).
    nxt = seq_add(edu_iss, 1)
    t.wire.send(TCP(sport=port, dport=sport, flags='A', seq=seq_add(iss, 1),
                    ack=nxt, window=250))
    data = random.randbytes(5000)
    cat.write(data)
    got = take_window('scaled window', lambda timeout: t.wire.recv(
        timeout, sport=sport, dport=port), nxt, seq_add(nxt, 1000))
    check_eq('bytes sent into a window of 250 << 2', len(got), 1000)
    check(got == data[:1000], 'data differs from what was written')


def test_window_scale_passive(t):
    """A SYN offering shift 3 gets a SYN-ACK offering AF_EDU's own shift,
    with an unscaled window; then the peer's 100 means 800 bytes, and
    AF_EDU's ACKs carry its window shifted by its scale."""
    conn = Conn(t)
    shift = edu_wscale()
    synack = conn.syn(options=[('MSS', PEER_MSS), ('WScale', 3)])
    check(synack is not None, 'no SYN-ACK to our SYN')
    diag(f'SYN-ACK: {show(synack)}')
    tcp = synack[TCP]
    check_eq('SYN-ACK window scale option', wscale_option(tcp), shift)
    check_eq('SYN-ACK window (never scaled)', tcp.window,
             edu_tcb(conn.port, conn.sport)['rcv_wnd'])
    conn.send('A', window=100)
    check(wait_until(lambda: edu_state(conn.port, conn.sport) ==
                     ESTABLISHED), 'not ESTABLISHED')
    data = random.randbytes(3000)
    conn.cat.write(data)
    got = take_window('scaled window', conn.recv, conn.rcv_nxt,
                      seq_add(conn.rcv_nxt, 800))
    check_eq('bytes sent into a window of 100 << 3', len(got), 800)
    check(got == data[:800], 'data differs from what was written')
    conn.rcv_nxt = seq_add(conn.rcv_nxt, 800)
    # Our data; AF_EDU's ACK (delayed, or at once) has a scaled window.
    conn.send('PA', ack=conn.rcv_nxt, window=0, data=b'x' * 100)
    conn.snd_nxt = seq_add(conn.snd_nxt, 100)
    pkt = conn.expect_ack('ACK of our data', conn.snd_nxt,
                          skip=lambda p: len(tcp_data(p)) > 0)
    check_eq('ACK window field', pkt[TCP].window,
             edu_tcb(conn.port, conn.sport)['rcv_wnd'] >> shift)


def test_window_scale_off(t):
    """net.edu.window_scaling = 0: neither SYN nor SYN-ACK offers it."""
    with sysctl('net.edu.window_scaling', 0):
        port = t.next_port()
        t.educat(PEER_IP, str(port))
        syn = t.wire.recv(3.0, dport=port)
        check(syn is not None, 'no SYN from AF_EDU')
        check_eq('SYN window scale option', wscale_option(syn[TCP]), None)
        conn = Conn(t)
        synack = conn.syn(options=[('MSS', PEER_MSS), ('WScale', 3)])
        check(synack is not None, 'no SYN-ACK to our SYN')
        check_eq('SYN-ACK window scale option', wscale_option(synack[TCP]),
                 None)


def test_timestamps_active(t):
    """RFC 7323 section 3: AF_EDU's SYN offers timestamps (TSecr 0); the
    peer's SYN-ACK has them too, so every segment after carries them,
    echoing the peer's latest TSval in order (TS.Recent, section 4.3), with
    TSvals that do not go back; data segments give 12 bytes of the MSS to
    the option."""
    port = t.next_port()
    cat = t.educat(PEER_IP, str(port))
    syn = t.wire.recv(3.0, dport=port)
    check(syn is not None, 'no SYN from AF_EDU')
    diag(f'SYN: {show(syn)}')
    ts = ts_option(syn[TCP])
    check(ts is not None, 'SYN without timestamps')
    check_eq('SYN TSecr', ts[1], 0)
    sport, edu_iss = syn[TCP].sport, syn[TCP].seq
    iss = random.getrandbits(32)
    t.wire.send(TCP(sport=port, dport=sport, flags='SA', seq=iss,
                    ack=seq_add(edu_iss, 1), window=PEER_WND,
                    options=[('MSS', PEER_MSS), ('Timestamp', (1000, ts[0]))]))
    ack = t.wire.recv(3.0, sport=sport, dport=port)
    check(ack is not None, 'no ACK of our SYN-ACK')
    diag(f'ACK: {show(ack)}')
    ats = ts_option(ack[TCP])
    check(ats is not None, 'ACK without timestamps')
    check_eq('ACK TSecr', ats[1], 1000)
    check(seq_diff(ats[0], ts[0]) >= 0, f'TSval went back: {ats[0]} after '
          f'{ts[0]}')

    data = random.randbytes(2 * PEER_MSS)
    cat.write(data)
    got, nxt, tsval, peer_ts = b'', seq_add(edu_iss, 1), ats[0], 1000
    while len(got) < len(data):
        pkt = t.wire.recv(3.0, sport=sport, dport=port)
        check(pkt is not None, f'data: {len(got)} of {len(data)} bytes')
        payload, pts = tcp_data(pkt), ts_option(pkt[TCP])
        check(pts is not None, f'segment without timestamps: {show(pkt)}')
        check(seq_diff(pts[0], tsval) >= 0, 'TSval went back')
        tsval = pts[0]
        # Sent before our last ACK arrived, or after: one of the two.
        check(pts[1] in (peer_ts, peer_ts - 10), f'TSecr {pts[1]}: we '
              f'sent TSval {peer_ts - 10}, then {peer_ts}')
        if not payload:
            continue
        check(len(payload) <= PEER_MSS - 12, f'data segment of '
              f'{len(payload)} bytes: over MSS {PEER_MSS} less 12')
        got += payload
        nxt = seq_add(nxt, len(payload))
        peer_ts += 10
        t.wire.send(TCP(sport=port, dport=sport, flags='A',
                        seq=seq_add(iss, 1), ack=nxt, window=PEER_WND,
                        options=[('Timestamp', (peer_ts, tsval))]))
    check(got == data, 'data differs from what was written')
    # Everything acknowledged: the next segment echoes our latest TSval.
    cat.write(b'!')
    pkt = t.wire.recv(3.0, sport=sport, dport=port)
    check(pkt is not None, 'no data from AF_EDU')
    check_eq('TSecr after the last ACK', ts_option(pkt[TCP])[1], peer_ts)


def test_timestamps_passive(t):
    """A SYN with timestamps gets a SYN-ACK echoing its TSval; a SYN
    without gets none, and neither do the segments after it."""
    conn = Conn(t)
    synack = conn.syn(options=[('MSS', PEER_MSS), ('Timestamp', (77, 0))])
    check(synack is not None, 'no SYN-ACK to our SYN')
    diag(f'SYN-ACK: {show(synack)}')
    ts = ts_option(synack[TCP])
    check(ts is not None, 'SYN-ACK without timestamps')
    check_eq('SYN-ACK TSecr', ts[1], 77)

    lsock = t.edu_socket()
    port = t.next_port()
    lsock.listen(port)
    plain = Conn(t, port=port).open()
    check_eq('SYN-ACK timestamps (none offered)',
             ts_option(plain.synack[TCP]), None)
    sock = t.edu_socket(lsock.accept())
    os.write(sock.fd, b'hello')
    pkt = plain.recv()
    check(pkt is not None, 'no data from AF_EDU')
    diag(f'data: {show(pkt)}')
    check_eq('data timestamps (none offered)', ts_option(pkt[TCP]), None)


def test_timestamps_recent(t):
    """RFC 7323 section 4.3: TS.Recent takes the TSval of a segment that
    starts at or before the last ACK sent, so the echo times the segment
    that moved the window: an out-of-order segment's newer TSval is not
    echoed; the segment filling the hole, though older, is."""
    conn = Conn(t)
    synack = conn.syn(options=[('MSS', PEER_MSS), ('Timestamp', (100, 0))])
    check(synack is not None, 'no SYN-ACK to our SYN')
    edu_ts = ts_option(synack[TCP])[0]
    conn.send('A', options=[('Timestamp', (110, edu_ts))])
    check(wait_until(lambda: edu_state(conn.port, conn.sport) ==
                     ESTABLISHED), 'not ESTABLISHED')
    hole = seq_add(conn.snd_nxt, 100)
    conn.send('PA', seq=hole, data=b'b' * 100,
              options=[('Timestamp', (300, edu_ts))])
    pkt = conn.expect_ack('duplicate ACK', conn.snd_nxt)
    check_eq('TSecr of the dup ACK (out of order: not taken)',
             ts_option(pkt[TCP])[1], 110)
    conn.send('PA', data=b'a' * 100,
              options=[('Timestamp', (200, edu_ts))])
    conn.snd_nxt = seq_add(hole, 100)
    pkt = conn.expect_ack('ACK of the filled hole', conn.snd_nxt)
    check_eq('TSecr of the ACK (the hole filler: taken)',
             ts_option(pkt[TCP])[1], 200)


def test_send_window(t):
    """We offer a window of 1000 bytes (no window scaling) and educat
    writes 10000: AF_EDU never sends beyond SND.UNA + SND.WND (RFC 9293
    3.8.6).  A zero window gets probes (3.8.6.1, MUST-36), backing off;
    the window update that opens it gets data at once."""
    conn = Conn(t, wnd=1000).open()
    data = random.randbytes(10000)
    conn.cat.write(data)
    nxt = conn.rcv_nxt                  # the next new byte from AF_EDU
    data_end = seq_add(nxt, len(data))
    edge = seq_add(nxt, 1000)           # SND.UNA + SND.WND, as we offered
    got = bytearray()

    def within(pkt, what):
        """The segment stays within the window; return its payload."""
        payload = tcp_data(pkt)
        end = seq_add(pkt[TCP].seq, len(payload))
        check(seq_diff(end, edge) <= 0, f'{what}: {show(pkt)} goes '
              f'{seq_diff(end, edge)} bytes beyond the window')
        return payload

    def take(what, until=None):
        """Data until nxt reaches until (the window's edge, or the data's
        end); none beyond the edge.  Return the time of the first."""
        nonlocal nxt
        if until is None:
            until = edge if seq_diff(edge, data_end) < 0 else data_end
        first = None
        while seq_diff(until, nxt) > 0:
            pkt = conn.recv(2.0)
            check(pkt is not None, f'{what}: {len(got)} of {len(data)} '
                  f'bytes came, then nothing for 2 s')
            tcp, payload = pkt[TCP], within(pkt, what)
            end = seq_add(tcp.seq, len(payload))
            if not payload or seq_diff(tcp.seq, nxt) < 0:
                continue        # a retransmission (we are slow) or probe
            check_eq(f'{what}: data seq', tcp.seq, nxt)
            first = first or pkt.time
            got.extend(payload)
            nxt = end
        return first

    for rnd in range(3):
        take(f'round {rnd}')
        if rnd == 0:
            # Nothing beyond the edge while we wait (retransmissions of
            # what is in the window may come: the RTO is 200 ms).
            while (pkt := conn.recv(0.3)) is not None:
                within(pkt, 'with the window full')
        edge = seq_add(nxt, 1000)
        conn.send('A', ack=nxt)

    take('before the zero window')
    conn.send('A', ack=nxt, window=0)   # the edge stays where it was
    times = [time.time()]
    for i in range(2):
        pkt = conn.recv(3.0)
        check(pkt is not None, f'no window probe {i} within 3 s')
        diag(f'probe {i}: {show(pkt)}')
        tcp, n = pkt[TCP], len(tcp_data(pkt))
        check((tcp.seq == seq_add(nxt, -1) and n == 0) or
              (tcp.seq == nxt and n == 1),
              f'probe {i}: expected <SEQ=SND.UNA-1> without data or one '
              f'byte at SND.UNA, seen {show(pkt)}')
        check('A' in str(tcp.flags), f'probe {i}: no ACK flag')
        check_eq(f'probe {i} ack', tcp.ack, conn.snd_nxt)
        times.append(float(pkt.time))
        conn.send('A', ack=nxt, window=0)
    gaps = [b - a for a, b in zip(times, times[1:])]
    diag('probes after ' + ', '.join(f'{g:.3f}' for g in gaps) + ' s')
    check(gaps[1] >= 1.4 * gaps[0],
          f'probe intervals {gaps[0]:.3f} s, {gaps[1]:.3f} s: no backoff')

    edge = seq_add(nxt, 1000)
    conn.send('A', ack=nxt)
    opened = time.time()
    first = take('after the window update', seq_add(nxt, 1))
    delay = float(first) - opened
    diag(f'data {delay * 1000:.1f} ms after the window update')
    check(delay < 0.3, f'data {delay:.3f} s after the window update, '
          'expected at once')
    while seq_diff(data_end, nxt) > 0:
        take('after the zero window')
        edge = seq_add(nxt, 1000)
        conn.send('A', ack=nxt)
    check(bytes(got) == data, 'data on the wire differs from what was '
          'written')


def test_window_update(t):
    """AF_EDU's receive window (SO_RCVBUF small), which we fill until it
    advertises zero, reopens when the application reads: one window
    update <SEQ=SND.NXT><ACK=RCV.NXT><WND=new> (RFC 9293 3.8.6.2.2, its
    right edge never moving left, 3.8.6).  When an ACK is owed as well (a
    third full-sized segment, its ACK delayed), the update carries it: one
    segment, not an ACK and then an update."""
    lsock = t.edu_socket()
    lsock.setsockopt(SOL_SOCKET, SO_RCVBUF, 8192)
    port = t.next_port()
    lsock.listen(port)
    conn = Conn(t, port=port).open()
    sock = t.edu_socket(lsock.accept())
    mss = mss_option(conn.synack[TCP])
    edge = seq_add(conn.snd_nxt, conn.edu_wnd)
    sent = bytearray()

    def burst(n):
        """n bytes from us, back to back, in full-sized segments."""
        frames = []
        while n > 0:
            data = random.randbytes(min(mss, n))
            frames.append(bytes(conn.wire.frame(conn.seg('PA', data=data))))
            conn.snd_nxt = seq_add(conn.snd_nxt, len(data))
            sent.extend(data)
            n -= len(data)
        for frame in frames:        # built beforehand: scapy is slow
            conn.wire.send_frame(frame)

    for _ in range(20):
        burst(seq_diff(edge, conn.snd_nxt))
        while True:
            pkt = conn.recv(1.0)
            check(pkt is not None, f'no ACK of all {len(sent)} bytes, '
                  'sent within the window AF_EDU advertised')
            tcp = pkt[TCP]
            check_eq('ACK flags', str(tcp.flags), 'A')
            check_eq('ACK seq', tcp.seq, conn.rcv_nxt)
            new_edge = seq_add(tcp.ack, tcp.window)
            check(seq_diff(new_edge, edge) >= 0,
                  f'the window\'s right edge moved left: {show(pkt)}')
            edge = new_edge
            if tcp.ack == conn.snd_nxt:
                break
        if tcp.window == 0:
            break
    check_eq('window after filling', tcp.window, 0)
    diag(f'{len(sent)} bytes closed the window: {show(pkt)}')

    got = sock.read(1.0)
    check_eq('bytes read', len(got), len(sent))
    check(got == sent, 'data read differs from what was sent')
    pkt = conn.recv(1.0)
    check(pkt is not None, 'no window update after the application read')
    diag(f'window update: {show(pkt)}')
    tcp = pkt[TCP]
    check_eq('update flags', str(tcp.flags), 'A')
    check_eq('update seq', tcp.seq, conn.rcv_nxt)
    check_eq('update ack', tcp.ack, conn.snd_nxt)
    check(tcp.window > 0, 'the window update opens no window')
    check_eq('update payload length', len(tcp_data(pkt)), 0)
    conn.expect_silence('after the window update', 0.3)
    edge = seq_add(tcp.ack, tcp.window)

    for attempt in range(3):
        check(seq_diff(edge, conn.snd_nxt) >= 3 * mss,
              f'window {seq_diff(edge, conn.snd_nxt)} too small to test')
        del sent[:]
        burst(3 * mss)
        before = time.time()
        got = sock.read(1.0)
        segs = []
        while (pkt := conn.recv(0.3)) is not None:
            diag(f'try {attempt}: {show(pkt)}')
            segs.append(pkt)
        last = [p for p in segs if p[TCP].ack == conn.snd_nxt]
        if len(got) < len(sent) or (last and last[0].time < before):
            # The delayed ACK went before the application read: no case.
            diag(f'try {attempt}: read {len(got)} bytes after the ACK')
            sock.read(0.2)
            continue
        check(got == sent, 'data read differs from what was sent')
        check(last, 'no ACK of the third segment')
        check_eq('segments acknowledging the third segment', len(last), 1)
        check_eq('segments in all (ACK of two, then ACK and update)',
                 len(segs), 2)
        tcp = last[0][TCP]
        check(seq_diff(seq_add(tcp.ack, tcp.window), edge) > 0,
              f'the ACK after the read does not move the window: '
              f'{show(last[0])}')
        return
    raise Fail('the delayed ACK went before the application read, 3 times')


def test_timewait_fin(t):
    """TIME-WAIT (RFC 9293 3.10.7.4, eighth): a retransmitted FIN is
    acknowledged again, <SEQ=SND.NXT><ACK=RCV.NXT>, each time, with the
    window last advertised (as Linux), and the connection stays in
    TIME-WAIT; a bare ACK is not answered."""
    conn = Conn(t).open()
    conn.cat.close_stdin()
    fin = conn.recv()
    check(fin is not None, 'no FIN after shutdown(SHUT_WR)')
    check_eq('FIN flags', str(fin[TCP].flags), 'FA')
    conn.rcv_nxt = seq_add(conn.rcv_nxt, 1)
    conn.send('FA')
    conn.snd_nxt = seq_add(conn.snd_nxt, 1)
    last = conn.expect_ack('ACK of our FIN', conn.snd_nxt,
                           skip=same_segment(fin))
    check(wait_until(lambda: edu_state(conn.port, conn.sport) == TIME_WAIT,
                     1.0), f'not TIME-WAIT: {edu_sockets()}')
    for i in range(2):
        conn.send('FA', seq=seq_add(conn.snd_nxt, -1))
        again = conn.expect_ack(f'ACK of our FIN again ({i + 1})',
                                conn.snd_nxt, timeout=0.5)
        check_eq('window from TIME-WAIT', again[TCP].window,
                 last[TCP].window)
        conn.expect_silence(f'after the ACK of our FIN ({i + 1})', 0.2)
        check_eq('state', edu_state(conn.port, conn.sport), TIME_WAIT)
    conn.send('A')
    conn.expect_silence('after a bare ACK in TIME-WAIT', 0.3)


# ---------------------------------------------------------- reliability --

@contextlib.contextmanager
def sysctl(name, value):
    """The namespace's sysctl name (net.edu.retries2) set to value
    for the with block, and restored after it."""
    path = '/proc/sys/' + name.replace('.', '/')
    with open(path) as f:
        old = f.read().strip()
    with open(path, 'w') as f:
        f.write(str(value))
    try:
        yield
    finally:
        with open(path, 'w') as f:
            f.write(old)


def sysctl_get(name):
    with open('/proc/sys/' + name.replace('.', '/')) as f:
        return int(f.read())


def edu_conn(t, wnd=PEER_WND, ack_after=0.0):
    """A connection from scapy to an AF_EDU listener of this process (see
    Conn.open() for ack_after): (Conn, the accepted EduSocket)."""
    lsock = t.edu_socket()
    port = t.next_port()
    lsock.listen(port)
    conn = Conn(t, port=port, wnd=wnd).open(ack_after)
    return conn, t.edu_socket(lsock.accept())


def rto_of(conn):
    """The RTO of the connection, in seconds, as /proc/net/edu shows it."""
    tcb = edu_tcb(conn.port, conn.sport)
    check(tcb is not None, f'connection not in /proc/net/edu: '
          f'{edu_sockets()}')
    return tcb['rto'] / 1000


def send_data(conn, sock, data):
    """The application sends data, which fits in one segment: return
    that segment, checked."""
    sock.send(data)
    pkt = conn.recv()
    check(pkt is not None, 'no data from AF_EDU')
    diag(f'data: {show(pkt)}')
    check_eq('data seq', pkt[TCP].seq, conn.rcv_nxt)
    check_eq('data ack', pkt[TCP].ack, conn.snd_nxt)
    check(tcp_data(pkt) == data, f'data on the wire differs: {show(pkt)}')
    return pkt


def same_data(orig):
    """A predicate: the segment carries orig's data again, at the same
    sequence number (a retransmission; PSH may differ, as the segment may
    no longer be the last queued)."""
    def flags(pkt):
        return str(pkt[TCP].flags).replace('P', '')

    def match(pkt):
        return (pkt[TCP].seq == orig[TCP].seq and flags(pkt) == flags(orig)
                and tcp_data(pkt) == tcp_data(orig))
    return match


def check_backoff(what, times):
    """Each interval between the times is about twice the one before
    (RFC 6298 section 5.5).  Return the intervals."""
    gaps = [b - a for a, b in zip(times, times[1:])]
    diag(f'{what} after ' + ', '.join(f'{g:.3f}' for g in gaps) + ' s')
    for i in range(1, len(gaps)):
        ratio = gaps[i] / gaps[i - 1]
        check(1.6 <= ratio <= 2.5,
              f'{what}: interval {i + 1} is {ratio:.2f} times interval {i} '
              f'({gaps[i - 1]:.3f} s, {gaps[i]:.3f} s), expected ~2')
    return gaps


def watch(conn, sock, timeout):
    """AF_EDU's segments on conn until sock reports an error (it turns
    readable: no data comes to it), at most timeout seconds.  Return the
    segments and the time of the error, None if none came."""
    segs = []
    end = time.monotonic() + timeout
    while (left := end - time.monotonic()) > 0:
        ready = select.select([sock.fd, conn.wire.listen.ins], [], [],
                              left)[0]
        if sock.fd in ready:
            return segs, time.time()
        if (pkt := conn.recv(0.01)) is not None:
            segs.append(pkt)
    return segs, None


def check_timed_out(conn, sock):
    """The connection ended with ETIMEDOUT: read() says so, the socket is
    CLOSED, and gone from /proc/net/edu once closed."""
    try:
        got = os.read(sock.fd, 100)
    except OSError as e:
        check_eq('read() error', errno.errorcode.get(e.errno, e.errno),
                 'ETIMEDOUT')
    else:
        raise Fail(f'read() returned {got!r}, expected ETIMEDOUT')
    state = edu_state(conn.port, conn.sport)
    check(state in (CLOSE, None), f'state after the timeout: {state}')
    sock.close()
    check(wait_until(lambda: edu_state(conn.port, conn.sport) is None, 1.0),
          f'closed socket still in /proc/net/edu: {edu_sockets()}')
    conn.expect_silence('after the timeout', 0.3)


def test_rto_after_active_open(t):
    """AF_EDU connects and sends at once, and we acknowledge nothing more:
    the data goes again one RTO after it first went (RFC 6298 5.1), not
    when the SYN's retransmission timer, which the ACK of the SYN must stop
    (5.2), would have expired."""
    port = t.next_port()
    cat = t.educat(PEER_IP, str(port))
    syn = t.wire.recv(3.0, dport=port)
    check(syn is not None, 'no SYN from AF_EDU')
    sport, edu_iss = syn[TCP].sport, syn[TCP].seq
    iss = random.getrandbits(32)
    t.wire.send(TCP(sport=port, dport=sport, flags='SA', seq=iss,
                    ack=seq_add(edu_iss, 1), window=PEER_WND,
                    options=[('MSS', PEER_MSS)]))
    ack = t.wire.recv(3.0, sport=sport, dport=port)
    check(ack is not None, 'no ACK of our SYN-ACK')
    tcb = edu_tcb(sport, port)
    check(tcb is not None, f'connection not in /proc/net/edu: '
          f'{edu_sockets()}')
    rto = tcb['rto'] / 1000
    cat.write(random.randbytes(100))
    first = t.wire.recv(3.0, sport=sport, dport=port)
    check(first is not None and len(tcp_data(first)) == 100,
          f'expected the data, seen {first and show(first)}')
    diag(f'data {first.time - syn.time:.3f} s after the SYN, RTO '
         f'{rto:.3f} s')
    again = t.wire.recv(3.0, sport=sport, dport=port)
    check(again is not None and same_data(first)(again),
          f'expected the data again, seen {again and show(again)}')
    gap = float(again.time - first.time)
    diag(f'data again after {gap:.3f} s')
    check(max(rto - 0.02, 0.18) <= gap <= rto + 0.15,
          f'data again after {gap:.3f} s, expected the RTO, {rto:.3f} s')


def test_rto_backoff(t):
    """Data never acknowledged: the same segment again after the RTO, then
    after 2, 4 and 8 times that (RFC 6298 sections 5.4, 5.5).  The RTO is
    the estimator's, from the round trip of the SYN-ACK (section 2.2, no
    longer the 1 s of 2.1), at least Linux's 200 ms; /proc/net/edu shows
    it, and counts the expiries.  The ACK of the data ends the backoff
    (5.7's spirit, as Linux): new data goes again after the RTO, not 16
    times it."""
    conn, sock = edu_conn(t)
    rto = rto_of(conn)
    diag(f'RTO after the handshake: {rto * 1000:.0f} ms')
    check(0.2 <= rto < 1.0, f'RTO {rto:.3f} s after the handshake, '
          'expected from the SYN-ACK\'s round trip, at least 200 ms')
    data = random.randbytes(500)
    segs = [send_data(conn, sock, data)]
    while len(segs) < 5:
        pkt = conn.recv(4.0)
        check(pkt is not None,
              f'retransmission {len(segs)}: nothing within 4 s')
        diag(f'retransmission {len(segs)} at '
             f'{pkt.time - segs[0].time:.3f} s: {show(pkt)}')
        check(same_data(segs[0])(pkt), f'retransmission {len(segs)}: '
              f'expected the same segment, seen {show(pkt)}')
        check_eq(f'retransmission {len(segs)} ack', pkt[TCP].ack,
                 conn.snd_nxt)
        segs.append(pkt)
    # (Not RtoExpires: other tests' orphans may be retransmitting too.)
    check_eq('expiries in /proc/net/edu',
             edu_tcb(conn.port, conn.sport)['retransmits'], 4)
    gaps = check_backoff('retransmissions', [float(p.time) for p in segs])
    check(max(rto - 0.02, 0.18) <= gaps[0] <= rto + 0.15,
          f'first retransmission after {gaps[0]:.3f} s, expected the RTO, '
          f'{rto:.3f} s')

    conn.rcv_nxt = seq_add(conn.rcv_nxt, len(data))
    conn.send('A')
    data = random.randbytes(100)
    first = send_data(conn, sock, data)
    pkt = conn.recv(4.0)
    check(pkt is not None and same_data(first)(pkt),
          f'expected the new data again, seen {pkt and show(pkt)}')
    gap = float(pkt.time - first.time)
    diag(f'new data again after {gap:.3f} s: {show(pkt)}')
    check(gap <= rto + 0.15, f'new data again after {gap:.3f} s, expected '
          f'the RTO, {rto:.3f} s: the backoff went on after an ACK')
    conn.rcv_nxt = seq_add(conn.rcv_nxt, len(data))
    conn.send('A')
    conn.expect_silence('after the ACK of all data', 0.3,
                        crossing=same_data(first))


def test_fast_retransmit(t):
    """Six segments in flight; we acknowledge the first, then repeat that
    ACK.  Two duplicate ACKs are not enough; the third brings the second
    segment again at once, long before the RTO (1.5 s: our ACK of the
    SYN-ACK came 0.5 s late), counted in FastRetrans (RFC 5681 section
    3.2); a fourth, in recovery, brings nothing.  A partial ACK, of the
    retransmitted segment only, brings the next one at once (NewReno, RFC
    6582 section 3.2 step 5; PartialAcks); the ACK of everything ends the
    recovery."""
    conn, sock = edu_conn(t, ack_after=0.5)
    rto = rto_of(conn)
    diag(f'RTO after a 0.5 s round trip: {rto:.3f} s')
    check(rto >= 1.0, f'RTO {rto:.3f} s after a 0.5 s round trip, '
          'expected about 1.5 s')
    data = random.randbytes(6 * PEER_MSS)
    sock.send(data)
    segs, nxt = [], conn.rcv_nxt
    while len(segs) < 6:
        pkt = conn.recv(1.0)
        check(pkt is not None, f'{len(segs)} of 6 segments came')
        check_eq(f'segment {len(segs)} seq', pkt[TCP].seq, nxt)
        check_eq(f'segment {len(segs)} length', len(tcp_data(pkt)),
                 PEER_MSS)
        segs.append(pkt)
        nxt = seq_add(nxt, PEER_MSS)
    check(b''.join(tcp_data(p) for p in segs) == data,
          'data on the wire differs from what was written')
    ends = [seq_add(conn.rcv_nxt, (i + 1) * PEER_MSS) for i in range(6)]
    fast0, partial0 = edu_snmp('FastRetrans'), edu_snmp('PartialAcks')

    def at_once(what, since, expected):
        pkt = conn.recv(1.0)
        check(pkt is not None, f'no retransmission {what}')
        delay = float(pkt.time) - since
        diag(f'{delay * 1000:.1f} ms {what}: {show(pkt)}')
        check(same_data(expected)(pkt), f'{what}: expected '
              f'{show(expected)} again, seen {show(pkt)}')
        check(delay < 0.1, f'retransmission {delay:.3f} s {what}, '
              f'expected at once (the RTO is {rto:.3f} s)')

    ack = bytes(conn.wire.frame(conn.seg('A', ack=ends[0])))
    for _ in range(3):      # built beforehand: scapy is slow
        conn.wire.send_frame(ack)
    conn.expect_silence('after two duplicate ACKs', 0.15)
    check_eq('FastRetrans after two duplicate ACKs',
             edu_snmp('FastRetrans') - fast0, 0)
    conn.wire.send_frame(ack)
    at_once('after the third duplicate ACK', time.time(), segs[1])
    check_eq('FastRetrans increase', edu_snmp('FastRetrans') - fast0, 1)
    conn.wire.send_frame(ack)
    conn.expect_silence('after a fourth duplicate ACK', 0.1)

    conn.send('A', ack=ends[1])
    at_once('after a partial ACK', conn.sent, segs[2])
    check_eq('PartialAcks increase', edu_snmp('PartialAcks') - partial0, 1)
    conn.send('A', ack=ends[5])
    conn.expect_silence('after the ACK of everything', 0.3)
    check_eq('FastRetrans increase in all', edu_snmp('FastRetrans') - fast0,
             1)
    check_eq('PartialAcks increase in all',
             edu_snmp('PartialAcks') - partial0, 1)
    check_eq('state', edu_state(conn.port, conn.sport), ESTABLISHED)


def test_recovery_undo(t):
    """Eifel (RFC 3522, RFC 4015), with timestamps on: three duplicate
    ACKs bring a fast retransmit and cut the window; then the ACK of
    everything echoes the TSval of the original segment, not the
    retransmission's: the original was only late, so the recovery is
    undone (RecoveryUndo), ssthresh and cwnd back to what they were."""
    lsock = t.edu_socket()
    port = t.next_port()
    lsock.listen(port)
    conn = Conn(t, port=port)
    synack = conn.syn(options=[('MSS', PEER_MSS), ('Timestamp', (100, 0))])
    check(synack is not None, 'no SYN-ACK to our SYN')
    edu_ts = ts_option(synack[TCP])
    check(edu_ts is not None, 'SYN-ACK without timestamps')
    conn.send('A', options=[('Timestamp', (100, edu_ts[0]))])
    sock = t.edu_socket(lsock.accept())
    os.write(sock.fd, random.randbytes(6 * (PEER_MSS - 12)))
    segs = []
    while len(segs) < 6:
        pkt = conn.recv(1.0)
        check(pkt is not None, f'{len(segs)} of 6 segments came')
        if tcp_data(pkt):
            segs.append(pkt)
    ends = [seq_add(p[TCP].seq, len(tcp_data(p))) for p in segs]
    before = edu_tcb(conn.port, conn.sport)
    diag(f'before: cwnd {before["cwnd"]} ssthresh {before["ssthresh"]}')
    undo0 = edu_snmp('RecoveryUndo')
    time.sleep(0.02)        # the retransmission's TSval must be later
    opts = [('Timestamp', (110, ts_option(segs[0][TCP])[0]))]
    for _ in range(4):      # the ACK of the first, then three duplicates
        conn.send('A', ack=ends[0], options=opts)
    pkt = conn.recv(1.0)
    check(pkt is not None and same_data(segs[1])(pkt),
          f'no fast retransmit of the second segment: {pkt and show(pkt)}')
    check(seq_diff(ts_option(pkt[TCP])[0], ts_option(segs[1][TCP])[0]) > 0,
          'the retransmission has the TSval of the original')
    during = edu_tcb(conn.port, conn.sport)
    diag(f'in recovery: cwnd {during["cwnd"]} ssthresh '
         f'{during["ssthresh"]}')
    check(during['ssthresh'] < before['ssthresh'], 'ssthresh not cut')
    # The original second segment got there after all: its TSval echoed.
    conn.send('A', ack=ends[5],
              options=[('Timestamp', (120, ts_option(segs[1][TCP])[0]))])
    check(wait_until(lambda: edu_snmp('RecoveryUndo') == undo0 + 1, 1.0),
          'RecoveryUndo did not count the undone recovery')
    after = edu_tcb(conn.port, conn.sport)
    diag(f'after: cwnd {after["cwnd"]} ssthresh {after["ssthresh"]}')
    check_eq('ssthresh after the undo', after['ssthresh'],
             before['ssthresh'])
    check(after['cwnd'] >= before['cwnd'], f'cwnd {after["cwnd"]} after '
          f'the undo, below the {before["cwnd"]} before the recovery')


# An ACK sent at once, as the segment is processed, against one that waits
# for the delayed-ACK timer (40 ms).
AT_ONCE = 0.03


def test_ofo_hole(t):
    """Three segments, the first missing: the second and third wait in the
    out-of-order queue (OfoQueue), each acknowledged at once with a
    duplicate ACK of RCV.NXT (RFC 5681 section 4.2), the window's right
    edge never moving left; the application gets nothing.  A duplicate of
    the second is dropped (OfoDrop) and acknowledged; data at the window's
    right edge is unacceptable: acknowledged, not queued (RFC 9293
    3.10.7.4).  The first fills the hole: one ACK of all three, at once,
    and the application reads them in order."""
    conn = Conn(t).open()
    base = conn.snd_nxt
    data = random.randbytes(3 * PEER_MSS)
    parts = [(seq_add(base, i), data[i:i + PEER_MSS])
             for i in range(0, len(data), PEER_MSS)]
    queued0, dropped0 = edu_snmp('OfoQueue'), edu_snmp('OfoDrop')
    edge = seq_add(base, conn.edu_wnd)

    def answer(what, seq, payload, ack):
        """Send payload at seq: AF_EDU must answer with a bare ACK of ack,
        at once (timed on the wire, from our segment)."""
        nonlocal edge
        conn.send('PA', seq=seq, data=payload)
        while True:
            ours = conn.wire.recv(1.0, sport=conn.sport, dport=conn.port,
                                  src=PEER_IP)
            check(ours is not None, f'{what}: our segment not seen')
            if (ours[TCP].seq, len(tcp_data(ours))) == (seq, len(payload)):
                break
        pkt = conn.expect_ack(what, ack, timeout=1.0)
        delay = float(pkt.time - ours.time)
        diag(f'{what} after {delay * 1000:.1f} ms')
        check(delay < AT_ONCE, f'{what} after {delay * 1000:.1f} ms, '
              f'expected at once (within {AT_ONCE * 1000:.0f} ms)')
        new_edge = seq_add(ack, pkt[TCP].window)
        check(seq_diff(new_edge, edge) >= 0,
              f'{what}: the window\'s right edge moved left: {show(pkt)}')
        edge = new_edge

    answer('ACK of the second segment', *parts[1], base)
    answer('ACK of the third segment', *parts[2], base)
    check_eq('OfoQueue increase', edu_snmp('OfoQueue') - queued0, 2)
    check_eq('data delivered with a hole', conn.cat.read(timeout=0.1), b'')
    answer('ACK of the second segment again', *parts[1], base)
    check_eq('OfoDrop increase', edu_snmp('OfoDrop') - dropped0, 1)
    answer('ACK of data at the window\'s edge', edge, b'beyond', base)
    check_eq('OfoQueue increase', edu_snmp('OfoQueue') - queued0, 2)
    # The application's reading must not send the ACK as a window update.
    stop(conn.cat)
    try:
        answer('ACK of the first segment', *parts[0],
               seq_add(base, len(data)))
    finally:
        conn.cat.proc.send_signal(signal.SIGCONT)
    conn.snd_nxt = seq_add(base, len(data))
    check(conn.cat.read(len(data), 2.0) == data,
          'data read differs from what was sent')
    check_eq('bytes read in all', len(conn.cat.read(timeout=0.2)), len(data))


def test_zero_window_probe(t):
    """We take 2000 bytes of 5000, acknowledge them and close the window:
    AF_EDU probes it with <SEQ=SND.UNA-1>, no data, one RTO later and then
    at intervals doubling (RFC 9293 3.8.6.1, MUST-36, SHLD-29, SHLD-30).
    We answer each probe, the window still zero, so the connection stays
    (MUST-37): with net.edu.retries2 at 2, four answered probes do not end
    it.
    Opening the window brings the other 3000 bytes at once."""
    with sysctl('net.edu.retries2', 2):
        conn, sock = edu_conn(t, wnd=2000)
        data = random.randbytes(5000)
        sock.send(data)
        got, nxt = bytearray(), conn.rcv_nxt
        while len(got) < 2000:
            pkt = conn.recv(1.0)
            check(pkt is not None, f'{len(got)} of the 2000 bytes the '
                  'window allows came')
            check_eq('data seq', pkt[TCP].seq, nxt)
            got.extend(tcp_data(pkt))
            nxt = seq_add(nxt, len(tcp_data(pkt)))
        check_eq('bytes sent into a window of 2000', len(got), 2000)
        conn.send('A', ack=nxt, window=0)
        times = [conn.sent]
        for i in range(4):
            pkt = conn.recv(3.0)
            check(pkt is not None, f'no window probe {i} within 3 s')
            diag(f'probe {i} at {pkt.time - times[0]:.3f} s: {show(pkt)}')
            tcp = pkt[TCP]
            check_eq(f'probe {i} flags', str(tcp.flags), 'A')
            check_eq(f'probe {i} seq (SND.UNA - 1)', tcp.seq,
                     seq_add(nxt, -1))
            check_eq(f'probe {i} ack', tcp.ack, conn.snd_nxt)
            check_eq(f'probe {i} payload length', len(tcp_data(pkt)), 0)
            times.append(float(pkt.time))
            conn.send('A', ack=nxt, window=0)
        check_backoff('probes', times)
        check_eq('state after four answered probes',
                 edu_state(conn.port, conn.sport), ESTABLISHED)

        conn.send('A', ack=nxt, window=PEER_WND)
        opened = conn.sent
        while len(got) < len(data):
            pkt = conn.recv(1.0)
            check(pkt is not None, f'{len(got)} of {len(data)} bytes came')
            if len(got) == 2000:
                delay = float(pkt.time) - opened
                diag(f'data {delay * 1000:.1f} ms after the window opened')
                check(delay < 0.1, f'data {delay:.3f} s after the window '
                      'opened, expected at once')
            check_eq('data seq', pkt[TCP].seq, nxt)
            got.extend(tcp_data(pkt))
            nxt = seq_add(nxt, len(tcp_data(pkt)))
        check(bytes(got) == data, 'data on the wire differs from what was '
              'written')
        conn.send('A', ack=nxt, window=PEER_WND)
        conn.expect_silence('after the ACK of all data', 0.3)


def test_blackhole_timeout(t):
    """net.edu.retries2 at 3: data never acknowledged goes 3 more times,
    backing off, and the next expiry ends the connection (RFC 9293 3.8.3,
    R2, counted in retransmissions as Linux does), 1 + 2 + 4 + 8 RTOs
    after the data first went: the application gets ETIMEDOUT."""
    with sysctl('net.edu.retries2', 3):
        conn, sock = edu_conn(t)
        rto = rto_of(conn)
        orig = send_data(conn, sock, random.randbytes(500))
        segs, failed = watch(conn, sock, 15 * rto * 2 + 1)
        for pkt in segs:
            diag(f'at {pkt.time - orig.time:.3f} s: {show(pkt)}')
            check(same_data(orig)(pkt), f'expected the data again, seen '
                  f'{show(pkt)}')
        check(failed is not None, f'no error within {15 * rto * 2 + 1:.1f} '
              f's ({len(segs)} retransmissions)')
        elapsed = failed - float(orig.time)
        diag(f'error {elapsed:.3f} s after the data first went (RTO '
             f'{rto:.3f} s)')
        check_eq('retransmissions', len(segs), 3)
        check_backoff('retransmissions', [float(orig.time)] +
                      [float(p.time) for p in segs] + [failed])
        check(15 * rto - 0.1 <= elapsed <= 15 * rto * 1.4 + 0.2,
              f'error {elapsed:.3f} s after the data first went, expected '
              f'{15 * rto:.3f} s (15 RTOs)')
        check_timed_out(conn, sock)


def test_user_timeout(t):
    """TCP_USER_TIMEOUT 1500 ms (RFC 5482; RFC 9293 3.8.3's USER TIMEOUT,
    MUST-21): data never acknowledged ends the connection with ETIMEDOUT
    about 1.5 s after it first went, not after net.edu.retries2 (15)
    retransmissions."""
    retries2 = sysctl_get('net.edu.retries2')
    check(retries2 >= 8, f'net.edu.retries2 is {retries2}: too low to test')
    conn, sock = edu_conn(t)
    sock.setsockopt(SOL_TCP, TCP_USER_TIMEOUT, 1500)
    check_eq('TCP_USER_TIMEOUT', sock.getsockopt(SOL_TCP, TCP_USER_TIMEOUT),
             1500)
    orig = send_data(conn, sock, random.randbytes(500))
    segs, failed = watch(conn, sock, 4.0)
    for pkt in segs:
        diag(f'at {pkt.time - orig.time:.3f} s: {show(pkt)}')
        check(same_data(orig)(pkt), f'expected the data again, seen '
              f'{show(pkt)}')
    check(failed is not None, f'no error within 4 s ({len(segs)} '
          'retransmissions)')
    elapsed = failed - float(orig.time)
    diag(f'error {elapsed:.3f} s after the data first went')
    check(1.3 <= elapsed <= 3.0, f'error {elapsed:.3f} s after the data '
          'first went, expected 1.5 s')
    check(1 <= len(segs) < retries2, f'{len(segs)} retransmissions')
    check_timed_out(conn, sock)


def test_keepalive_dead_peer(t):
    """SO_KEEPALIVE with TCP_KEEPIDLE 1, TCP_KEEPINTVL 1, TCP_KEEPCNT 2: an
    idle connection gets a probe <SEQ=SND.UNA-1>, no data (RFC 9293
    3.8.4, SHLD-12), after 1 s.  We answer it: it does not count, and the
    probes go on every second.  Two unanswered ones (MUST-29: never just
    one) end the connection with ETIMEDOUT a second after the last."""
    conn, sock = edu_conn(t)
    probes0 = edu_snmp('KeepAliveProbes')
    timeouts0 = edu_snmp('KeepAliveTimeouts')
    sock.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1)
    for name, value in ((TCP_KEEPIDLE, 1), (TCP_KEEPINTVL, 1),
                        (TCP_KEEPCNT, 2)):
        sock.setsockopt(SOL_TCP, name, value)
    start = time.time()
    first = conn.recv(3.0)
    check(first is not None, 'no keepalive probe within 3 s')
    conn.send('A')
    segs, failed = watch(conn, sock, 4.0)
    probes = [first] + segs
    for i, pkt in enumerate(probes):
        diag(f'probe {i} at {pkt.time - start:.3f} s: {show(pkt)}')
        tcp = pkt[TCP]
        check_eq(f'probe {i} flags', str(tcp.flags), 'A')
        check_eq(f'probe {i} seq (SND.UNA - 1)', tcp.seq,
                 seq_add(conn.rcv_nxt, -1))
        check_eq(f'probe {i} ack', tcp.ack, conn.snd_nxt)
        check_eq(f'probe {i} payload length', len(tcp_data(pkt)), 0)
    check(failed is not None, f'no error within 4 s of the answered probe '
          f'({len(segs)} more probes)')
    diag(f'error at {failed - start:.3f} s')
    check_eq('probes after the answered one', len(segs), 2)
    times = [start] + [float(p.time) for p in probes] + [failed]
    for i, gap in enumerate(b - a for a, b in zip(times, times[1:])):
        check(0.8 <= gap <= 1.6, f'interval {i} {gap:.3f} s, expected 1 s')
    check_eq('KeepAliveProbes increase',
             edu_snmp('KeepAliveProbes') - probes0, 3)
    check_eq('KeepAliveTimeouts increase',
             edu_snmp('KeepAliveTimeouts') - timeouts0, 1)
    check_timed_out(conn, sock)


def test_keepalive_enabled_last(t):
    """SO_KEEPALIVE turned on last, on an established connection whose
    TCP_KEEPIDLE is already 1: the first probe <SEQ=SND.UNA-1> comes 1 s
    later, as on Linux (tcp_set_keepalive() starts the timer).  The
    socket core calls proto.keepalive before it sets SOCK_KEEPOPEN, so a
    module that waits for the flag never starts the timer."""
    conn, sock = edu_conn(t)
    sock.setsockopt(SOL_TCP, TCP_KEEPIDLE, 1)
    sock.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1)
    start = time.time()
    pkt = conn.recv(3.0)
    check(pkt is not None, 'no keepalive probe within 3 s')
    delay = float(pkt.time) - start
    diag(f'probe after {delay:.3f} s: {show(pkt)}')
    check_eq('probe flags', str(pkt[TCP].flags), 'A')
    check_eq('probe seq (SND.UNA - 1)', pkt[TCP].seq,
             seq_add(conn.rcv_nxt, -1))
    check_eq('probe payload length', len(tcp_data(pkt)), 0)
    check(0.8 <= delay <= 1.6, f'probe after {delay:.3f} s, expected 1 s')


TESTS = [
    test_active_open,
    test_passive_open,
    test_syn_retransmission,
    test_rst_closed_port,
    test_rst_at_rcv_nxt,
    test_rst_in_window,
    test_rst_outside_window,
    test_syn_recv_bad_ack,
    test_listener_closed_in_syn_recv,
    test_bad_checksum,
    test_fin_close,
    test_delayed_ack,
    test_ack_every_second_segment,
    test_simultaneous_open,
    test_simultaneous_close,
    test_passive_close,
    test_close_with_unread_data,
    test_unacceptable_segment,
    test_syn_in_established,
    test_segments_after_reset,
    test_synack_retransmission,
    test_window_scale_active,
    test_window_scale_passive,
    test_window_scale_off,
    test_timestamps_active,
    test_timestamps_passive,
    test_timestamps_recent,
    test_send_window,
    test_window_update,
    test_timewait_fin,
    test_rto_backoff,
    test_rto_after_active_open,
    test_fast_retransmit,
    test_recovery_undo,
    test_ofo_hole,
    test_zero_window_probe,
    test_blackhole_timeout,
    test_user_timeout,
    test_keepalive_dead_peer,
    test_keepalive_enabled_last,
]


# ---------------------------------------------------------- the runner --

# The objects a check must leave none of once cleaned up, and how long they
# get to go: sockets, ports, and the skbs their queues held.  Not TIME-WAIT
# records: they last their 60 s by design (the namespace's end purges them).
LEAK_CHECKED = ('sockets', 'ports', 'skbs')
SETTLE = 5.0


class Tester:
    def __init__(self, wire, tests):
        self.wire = wire
        self.tests = tests
        self.port = 20000 + random.randrange(10000)
        self.cats = []
        self.socks = []

    def next_port(self):
        self.port += 1
        return self.port

    def educat(self, *args):
        cat = Educat(*args)
        self.cats.append(cat)
        return cat

    def edu_socket(self, sock=None):
        """A new AF_EDU socket (or sock, accepted), closed after the test."""
        sock = sock or EduSocket()
        self.socks.append(sock)
        return sock

    def cleanup(self):
        """Close the check's AF_EDU sockets (listeners go with them), then
        end its connections as the peer would."""
        for cat in self.cats:
            cat.kill()
        self.cats = []
        for sock in self.socks:
            sock.close()
        self.socks = []
        self.reset_peer()

    def reset_peer(self):
        """Reset every connection to the scapy peer still in /proc/net/edu,
        as a real peer would: scapy stops answering when a check ends, and
        an orphan retransmitting its FIN to a silent peer lives about 100 s
        (net.edu.orphan_retries), one in FIN-WAIT-2 60 s.  The RST is at the
        connection's RCV.NXT, the only place one resets (RFC 5961 section
        3.2); in SYN-SENT it carries an ACK of the SYN instead (RFC 9293
        3.10.7.3).  TIME-WAIT records are left to their timer."""
        for row in edu_proc():
            raddr, rport = proc_addr(row['rem_address'])
            state = int(row['st'], 16)
            if raddr != PEER_IP or state == TIME_WAIT:
                continue
            lport = proc_addr(row['local_address'])[1]
            if state == SYN_SENT:
                flags, seq, ack = 'RA', 0, int(row['snd_nxt'], 16)
            else:
                flags, seq, ack = 'R', int(row['rcv_nxt'], 16), 0
            diag(f'cleanup: RST <SEQ={seq}>' +
                 (f'<ACK={ack}>' if 'A' in flags else '') +
                 f' to port {lport} in {STATES.get(state, state)}')
            self.wire.send(TCP(sport=rport, dport=lport, flags=flags,
                               seq=seq, ack=ack, window=0))

    @staticmethod
    def leaked(before):
        """Wait up to SETTLE seconds for the LEAK_CHECKED counts to be back
        to what they were before the check (zero, unless an earlier check
        leaked: its failure is not this one's).  Return what stays, with
        /proc/net/edu, or '' if nothing does."""
        start = time.monotonic()
        if wait_until(lambda: all(edu_objects()[n] <= before[n]
                                  for n in LEAK_CHECKED), SETTLE):
            return ''
        counts = edu_objects()
        what = ', '.join(f'{n} {counts[n]} (before the check {before[n]})'
                         for n in LEAK_CHECKED if counts[n] > before[n])
        with open('/proc/net/edu') as f:
            proc = f.read().rstrip('\n')
        return (f'AF_EDU objects leaked, still there after '
                f'{time.monotonic() - start:.1f} s: {what}\n'
                f'/proc/net/edu:\n{proc}')

    def run(self):
        failed = 0
        for num, test in enumerate(self.tests, 1):
            name = test.__name__[len('test_'):]
            before = edu_objects()
            left = ', '.join(f'{n} {before[n]}' for n in LEAK_CHECKED
                             if before[n])
            if left:
                diag(f'{name}: objects of earlier checks still there: '
                     f'{left}')
            start = time.monotonic()
            try:
                test(self)
                ok = True
            except Fail as e:
                diag(f'{name}: {e}')
                ok = False
            except Exception:   # a bug here, or scapy's: still a failure
                diag(traceback.format_exc())
                ok = False
            finally:
                self.cleanup()
            leak = self.leaked(before)
            if leak:
                diag(f'{name}: {leak}')
                ok = False
            diag(f'{name}: {time.monotonic() - start:.1f} s')
            print(f'{"ok" if ok else "not ok"} {num} {name}', flush=True)
            failed += not ok
        diag(f'TIME-WAIT records left: {edu_objects()["timewait"]} (they '
             'last 60 s, or go with the namespace)')
        return failed


def skip(reason):
    print(f'1..0 # SKIP {reason}', flush=True)
    sys.exit(KSFT_SKIP)


def main():
    global Ether, IP, TCP, L2ListenSocket

    print('TAP version 13', flush=True)
    if os.geteuid() != 0:
        skip('must run as root')
    if not os.access(EDUCAT, os.X_OK):
        skip(f'{EDUCAT} is missing: run make -C tools')
    if not os.path.exists('/proc/net/edu'):
        skip('the edu module is not loaded')
    try:
        edu_mac, peer_mac = setup_net()
    except (OSError, subprocess.CalledProcessError) as e:
        skip(f'cannot set up the veth pair: {e}')
    try:
        from scapy.arch.linux import L2ListenSocket
        from scapy.layers.inet import IP, TCP
        from scapy.layers.l2 import Ether
    except ImportError:
        skip('no scapy (Debian: python3-scapy)')

    names = sys.argv[1:]
    tests = [test for test in TESTS
             if not names or test.__name__[5:] in names]
    print(f'1..{len(tests)}', flush=True)
    wire = Wire(edu_mac, peer_mac)
    start = time.monotonic()
    try:
        failed = Tester(wire, tests).run()
    finally:
        wire.close()
    diag(f'{len(tests) - failed} passed, {failed} failed in '
         f'{time.monotonic() - start:.1f} s')
    sys.exit(KSFT_FAIL if failed else KSFT_PASS)


if __name__ == '__main__':
    main()
