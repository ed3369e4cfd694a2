"""Reads requests off one connection with deadlines that trickling cannot renew.

A per-read socket timeout restarts with every byte, so a client sending one byte a minute held a
thread forever (issue 18). Here the head of a request must be complete by a deadline fixed when
its first byte arrives (or when the connection was accepted), and its body by a deadline fixed
when the head was read; only the wait for the first byte of a keep-alive request uses the idle
timeout. Bodies are read no further than the limit.
"""

import socket
import time

from kubeless_event import too_large
from kubeless_http import MAX_CHUNK_EXTENSIONS, MAX_HEAD, HttpError, parse_chunk_size, parse_fields

_RECV = 65536


class ClientGone(Exception):
    """The client closed the connection in the middle of a request."""


def _bare_lf(buf, start):
    """True when a line of buf (from start on) ends in LF without CR: llhttp refuses those."""
    at = buf.find(b'\n', start)
    while at >= 0:
        if at == 0 or buf[at - 1] != 13:
            return True
        at = buf.find(b'\n', at + 1)
    return False


class Reader:
    __slots__ = ('sock', 'buf', '_timeout')

    def __init__(self, sock, timeout):
        self.sock = sock
        self.buf = bytearray()
        self._timeout = timeout
        sock.settimeout(timeout)

    def set_timeout(self, seconds):
        if seconds != self._timeout:
            self.sock.settimeout(seconds)
            self._timeout = seconds

    def _until(self, deadline):
        """The socket timeout for the time left; a timeout error when none is."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout('deadline passed')
        self.set_timeout(left)

    def _recv_by(self, deadline):
        self._until(deadline)
        data = self.sock.recv(_RECV)
        if not data:
            raise ClientGone()
        return data

    def wait_request(self, idle_timeout):
        """False when the connection stays silent for idle_timeout or the client closes it."""
        if self.buf:
            return True
        self.set_timeout(idle_timeout)
        try:
            data = self.sock.recv(_RECV)
        except socket.timeout:
            return False
        self.buf += data
        return bool(data)

    def read_head(self, deadline):
        """The request line and headers (without the blank line that ends them); None when the
        client closes the connection before sending a byte of a request."""
        buf = self.buf
        searched = 0
        while True:
            # RFC 9112 2.2: a server SHOULD ignore empty lines received before a request line.
            while buf[:2] == b'\r\n':
                del buf[:2]
                searched = 0
            end = buf.find(b'\r\n\r\n', searched)
            if end >= 0:
                break
            if _bare_lf(buf, searched):
                raise HttpError(400, 'a header line ends in LF without CR; end lines with CRLF')
            if len(buf) > MAX_HEAD:
                raise HttpError(431, 'request headers exceed %d bytes' % MAX_HEAD)
            searched = max(0, len(buf) - 3)
            if not buf:
                # Nothing of a request yet: a client that closes now just leaves.
                self._until(deadline)
                data = self.sock.recv(_RECV)
                if not data:
                    return None
                buf += data
                continue
            buf += self._recv_by(deadline)
        if end > MAX_HEAD:
            raise HttpError(431, 'request headers exceed %d bytes' % MAX_HEAD)
        head = bytes(buf[:end])
        del buf[:end + 4]
        return head

    def read_exact(self, size, deadline):
        buf = self.buf
        if len(buf) >= size:
            data = bytes(buf[:size])
            del buf[:size]
            return data
        out = bytearray(size)
        have = len(buf)
        out[:have] = buf
        buf.clear()
        view = memoryview(out)
        while have < size:
            self._until(deadline)
            got = self.sock.recv_into(view[have:], size - have)
            if got == 0:
                raise ClientGone()
            have += got
        return bytes(out)

    def _read_line(self, deadline, limit, status, what):
        buf = self.buf
        searched = 0
        while True:
            end = buf.find(b'\r\n', searched)
            if end >= 0:
                break
            if _bare_lf(buf, searched):
                raise HttpError(400, 'a line of the chunked body ends in LF without CR')
            if len(buf) > limit:
                raise HttpError(status, '%s exceeds %d bytes' % (what, limit))
            searched = max(0, len(buf) - 1)
            buf += self._recv_by(deadline)
        if end > limit:
            raise HttpError(status, '%s exceeds %d bytes' % (what, limit))
        line = bytes(buf[:end])
        del buf[:end + 2]
        return line

    def read_chunked(self, limit, deadline):
        """A chunked body, refused (413) as soon as its declared chunk sizes cross the limit."""
        chunks = []
        total = extensions = 0
        while True:
            line = self._read_line(deadline, MAX_CHUNK_EXTENSIONS + 32, 413, 'chunk extensions')
            size, ext = parse_chunk_size(line)
            extensions += ext
            if extensions > MAX_CHUNK_EXTENSIONS:
                raise HttpError(413, 'chunk extensions exceed %d bytes' % MAX_CHUNK_EXTENSIONS)
            if size == 0:
                break
            total += size
            if total > limit:
                raise HttpError(413, too_large(total, limit))
            chunks.append(self.read_exact(size, deadline))
            if self.read_exact(2, deadline) != b'\r\n':
                raise HttpError(400, 'chunk data is not followed by CRLF in a chunked body')
        trailers = 0
        lines = []
        while True:
            line = self._read_line(deadline, MAX_HEAD, 431, 'trailers')
            if not line:
                break
            trailers += len(line) + 2
            if trailers > MAX_HEAD:
                raise HttpError(431, 'trailers exceed %d bytes' % MAX_HEAD)
            lines.append(line)
        if lines:
            parse_fields(b'\r\n'.join(lines) + b'\r\n')  # validated, then dropped
        return b''.join(chunks)

    def drain(self, budget, idle, total):
        """Reads and drops what the client still sends (so closing does not reset the connection
        and lose the answer): up to `budget` bytes, `idle` seconds of silence, `total` seconds."""
        deadline = time.monotonic() + total
        try:
            budget -= len(self.buf)
            self.buf.clear()
            while budget > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self.set_timeout(min(idle, left))
                chunk = self.sock.recv(_RECV)
                if not chunk:
                    return
                budget -= len(chunk)
        except OSError:
            pass
