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

    wire_test.py            run as root, with the edu module loaded

KTAP output; exit status 0 pass, 1 fail, 4 skip.
"""

import ctypes
import json
import os
import random
import select
import signal
import socket
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
ESTABLISHED, SYN_RECV, LISTEN = 0x01, 0x03, 0x0A

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


def mss_option(tcp):
    for kind, value in tcp.options:
        if kind == 'MSS':
            return value
    return None


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


def edu_sockets():
    """/proc/net/edu of the namespace: (local port, remote port, state)."""
    socks = []
    with open('/proc/net/edu') as f:
        next(f)
        for line in f:
            fields = line.split()
            socks.append((int(fields[1].split(':')[1], 16),
                          int(fields[2].split(':')[1], 16),
                          int(fields[3], 16)))
    return socks


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


def edu_snmp(name):
    """A counter of /proc/net/edu_snmp, found by its name."""
    with open('/proc/net/edu_snmp') as f:
        lines = [line.split() for line in f if line.startswith('Edu:')]
    names, values = lines[0][1:], lines[1][1:]
    return int(values[names.index(name)])


# ---------------------------------------------------------- connections --

class Conn:
    """A connection scapy opened to an educat listener (passive open on
    AF_EDU's side).  snd_nxt is the peer's next sequence number, rcv_nxt
    the next one expected from AF_EDU."""

    def __init__(self, tester):
        self.wire = tester.wire
        self.port = port = tester.next_port()
        self.sport = tester.next_port()
        self.cat = tester.educat('-l', EDU_IP, str(port))
        check(wait_until(lambda: (port, 0, LISTEN) in edu_sockets()),
              f'no AF_EDU listener on port {port}')
        self.iss = random.getrandbits(32)
        self.snd_nxt = self.iss
        self.rcv_nxt = None
        self.synack = None

    def seg(self, flags='A', seq=None, ack=None, data=b'', **kw):
        tcp = TCP(sport=self.sport, dport=self.port, flags=flags,
                  seq=self.snd_nxt if seq is None else seq,
                  ack=(self.rcv_nxt or 0) if ack is None else ack,
                  window=PEER_WND, **kw)
        return tcp / data if data else tcp

    def send(self, flags='A', seq=None, ack=None, data=b'', **kw):
        self.wire.send(self.seg(flags, seq, ack, data, **kw))

    def recv(self, timeout=2.0):
        return self.wire.recv(timeout, sport=self.port, dport=self.sport)

    def syn(self):
        """Send the SYN; return AF_EDU's answer (None if none)."""
        self.send('S', ack=0, options=[('MSS', PEER_MSS)])
        self.snd_nxt = seq_add(self.iss, 1)
        self.synack = self.recv()
        if self.synack is not None:
            self.rcv_nxt = seq_add(self.synack[TCP].seq, 1)
        return self.synack

    def open(self):
        """Three-way handshake; check AF_EDU reached ESTABLISHED."""
        synack = self.syn()
        check(synack is not None, 'no SYN-ACK to our SYN')
        check_eq('SYN-ACK flags', str(synack[TCP].flags), 'SA')
        self.send('A')
        check(wait_until(lambda: edu_state(self.port, self.sport) ==
                         ESTABLISHED),
              f'connection not ESTABLISHED: {edu_sockets()}')
        return self

    @property
    def edu_wnd(self):
        return self.synack[TCP].window

    def expect_silence(self, what, timeout=0.5):
        """No segment on the connection for timeout seconds."""
        pkt = self.recv(timeout)
        if pkt is not None:
            raise Fail(f'{what}: expected no segment, seen {show(pkt)}')

    def expect_ack(self, what, ack, timeout=2.0, seq=None):
        """The next segment is a bare ACK <SEQ=seq><ACK=ack>."""
        pkt = self.recv(timeout)
        check(pkt is not None, f'{what}: no segment from AF_EDU')
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


TESTS = [
    test_active_open,
    test_passive_open,
    test_syn_retransmission,
    test_rst_closed_port,
    test_rst_at_rcv_nxt,
    test_rst_in_window,
    test_rst_outside_window,
    test_syn_recv_bad_ack,
    test_bad_checksum,
    test_fin_close,
    test_delayed_ack,
    test_ack_every_second_segment,
]


# ---------------------------------------------------------- the runner --

class Tester:
    def __init__(self, wire):
        self.wire = wire
        self.port = 20000 + random.randrange(10000)
        self.cats = []

    def next_port(self):
        self.port += 1
        return self.port

    def educat(self, *args):
        cat = Educat(*args)
        self.cats.append(cat)
        return cat

    def cleanup(self):
        for cat in self.cats:
            cat.kill()
        self.cats = []

    def run(self):
        failed = 0
        for num, test in enumerate(TESTS, 1):
            name = test.__name__[len('test_'):]
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
            diag(f'{name}: {time.monotonic() - start:.1f} s')
            print(f'{"ok" if ok else "not ok"} {num} {name}', flush=True)
            failed += not ok
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

    print(f'1..{len(TESTS)}', flush=True)
    wire = Wire(edu_mac, peer_mac)
    start = time.monotonic()
    try:
        failed = Tester(wire).run()
    finally:
        wire.close()
    diag(f'{len(TESTS) - failed} passed, {failed} failed in '
         f'{time.monotonic() - start:.1f} s')
    sys.exit(KSFT_FAIL if failed else KSFT_PASS)


if __name__ == '__main__':
    main()
