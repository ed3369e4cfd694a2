"""Kubeless Python runtime: serves one function over HTTP with the standard library only.

A threaded server (a thread per connection, keep-alive) runs the handler on the request thread;
see kubeless_calls.py for how timeouts work without a second thread per call.
"""

import asyncio
import importlib
import json
import os
import signal
import socket
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kubeless_calls import CallMonitor  # noqa: E402
from kubeless_event import (BodyError, Request, Response, body_kind, build_event, error_reply,  # noqa: E402
                            parse_data, render, to_reply, too_large, valid_status)
from kubeless_metrics import CONTENT_TYPE, Metrics  # noqa: E402

EXIT_LOAD_FAILURE = 3
EXIT_BAD_POOL_CONFIG = 2
LOG_BASE = {}


def log(level, msg, **extra):
    line = {'level': level, 'time': datetime.now(timezone.utc).isoformat(timespec='milliseconds'),
            **LOG_BASE, 'msg': msg, **extra}
    sys.stderr.write(json.dumps(line, default=str) + '\n')
    sys.stderr.flush()


class ConfigError(Exception):
    pass


def _number(env, name, default):
    raw = env.get(name, '')
    if raw == '':
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise ConfigError('%s=%r is not a valid number; set it to a positive number' % (name, raw))
    return value


def read_config(env):
    mod_name = env.get('MOD_NAME', '')
    handler = env.get('FUNC_HANDLER', '')
    if not mod_name and '.' in handler:
        mod_name, _, handler = handler.rpartition('.')
    if not mod_name or not handler:
        raise ConfigError('MOD_NAME and FUNC_HANDLER must be set (e.g. MOD_NAME=hello FUNC_HANDLER=handler)')
    timeout = _number(env, 'FUNC_TIMEOUT', 180) or 180
    return {
        'volume': env.get('KUBELESS_INSTALL_VOLUME', '/kubeless'),
        'mod_name': mod_name,
        'handler': handler,
        'port': int(_number(env, 'FUNC_PORT', 8080)),
        'host': env.get('KUBELESS_LISTEN_HOST', ''),
        'timeout': timeout,
        'body_limit': int(_number(env, 'KUBELESS_BODY_LIMIT', 1024 * 1024)),
        'max_abandoned': max(1, int(_number(env, 'KUBELESS_MAX_ABANDONED', 4))),
        'context': {
            'function-name': env.get('FUNC_NAME') or mod_name,
            'timeout': env.get('FUNC_TIMEOUT', '180'),
            'runtime': env.get('FUNC_RUNTIME', 'python%d.%d' % sys.version_info[:2]),
            'memory-limit': env.get('FUNC_MEMORY_LIMIT', '0'),
        },
        'namespace': env.get('POD_NAMESPACE') or env.get('FUNC_NAMESPACE') or 'default',
    }


def load_handler(cfg):
    volume = os.path.abspath(cfg['volume'])
    # Function code first, then its installed packages (install.py puts them there).
    sys.path[1:1] = [volume, os.path.join(volume, '.python_packages')]
    try:
        module = importlib.import_module(cfg['mod_name'])
    except Exception as err:  # noqa: BLE001 -- any import failure is the function's
        raise ConfigError('loading module %r from %s failed: %s: %s'
                          % (cfg['mod_name'], volume, type(err).__name__, err)) from None
    func = getattr(module, cfg['handler'], None)
    if not callable(func):
        raise ConfigError('handler %r is not a function in module %r; define def %s(event, context)'
                          % (cfg['handler'], cfg['mod_name'], cfg['handler']))
    return func


class AsyncRunner:
    """One event loop thread for coroutine handlers, started the first time one is seen."""

    def __init__(self):
        self._loop = None
        self._lock = threading.Lock()

    def run(self, coro):
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                threading.Thread(target=self._loop.run_forever, name='kubeless-async', daemon=True).start()
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()


