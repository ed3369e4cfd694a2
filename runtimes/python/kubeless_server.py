"""Accepts connections, a thread each, up to a cap; past it a fast 503.

Why a 503 and not a queue: the kernel's listen backlog already queues connections the accept loop
has not reached; past the cap a queue would only hide overload as latency (and let connections
that trickle their headers delay every honest caller until the header deadline cuts them),
while a 503 with Retry-After is an immediate, retryable answer that the invoke proxy, triggers
and clients report clearly. Before refusing, a connection idle between keep-alive requests is
closed to make room, so pooled clients cannot exhaust the cap by merely holding connections;
failing that, the connection that has been sending its request the longest (past a second:
honest clients send a head in milliseconds), so clients that trickle bytes cannot hold every
slot until their deadline while honest calls get 503s.
"""

import json
import selectors
import socket
import threading
import time

from kubeless_event import RUNTIME_ERROR_HEADER, render

_REJECT_DRAIN_SECONDS = 1.0
_REJECT_DRAIN_BYTES = 64 * 1024
_MAX_REJECTED = 1024
# A connection still sending its request after this long may be closed to make room at the cap.
_SLOW_REQUEST_SECONDS = 1.0


class Slot:
    """One accepted connection: `idle` while it waits for the next keep-alive request,
    `reading_since` (monotonic seconds, 0 when not) while it sends one."""
    __slots__ = ('sock', 'idle', 'reading_since', 'evicted')

    def __init__(self, sock, now):
        self.sock = sock
        self.idle = False
        self.reading_since = now
        self.evicted = False


class Closer:
    """One thread that reads and drops what refused clients still send, then closes them:
    closing a socket with unread input resets it, and the client would lose the 503."""

    def __init__(self):
        self._selector = selectors.DefaultSelector()
        self._pending = []
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._selector.register(self._wake_r, selectors.EVENT_READ)
        threading.Thread(target=self._run, name='kubeless-closer', daemon=True).start()

    def close_later(self, sock):
        with self._lock:
            if len(self._pending) + len(self._selector.get_map()) > _MAX_REJECTED:
                sock.close()
                return
            self._pending.append(sock)
        try:
            self._wake_w.send(b'\0')
        except OSError:
            pass

    def _run(self):
        deadlines = {}
        while True:
            with self._lock:
                pending, self._pending = self._pending, []
            now = time.monotonic()
            for sock in pending:
                sock.setblocking(False)
                self._selector.register(sock, selectors.EVENT_READ, [_REJECT_DRAIN_BYTES])
                deadlines[sock] = now + _REJECT_DRAIN_SECONDS
            for key, _ in self._selector.select(timeout=0.2 if deadlines else None):
                if key.fileobj is self._wake_r:
                    try:
                        self._wake_r.recv(4096)
                    except OSError:
                        pass
                    continue
                try:
                    chunk = key.fileobj.recv(65536)
                except OSError:
                    chunk = b''
                key.data[0] -= len(chunk)
                if not chunk or key.data[0] <= 0:
                    deadlines[key.fileobj] = 0
            now = time.monotonic()
            for sock in [s for s, d in deadlines.items() if d <= now]:
                del deadlines[sock]
                self._selector.unregister(sock)
                sock.close()


class Listener:
    def __init__(self, sock, serve, max_connections, log):
        self.sock = sock
        self._serve = serve
        self._max = max_connections
        self._log = log
        self._slots = set()
        self._evicting = 0
        self._lock = threading.Lock()
        self._stopping = False
        self._accepting = threading.Lock()
        self._stopped = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self._closer = Closer()
        body = json.dumps({'error': 'the function is serving its limit of %d connections '
                                    '(KUBELESS_MAX_CONNECTIONS); retry shortly, or raise the limit'
                                    % max_connections}).encode()
        self._busy = render(503, {'content-type': 'application/json; charset=utf-8', 'retry-after': '1',
                                  RUNTIME_ERROR_HEADER: 'true'},
                            body, True)

    @property
    def active(self):
        return len(self._slots)

    def serve_forever(self):
        self.sock.setblocking(False)
        selector = selectors.DefaultSelector()
        selector.register(self.sock, selectors.EVENT_READ)
        selector.register(self._wake_r, selectors.EVENT_READ)
        try:
            while not self._stopping:
                selector.select()
                while True:
                    # Under the lock: once stop_accepting() returned, nothing more is accepted.
                    with self._accepting:
                        if self._stopping:
                            break
                        try:
                            conn, _ = self.sock.accept()
                        except (BlockingIOError, InterruptedError):
                            break
                        except OSError as err:
                            # EMFILE and friends: wait a little rather than spin.
                            self._log('warning', 'accepting a connection failed', error=str(err))
                            time.sleep(0.1)
                            break
                        self._admit(conn)
        finally:
            selector.close()
            self._stopped.set()

    def _admit(self, conn):
        conn.setblocking(True)
        with self._lock:
            if len(self._slots) - self._evicting >= self._max and not self._evict_one():
                slot = None
            else:
                slot = Slot(conn, time.monotonic())
                self._slots.add(slot)
        if slot is None:
            try:
                conn.send(self._busy, socket.MSG_DONTWAIT)
                conn.shutdown(socket.SHUT_WR)
            except OSError:
                conn.close()
                return
            self._closer.close_later(conn)
            return
        try:
            threading.Thread(target=self._run, args=(slot,), daemon=True).start()
        except RuntimeError:
            # "can't start new thread": the process is at its thread limit.
            with self._lock:
                self._slots.discard(slot)
            conn.close()

    def _evict_one(self):
        """Closes an idle keep-alive connection, else the slowest sender; False if none."""
        victim = None
        oldest = time.monotonic() - _SLOW_REQUEST_SECONDS
        for slot in self._slots:
            if slot.evicted:
                continue
            if slot.idle:
                victim = slot
                break
            if 0 < slot.reading_since < oldest:
                victim, oldest = slot, slot.reading_since
        if victim is None:
            return False
        self._evict(victim)
        return True

    def _evict(self, slot):
        """Under the lock: the slot's thread sees its connection end and gives the slot back."""
        slot.evicted = True
        self._evicting += 1
        try:
            slot.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _run(self, slot):
        try:
            self._serve(slot, self)
        finally:
            with self._lock:
                self._slots.discard(slot)
                if slot.evicted:
                    self._evicting -= 1
            try:
                slot.sock.close()
            except OSError:
                pass

    def begin_request(self, slot):
        """Called when the first byte of a keep-alive request arrived; False if it was evicted."""
        with self._lock:
            slot.idle = False
            slot.reading_since = time.monotonic()
            return not slot.evicted

    def stop_accepting(self):
        """Accepts nothing more once it returns; the socket stays open, so a restart by exec
        keeps it and connections wait in its backlog instead of being refused."""
        with self._accepting:
            self._stopping = True
        self._wake_w.send(b'\0')

    def close_idle(self):
        """Closes the connections that wait idle between requests (a request that arrives on one
        meanwhile is still served: begin_request and this take the same lock)."""
        with self._lock:
            for slot in self._slots:
                if slot.idle and not slot.evicted:
                    self._evict(slot)

    def shutdown(self):
        """Stops accepting and closes the connections that wait idle between requests."""
        self.stop_accepting()
        self._stopped.wait()
        self.close_idle()
