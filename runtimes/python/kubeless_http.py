"""Pure HTTP/1.1 request parsing rules, as strict as the Node.js runtime's parser (llhttp).

http.server parses headers with the email package, which is lenient where HTTP must not be: it
took `Content-Length: -1` (read to the end of the connection), `1_0` (Python's int()), and let
Content-Length win over Transfer-Encoding (request smuggling). Everything here refuses what
llhttp refuses, with a 400 that says why; the byte-level reading is in kubeless_conn.py.
"""

import re

# Request line plus headers, and the trailers of a chunked body (Node.js: --max-http-header-size).
MAX_HEAD = 16 * 1024
# All chunk extensions of one body together (Node.js answers 413 past 16 KiB since CVE-2024-22019).
MAX_CHUNK_EXTENSIONS = 16 * 1024
# A length this long cannot be honest; llhttp reports such values as an overflow (400).
_MAX_LENGTH = 2 ** 63 - 1
_MAX_CHUNK_HEX = 16

# The methods llhttp knows; anything else is a 400 there too. CONNECT is left out: it asks for a
# tunnel, which a function does not offer.
METHODS = frozenset((
    'DELETE', 'GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'TRACE', 'COPY', 'LOCK', 'MKCOL', 'MOVE',
    'PROPFIND', 'PROPPATCH', 'SEARCH', 'UNLOCK', 'BIND', 'REBIND', 'UNBIND', 'ACL', 'REPORT',
    'MKACTIVITY', 'CHECKOUT', 'MERGE', 'M-SEARCH', 'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE', 'PATCH',
    'PURGE', 'MKCALENDAR', 'LINK', 'UNLINK', 'SOURCE', 'QUERY'))

_TOKEN = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_REQUEST_LINE = re.compile(rb'(' + _TOKEN + rb') ([\x21-\x7e]+) HTTP/1\.([01])')
_TARGET = re.compile(rb'/|\*$|[A-Za-z][A-Za-z0-9+.\-]*://')
# A field line: a token, a colon, then visible characters, obs-text, spaces and tabs only (no
# obs-fold, no bare CR or LF, no NUL or other control characters).
_FIELDS = re.compile(rb'(?:' + _TOKEN + rb':[\t \x21-\x7e\x80-\xff]*\r\n)*')
_DIGITS = re.compile(r'[0-9]+')
_CHUNK_LINE = re.compile(
    rb'([0-9A-Fa-f]+)((?:;' + _TOKEN + rb'(?:=(?:' + _TOKEN
    + rb'|"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"))?)*)')
# Node.js keeps the first of these when a request repeats them; other repeats are joined.
_FIRST_WINS = frozenset(('host', 'content-type', 'user-agent', 'authorization', 'referer', 'from',
                         'if-modified-since', 'if-unmodified-since', 'max-forwards',
                         'proxy-authorization', 'age', 'etag', 'expires', 'last-modified',
                         'location', 'retry-after', 'server'))


class HttpError(Exception):
    """A request the runtime refuses; `status` is the answer, the message says what to change."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Head:
    __slots__ = ('method', 'target', 'version', 'headers', 'keep_alive', 'length', 'chunked',
                 'expect_continue')


def parse_fields(block):
    """`name: value` lines, each ending in CRLF, into a dict of lower-case names (latin-1 text)."""
    if _FIELDS.fullmatch(block) is None:
        raise HttpError(400, 'malformed header line (only "name: value" lines ending in CRLF, with no '
                             'control characters or folded lines, are accepted)')
    headers = {}
    for line in block.split(b'\r\n')[:-1]:
        name, _, value = line.partition(b':')
        key = name.decode('ascii').lower()
        text = value.strip(b' \t').decode('latin-1')
        seen = headers.get(key)
        if seen is None:
            headers[key] = text
        elif key == 'content-length':
            raise HttpError(400, 'more than one Content-Length header; send exactly one')
        elif key == 'cookie':
            headers[key] = seen + '; ' + text
        elif key not in _FIRST_WINS:
            headers[key] = seen + ', ' + text
    return headers


def parse_head(block):
    """The bytes before the blank line ending a request's head (without it) → a Head."""
    line, _, fields = block.partition(b'\r\n')
    match = _REQUEST_LINE.fullmatch(line)
    if match is None:
        raise HttpError(400, 'malformed request line; send "METHOD /path HTTP/1.1"')
    method = match.group(1).decode('ascii')
    if method not in METHODS:
        raise HttpError(400, 'unknown HTTP method %r' % method)
    raw_target = match.group(2)
    if _TARGET.match(raw_target) is None:
        raise HttpError(400, 'malformed request target %r; it must start with "/"' % raw_target.decode('ascii'))
    head = Head()
    head.method = method
    head.target = raw_target.decode('ascii')
    head.version = 11 if match.group(3) == b'1' else 10
    head.headers = headers = parse_fields(fields + b'\r\n') if fields else {}
    if head.version == 11 and 'host' not in headers:
        raise HttpError(400, 'HTTP/1.1 request without a Host header')
    # HTTP/1.0 connections close after one answer: keeping one alive would need a
    # `Connection: keep-alive` answer that functions' own headers must not decide.
    head.keep_alive = head.version == 11 and 'close' not in headers.get('connection', '').lower()
    head.length, head.chunked = body_framing(headers)
    expect = headers.get('expect')
    if expect is not None and expect.lower() != '100-continue':
        raise HttpError(417, 'unsupported Expect: %r; only 100-continue is supported' % expect)
    head.expect_continue = expect is not None
    return head


def body_framing(headers):
    """(declared length, chunked) of a request body; both unset means there is none."""
    te = headers.get('transfer-encoding')
    codings = [c.strip().lower() for c in te.split(',') if c.strip()] if te else []
    cl = headers.get('content-length')
    if codings:
        if cl is not None:
            # Which one frames the body is exactly what a proxy in front may decide differently.
            raise HttpError(400, 'both Content-Length and Transfer-Encoding; send only one')
        if codings[-1] != 'chunked' or codings.count('chunked') > 1:
            raise HttpError(400, 'Transfer-Encoding %r must end in a single "chunked"' % te)
        return None, True
    if cl is None:
        return None, False
    if _DIGITS.fullmatch(cl) is None:
        raise HttpError(400, 'Content-Length %r is not a number of bytes (digits only)' % cl)
    length = int(cl)
    if length > _MAX_LENGTH:
        raise HttpError(400, 'Content-Length %s is too large to be real' % cl)
    return length, False


def parse_chunk_size(line):
    """A chunk-size line (without its CRLF) → (size, bytes of extensions)."""
    match = _CHUNK_LINE.fullmatch(line)
    if match is None:
        raise HttpError(400, 'malformed chunk size line in a chunked body')
    digits = match.group(1).lstrip(b'0')
    if len(digits) > _MAX_CHUNK_HEX:
        raise HttpError(400, 'chunk size overflows in a chunked body')
    return (int(digits, 16) if digits else 0), len(match.group(2))
