"""Prometheus text exposition, written by hand: the runtime uses the standard library only,
because a function's own dependencies share sys.path with it and the quick start has no pip step."""

import threading

BUCKETS = (0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60)
CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'


class _Series:
    __slots__ = ('counts', 'total', 'count', 'failures')

    def __init__(self):
        self.counts = [0] * len(BUCKETS)
        self.total = 0.0
        self.count = 0
        self.failures = 0


def _label(value):
    return value.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')


def _num(value):
    return repr(float(value)) if isinstance(value, float) else str(value)


class Metrics:
    def __init__(self):
        self._lock = threading.Lock()
        self._series = {}

    def record(self, method, seconds, failed):
        with self._lock:
            s = self._series.get(method)
            if s is None:
                s = self._series[method] = _Series()
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    s.counts[i] += 1
                    break
            s.total += seconds
            s.count += 1
            if failed:
                s.failures += 1

    def render(self):
        with self._lock:
            snapshot = {m: (list(s.counts), s.total, s.count, s.failures) for m, s in self._series.items()}
        out = ['# HELP function_duration_seconds Time the function took to answer a call, in seconds',
               '# TYPE function_duration_seconds histogram']
        for method, (counts, total, count, _) in sorted(snapshot.items()):
            m = _label(method)
            cumulative = 0
            for bound, n in zip(BUCKETS, counts):
                cumulative += n
                out.append('function_duration_seconds_bucket{le="%s",method="%s"} %d' % (_num(bound), m, cumulative))
            out.append('function_duration_seconds_bucket{le="+Inf",method="%s"} %d' % (m, count))
            out.append('function_duration_seconds_sum{method="%s"} %r' % (m, total))
            out.append('function_duration_seconds_count{method="%s"} %d' % (m, count))
        out += ['# HELP function_calls_total Number of calls of the function',
                '# TYPE function_calls_total counter']
        out += ['function_calls_total{method="%s"} %d' % (_label(m), v[2]) for m, v in sorted(snapshot.items())]
        out += ['# HELP function_failures_total Number of calls that failed (exception, timeout or a 5xx answer)',
                '# TYPE function_failures_total counter']
        out += ['function_failures_total{method="%s"} %d' % (_label(m), v[3]) for m, v in sorted(snapshot.items())]
        return ('\n'.join(out) + '\n').encode('utf-8')
