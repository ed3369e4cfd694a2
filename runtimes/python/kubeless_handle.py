"""One connection's request loop: read a request strictly, answer it, keep the connection alive.

Clients that reset or drop a connection are routine (proxies recycle keep-alive connections):
they are logged as one debug line, never as a traceback (issue 16).
"""

import socket
import time
import traceback

from kubeless_conn import ClientGone, Reader
from kubeless_event import error_reply, render, too_large
from kubeless_http import HttpError, parse_head
from kubeless_metrics import CONTENT_TYPE

_CONTINUE = b'HTTP/1.1 100 Continue\r\n\r\n'
_OK = b'OK'
# The rest of a refused oversized body is read and dropped up to this much (see ADR 0003).
_DISCARD_BYTES = 64 * 1024 * 1024


def make_serve(cfg, invoke, metrics, state, log):
    limit = cfg['body_limit']
    headers_timeout = cfg['headers_timeout']
    idle_timeout = cfg['keepalive_timeout']
    body_timeout = cfg['timeout'] + headers_timeout

    def send(reader, status, headers, body, close, head_only=False):
        payload = render(status, headers, body, close)
        if head_only:
            # Same headers (Content-Length included) as GET, but no body.
            payload = payload[:len(payload) - len(body)]
        reader.sock.sendall(payload)

    def refuse(reader, err):
        """Answers a request the runtime cannot read on; the connection closes after it."""
        send(reader, *error_reply(err.status, str(err)), True)
        try:
            reader.sock.shutdown(socket.SHUT_WR)
        except OSError:
            return
        if err.status == 413:
            reader.drain(_DISCARD_BYTES, 1.0, body_timeout)
        else:
            reader.drain(1024 * 1024, 1.0, 2.0)

    def read_body(reader, head, started):
        if head.expect_continue:
            if head.length is not None and head.length > limit:
                raise HttpError(413, too_large(head.length, limit))
            reader.sock.sendall(_CONTINUE)
        if head.length is not None:
            if head.length > limit:
                raise HttpError(413, too_large(head.length, limit))
            return reader.read_exact(head.length, started + body_timeout) if head.length else b''
        if head.chunked:
            return reader.read_chunked(limit, started + body_timeout)
        return b''

    def one_request(reader, slot, deadline, started):
        """Reads and answers one request; False when the connection must close."""
        sock = slot.sock
        block = reader.read_head(deadline)
        if block is None:
            return False
        head = parse_head(block)
        raw = read_body(reader, head, started)
        slot.reading_since = 0
        # From here on the socket timeout bounds each write to the client.
        reader.set_timeout(idle_timeout)
        method = head.method
        target = head.target
        if method == 'GET' and (target == '/healthz' or target == '/metrics'):
            close = state['draining'] or not head.keep_alive
            if target == '/healthz':
                send(reader, 200, {'content-type': 'text/plain; charset=utf-8'}, _OK, close)
            else:
                send(reader, 200, {'content-type': CONTENT_TYPE}, metrics.render(), close)
            return not close
        reply = invoke(method, target, head.headers, raw, sock)
        if reply is None:
            # The call timed out: the monitor answered 408 and shut the socket down.
            return False
        close = state['draining'] or not head.keep_alive
        try:
            send(reader, *reply, close, method == 'HEAD')
        except ValueError as err:
            send(reader, *error_reply(500, 'the function set an invalid response header: %s' % err), close)
        return not close

    def serve(slot, listener):
        sock = slot.sock
        reader = Reader(sock, headers_timeout)
        started = time.monotonic()
        # The first request's head is due headers_timeout after the connection was accepted.
        deadline = started + headers_timeout
        try:
            while one_request(reader, slot, deadline, started):
                slot.idle = True
                if not reader.wait_request(idle_timeout) or not listener.begin_request(slot):
                    return
                started = slot.reading_since
                deadline = started + headers_timeout
        except HttpError as err:
            try:
                refuse(reader, err)
            except OSError as gone:
                log('debug', 'client closed the connection before its error answer', status=err.status,
                    error=type(gone).__name__)
        except socket.timeout:
            # Sent without waiting: the timeout may have struck a write to a client that reads nothing.
            status, headers, body = error_reply(408, 'the request was not received in time (headers within '
                                                     '%gs, the body within %gs)' % (headers_timeout, body_timeout))
            try:
                sock.settimeout(0)
                sock.send(render(status, headers, body, True))
            except OSError:
                pass
        except ClientGone:
            # Half-closed mid-request: it may still read an answer, as Node.js gives one.
            log('debug', 'client closed the connection mid-request')
            try:
                sock.settimeout(0)
                sock.send(render(*error_reply(400, 'the request ended before it was complete'), True))
            except OSError:
                pass
        except ConnectionError as err:
            log('debug', 'client reset the connection', error=type(err).__name__)
        except OSError as err:
            log('debug', 'connection error', error='%s: %s' % (type(err).__name__, err))
        except Exception as err:  # noqa: BLE001 -- one JSON line, never a traceback on stderr
            log('error', 'unexpected error while serving a connection',
                error='%s: %s' % (type(err).__name__, err), stack=traceback.format_exc())

    return serve
