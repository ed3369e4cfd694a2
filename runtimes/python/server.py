"""Kubeless Python runtime: serves one function over HTTP with the standard library only.

A thread per connection (up to KUBELESS_MAX_CONNECTIONS, keep-alive) reads requests strictly
(kubeless_http.py, kubeless_conn.py) and runs the handler itself; see kubeless_calls.py for how
timeouts work without a second thread per call.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kubeless_syspath import drop_pythonpath  # noqa: E402

drop_pythonpath()

import importlib  # noqa: E402
import json  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timezone  # noqa: E402

from kubeless_calls import CallMonitor  # noqa: E402
from kubeless_event import RUNTIME_ERROR_HEADER, render  # noqa: E402
from kubeless_handle import make_serve  # noqa: E402
from kubeless_invoke import make_invoke  # noqa: E402
from kubeless_metrics import Metrics  # noqa: E402
from kubeless_server import Listener  # noqa: E402

EXIT_LOAD_FAILURE = 3
EXIT_BAD_POOL_CONFIG = 2
LOG_BASE = {}
_LEVELS = {'debug': 10, 'info': 20, 'warning': 30, 'warn': 30, 'error': 40}
# Debug lines (a client that reset its connection, say) only when asked for.
_LOG_THRESHOLD = [20]


def log(level, msg, **extra):
    if _LEVELS.get(level, 40) < _LOG_THRESHOLD[0]:
        return
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
        'max_connections': max(1, int(_number(env, 'KUBELESS_MAX_CONNECTIONS', 256))),
        # As the Node.js runtime: headers within 30 s, idle keep-alive connections closed at 65 s
        # (longer than common proxies' 60 s, so the proxy closes first).
        'headers_timeout': _number(env, 'KUBELESS_HEADERS_TIMEOUT', 30) or 30,
        'keepalive_timeout': _number(env, 'KUBELESS_KEEPALIVE_TIMEOUT', 65) or 65,
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


def open_listener(cfg):
    inherited = os.environ.pop('KUBELESS_LISTEN_FD', None)
    if inherited is not None:
        # A restart by exec keeps the listening socket, so no connection is refused meanwhile.
        return socket.socket(fileno=int(inherited))
    sock = socket.create_server((cfg['host'], cfg['port']), family=_family(cfg['host']), backlog=128,
                                reuse_port=False)
    return sock


def _family(host):
    return socket.AF_INET6 if ':' in host else socket.AF_INET


def main():
    # A function's print() must reach its logs as it happens: stdout is a pipe where the local
    # platform runs functions (block-buffered by default), and PYTHONUNBUFFERED is set only in
    # the image.
    if sys.stdout is not None:
        sys.stdout.reconfigure(line_buffering=True)
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
    _LOG_THRESHOLD[0] = _LEVELS.get(os.environ.get('KUBELESS_LOG_LEVEL', 'info').lower(), 20)

    state = {'draining': False}
    metrics = Metrics()
    timeout_body = json.dumps({'error': 'the function did not answer within its timeout of %gs; raise the '
                                        "Function's timeout or make the handler faster" % cfg['timeout']})
    timeout_response = render(408, {'content-type': 'application/json; charset=utf-8',
                                    RUNTIME_ERROR_HEADER: 'true'},
                              timeout_body.encode(), True)

    def restart(abandoned):
        log('error', 'too many handler threads are stuck past the timeout; restarting the runtime',
            abandoned=abandoned, limit=cfg['max_abandoned'])
        if state['draining']:
            return None
        # Here, before the 408 goes out, not in the draining thread: the caller's next connection
        # must wait for the restarted process, and answers sent from now on close their connection.
        state['draining'] = True
        server.stop_accepting()
        # Before the 408 too: a client must see its pooled connections closed before it reads the
        # 408, or it sends its next request on one that the exec is about to cut.
        server.close_idle()
        return lambda: threading.Thread(target=drain_then, args=(exec_self, True), daemon=True).start()

    monitor = CallMonitor(cfg['timeout'], timeout_response, cfg['max_abandoned'], restart, log)
    invoke = make_invoke(func, cfg['context'], metrics, monitor, log)
    sock = open_listener(cfg)
    server = Listener(sock, make_serve(cfg, invoke, metrics, state, log), cfg['max_connections'], log)

    def drain_then(after, started=False):
        if state['draining'] and not started:
            return
        state['draining'] = True
        server.shutdown()
        deadline = time.monotonic() + cfg['timeout'] + 1
        # Calls in flight, and connections still reading a request; abandoned threads keep theirs.
        while (monitor.active > 0 or server.active > monitor.abandoned) and time.monotonic() < deadline:
            time.sleep(0.02)
        after()

    def exec_self():
        fd = sock.fileno()
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
    log('info', 'function listening', port=sock.getsockname()[1],
        handler='%s.%s' % (cfg['mod_name'], cfg['handler']))
    server.serve_forever()
    # serve_forever returns after shutdown(); the drain thread decides how the process ends.
    while True:
        time.sleep(1)


if __name__ == '__main__':
    main()
