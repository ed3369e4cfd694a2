"""Timeouts without a thread hop per call: the request thread runs the handler itself; a
monitor thread answers 408 on the socket of a call past its timeout and abandons that thread
(Python cannot stop a thread). Too many abandoned threads and the runtime restarts itself."""

import os
import socket
import threading
import time

RUNNING, DONE, TIMED_OUT = 0, 1, 2


class Call:
    __slots__ = ('start', 'state', 'conn', 'lock')

    def __init__(self, conn):
        self.start = time.monotonic()
        self.state = RUNNING
        self.conn = conn
        self.lock = threading.Lock()

    def finish(self):
        """True when the caller may still answer; False when the monitor answered 408 already."""
        with self.lock:
            if self.state == RUNNING:
                self.state = DONE
                return True
            return False


class CallMonitor:
    def __init__(self, timeout, timeout_response, max_abandoned, on_too_many, log):
        self.timeout = timeout
        self.timeout_response = timeout_response
        self.max_abandoned = max_abandoned
        self.on_too_many = on_too_many
        self.log = log
        self.calls = set()
        self.abandoned = 0
        self.active = 0
        self._lock = threading.Lock()
        self._tripped = False

    def enter(self, conn):
        call = Call(conn)
        with self._lock:
            self.calls.add(call)
            self.active += 1
        return call

    def leave(self, call):
        """Returns True when the response is still the caller's to send."""
        mine = call.finish()
        with self._lock:
            self.calls.discard(call)
            if mine:
                self.active -= 1
            else:
                # A timed-out handler came back after all: its thread is no longer lost.
                self.abandoned -= 1
        return mine

    def check(self, now):
        expired = []
        with self._lock:
            for call in self.calls:
                if call.state == RUNNING and now - call.start > self.timeout:
                    expired.append(call)
        then = None
        for call in expired:
            with call.lock:
                if call.state != RUNNING:
                    continue
                call.state = TIMED_OUT
            with self._lock:
                self.active -= 1
                self.abandoned += 1
            # Trip before the 408 goes out: the caller's next request must already find a runtime
            # that accepts nothing more (it waits in the backlog for the restarted process), not
            # a keep-alive answer from a process about to exec.
            then = self._trip_if_too_many() or then
            try:
                # A write that never waits: the monitor must not hang on a client that reads nothing
                # (the socket is non-blocking, as it has a timeout; the answer fits its buffer).
                os.write(call.conn.fileno(), self.timeout_response)
                call.conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.log('warning', 'function call timed out; its thread is abandoned',
                     timeoutSeconds=self.timeout, abandoned=self.abandoned)
        if then is not None:
            # Only now, with the 408s written: the restart must not cut them off.
            then()

    def _trip_if_too_many(self):
        """on_too_many's answer (what to run once the 408s are out) when this call trips it."""
        if self.abandoned >= self.max_abandoned and not self._tripped:
            self._tripped = True
            return self.on_too_many(self.abandoned)
        return None

    def run(self, interval=0.1):
        def loop():
            while True:
                time.sleep(interval)
                self.check(time.monotonic())
        threading.Thread(target=loop, name='kubeless-call-monitor', daemon=True).start()