def make_handler_class(cfg, func, metrics, monitor, state):
    limit = cfg['body_limit']
    context = cfg['context']
    runner = AsyncRunner()

    class FunctionHandler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'
        server_version = 'kubeless'
        # Socket timeout for reading a request (and idle keep-alive): a silent client must not
        # hold a thread forever. 65 s outlives common proxies' 60 s idle timeout.
        timeout = 65

        def log_message(self, format, *args):  # noqa: A002 -- access logs would drown the function's own
            pass

        def send(self, status, headers, body):
            close = state['draining'] or self.close_connection
            try:
                payload = render(status, headers, body, close)
            except ValueError as err:
                status, headers, body = error_reply(500, 'the function set an invalid response header: %s' % err)
                payload = render(status, headers, body, close)
            if self.command == 'HEAD':
                # Same headers (Content-Length included) as GET, but no body.
                payload = payload[:len(payload) - len(body)]
            self.wfile.write(payload)
            if close:
                self.close_connection = True

        def read_body(self):
            length = self.headers.get('content-length')
            if length is not None:
                try:
                    size = int(length)
                except ValueError:
                    raise BodyError(400, 'Content-Length %r is not a number' % length) from None
                if size > limit:
                    raise BodyError(413, too_large(size, limit))
                return self.rfile.read(size) if size else b''
            if 'chunked' in self.headers.get('transfer-encoding', '').lower():
                return self.read_chunked()
            return b''

        def read_chunked(self):
            chunks, total = [], 0
            while True:
                line = self.rfile.readline(1024)
                try:
                    size = int(line.split(b';', 1)[0].strip(), 16)
                except ValueError:
                    raise BodyError(400, 'malformed chunked body') from None
                if size == 0:
                    while self.rfile.readline(1024) not in (b'\r\n', b'\n', b''):
                        pass
                    return b''.join(chunks)
                total += size
                if total > limit:
                    raise BodyError(413, too_large(total, limit))
                chunks.append(self.rfile.read(size))
                self.rfile.readline(8)

        def handle_expect_100(self):
            # Refuse an oversized body before the client sends it.
            length = self.headers.get('content-length', '')
            if length.isdigit() and int(length) > limit:
                self.close_connection = True
                self.send(*error_reply(413, too_large(int(length), limit)))
                return False
            return super().handle_expect_100()

        def discard_input(self):
            # Closing with unread input makes the kernel reset the connection, and the client
            # loses the 413 it has not read yet; so read (and drop) what is still coming, bounded.
            try:
                self.connection.shutdown(socket.SHUT_WR)
                self.connection.settimeout(1.0)
                budget = 64 * 1024 * 1024
                while budget > 0:
                    chunk = self.rfile.read1(65536)
                    if not chunk:
                        break
                    budget -= len(chunk)
            except OSError:
                pass

        def serve_builtin(self):
            if self.path == '/healthz':
                self.send(200, {'content-type': 'text/plain; charset=utf-8'}, b'OK')
            else:
                self.send(200, {'content-type': CONTENT_TYPE}, metrics.render())

        def handle_call(self):
            if self.command == 'GET' and self.path in ('/healthz', '/metrics'):
                return self.serve_builtin()
            started = time.perf_counter()
            method = self.command
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                raw = self.read_body()
                kind = body_kind(headers.get('content-type'))
                data = parse_data(raw, kind)
            except BodyError as err:
                if err.status == 413:
                    self.close_connection = True
                reply = error_reply(err.status, str(err))
                self.send(*reply)
                if err.status == 413:
                    self.discard_input()
                metrics.record(method, time.perf_counter() - started, False)
                return
            request = Request(method, self.path, headers, raw, data, kind)
            response = Response()
            event = build_event(data, request, response)
            call = monitor.enter(self.connection)
            try:
                result = func(event, context)
                if asyncio.iscoroutine(result):
                    result = runner.run(result)
                status = response.status if valid_status(response.status) else None
                if status is None:
                    raise ValueError('response status %r is not an integer from 100 to 599' % (response.status,))
                reply = to_reply(result, status, response.headers)
            except Exception as err:  # noqa: BLE001 -- the contract: any exception is a 500
                if monitor.leave(call):
                    log('error', 'function threw an exception', method=method, path=self.path,
                        error='%s: %s' % (type(err).__name__, err))
                    self.send(*error_reply(500, "the function threw an exception; see the function's logs"))
                    metrics.record(method, time.perf_counter() - started, True)
                else:
                    self.close_connection = True
                return
            if not monitor.leave(call):
                # The monitor answered 408 and closed the socket while the handler ran.
                self.close_connection = True
                metrics.record(method, time.perf_counter() - started, True)
                return
            self.send(*reply)
            metrics.record(method, time.perf_counter() - started, reply[0] >= 500)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = handle_call

    return FunctionHandler


class FunctionServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def open_server(cfg, handler_class):
    inherited = os.environ.pop('KUBELESS_LISTEN_FD', None)
    server = FunctionServer((cfg['host'], cfg['port']), handler_class, bind_and_activate=False)
    if inherited is not None:
        # A restart by exec keeps the listening socket, so no connection is refused meanwhile.
        server.socket.close()
        server.socket = socket.socket(fileno=int(inherited))
    else:
        server.server_bind()
        server.server_activate()
    return server


def main():
    if os.environ.get('KUBELESS_WAIT_FOR_CONFIG') == 'stdin':
        line = sys.stdin.readline()
        try:
            env = json.loads(line)['env']
            if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
                raise ValueError('"env" must map names to strings')
        except (ValueError, KeyError, TypeError) as err:
            log('error', 'bad pool config on stdin (%s); send one line {"env": {...}}' % err)
            sys.exit(EXIT_BAD_POOL_CONFIG)
        os.environ.update(env)
        del os.environ['KUBELESS_WAIT_FOR_CONFIG']
    try:
        cfg = read_config(os.environ)
        func = load_handler(cfg)
    except ConfigError as err:
        sys.stderr.write(json.dumps({'level': 'error', 'msg': 'function failed to load', 'error': str(err)}) + '\n')
        sys.stderr.flush()
        os._exit(EXIT_LOAD_FAILURE)
    LOG_BASE.update(namespace=cfg['namespace'], name=cfg['context']['function-name'])

    state = {'draining': False}
    metrics = Metrics()
    timeout_body = json.dumps({'error': 'the function did not answer within its timeout of %gs; raise the '
                                        "Function's timeout or make the handler faster" % cfg['timeout']})
    timeout_response = render(408, {'content-type': 'application/json; charset=utf-8'},
                              timeout_body.encode(), True)
    server_box = {}

    def restart(abandoned):
        log('error', 'too many handler threads are stuck past the timeout; restarting the runtime',
            abandoned=abandoned, limit=cfg['max_abandoned'])
        if state['draining']:
            return
        # Set here, not in the draining thread: answers sent from now on close their connection.
        state['draining'] = True
        threading.Thread(target=drain_then, args=(exec_self, True), daemon=True).start()

    monitor = CallMonitor(cfg['timeout'], timeout_response, cfg['max_abandoned'], restart, log)
    server = open_server(cfg, make_handler_class(cfg, func, metrics, monitor, state))
    server_box['server'] = server

    def drain_then(after, started=False):
        if state['draining'] and not started:
            return
        state['draining'] = True
        server.shutdown()
        deadline = time.monotonic() + cfg['timeout'] + 1
        while monitor.active > 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        after()

    def exec_self():
        fd = server.socket.fileno()
        os.set_inheritable(fd, True)
        os.environ['KUBELESS_LISTEN_FD'] = str(fd)
        sys.stderr.flush()
        os.execv(sys.executable, [sys.executable, os.path.abspath(__file__)])

    def on_term(signum, frame):
        log('info', 'draining: no new connections, waiting for calls in flight')
        threading.Thread(target=drain_then, args=(lambda: (log('info', 'drained; exiting'), os._exit(0)),),
                         daemon=True).start()

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    monitor.run()
    log('info', 'function listening', port=server.server_address[1],
        handler='%s.%s' % (cfg['mod_name'], cfg['handler']))
    server.serve_forever(poll_interval=0.5)
    # serve_forever returns after shutdown(); the drain thread decides how the process ends.
    while True:
        time.sleep(1)


if __name__ == '__main__':
    main()
