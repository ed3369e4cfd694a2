"""Calls the function for one request and turns what it did into an answer."""

import asyncio
import inspect
import threading
import time

from kubeless_event import BodyError, Response, body_kind, build_event, error_reply, parse_data, to_reply, \
    valid_status
from kubeless_request import Request

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def accepted_arguments(func):
    """How many of (event, context) a handler takes: the design document Kubeless started from
    shows `def foo(): return "hello world"`, its runtimes passed (event, context)."""
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return 2  # a callable inspect cannot read (some builtins): the contract's two arguments
    count = 0
    for param in params:
        if param.kind == inspect.Parameter.VAR_POSITIONAL:
            return 2
        if param.kind in _POSITIONAL:
            count += 1
    return min(count, 2)


def bind_handler(func):
    """Decided once at load time: a callable that always takes (event, context)."""
    arguments = accepted_arguments(func)
    if arguments == 0:
        return lambda event, context: func()
    if arguments == 1:
        return lambda event, context: func(event)
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


def make_invoke(func, context, metrics, monitor, log):
    handler = bind_handler(func)
    runner = AsyncRunner()
    iscoroutine = asyncio.iscoroutine
    perf_counter = time.perf_counter

    def invoke(method, target, headers, raw, sock):
        """(status, headers, body), or None when the monitor already answered 408."""
        started = perf_counter()
        kind = body_kind(headers.get('content-type'))
        try:
            data = parse_data(raw, kind)
        except BodyError as err:
            metrics.record(method, perf_counter() - started, False)
            return error_reply(err.status, str(err))
        response = Response()
        event = build_event(data, headers, Request(method, target, headers, raw, data, kind, sock), response)
        call = monitor.enter(sock)
        try:
            result = handler(event, context)
            if iscoroutine(result):
                result = runner.run(result)
            status = response.status
            if not valid_status(status):
                raise ValueError('response status %r is not an integer from 100 to 599' % (status,))
            reply = to_reply(result, status, response.headers)
        except BodyError as err:
            # A body the function asked to be read as a form that is not one (kubeless_multipart).
            if not monitor.leave(call):
                return None
            metrics.record(method, perf_counter() - started, False)
            return error_reply(err.status, str(err))
        except Exception as err:  # noqa: BLE001 -- the contract: any exception is a 500
            if not monitor.leave(call):
                return None
            log('error', 'function threw an exception', method=method, path=target.partition('?')[0],
                error='%s: %s' % (type(err).__name__, err))
            metrics.record(method, perf_counter() - started, True)
            return error_reply(500, "the function threw an exception; see the function's logs")
        if not monitor.leave(call):
            metrics.record(method, perf_counter() - started, True)
            return None
        metrics.record(method, perf_counter() - started, reply[0] >= 500)
        return reply

    return invoke
