"""event['extensions']['request']: the contract's fields plus the request API of bottle, which the
original Kubeless Python runtime handed to functions (get_header, query, forms, files, json, body,
cookies...). Every field is computed on first access, so a handler that never touches the
request pays for one small object.

Where bottle and this runtime's earlier contract differ: item access and JSON of `query`, `forms`
and `params` give a repeated key's values as a list (bottle's give the last; `.get()`, attribute
access and `getall()` behave as bottle's); text is decoded as UTF-8 (bottle's item access gives
latin-1 mojibake for non-ASCII); `body` is bottle's seekable file and also the bytes it holds;
`path` is the path as sent (not percent-decoded); `request['method']` and `request.get('path')`
read fields (bottle reads WSGI environ keys that way, which work too: `request['REQUEST_METHOD']`).
"""

import base64
import hashlib
import hmac
import io
from http.cookies import CookieError, SimpleCookie
from urllib.parse import SplitResult, parse_qsl, quote

from kubeless_forms import Body, FileUpload, FormsDict, HeaderDict, PlainUnpickler
from kubeless_multipart import parse_multipart

_UNSET = object()


class Request:
    __slots__ = ('method', '_target', '_raw_headers', '_raw', '_data', '_kind', '_sock', '_cache')

    def __init__(self, method, target, headers, body, data, kind, sock=None):
        self.method = method
        self._target = target
        self._raw_headers = headers
        self._raw = body
        self._data = data
        self._kind = kind
        self._sock = sock
        self._cache = None

    def _cached(self, name, build):
        cache = self._cache
        if cache is None:
            cache = self._cache = {}
        value = cache.get(name, _UNSET)
        if value is _UNSET:
            value = cache[name] = build()
        return value

    # The contract's fields -------------------------------------------------------------------
    @property
    def path(self):
        return self._target.partition('?')[0]

    @property
    def query_string(self):
        return self._target.partition('?')[2]

    @property
    def query(self):
        return self._cached('query', lambda: FormsDict(parse_qsl(self.query_string, keep_blank_values=True)))

    GET = query

    @property
    def headers(self):
        return self._cached('headers', lambda: HeaderDict(self._raw_headers))

    @property
    def body(self):
        body = self._cached('body', lambda: Body(self._raw))
        body.seek(0)
        return body

    @property
    def json(self):
        return self._data if self._kind == 'json' else None

    def get_header(self, name, default=None):
        return self._raw_headers.get(name.lower(), default)

    header = get_header

    # bottle's forms, files and cookies -------------------------------------------------------
    @property
    def POST(self):  # noqa: N802 -- bottle's name
        return self._cached('post', self._parse_post)

    def _parse_post(self):
        content_type = self.content_type
        if content_type.startswith('multipart/'):
            post = FormsDict()
            for name, filename, headers, content in parse_multipart(self._raw, self._raw_headers['content-type']):
                if filename is None:
                    post.append(name, content.decode('utf-8', errors='replace'))
                else:
                    post.append(name, FileUpload(content, name, filename, headers))
            return post
        # As bottle: any other body is read as application/x-www-form-urlencoded.
        text = self._raw.decode('utf-8', errors='replace') if self._raw else ''
        return FormsDict(parse_qsl(text, keep_blank_values=True))

    @property
    def forms(self):
        return self._cached('forms', lambda: FormsDict(
            (k, v) for k, v in self.POST.allitems() if not isinstance(v, FileUpload)))

    @property
    def files(self):
        return self._cached('files', lambda: FormsDict(
            (k, v) for k, v in self.POST.allitems() if isinstance(v, FileUpload)))

    @property
    def params(self):
        return self._cached('params', lambda: FormsDict(self.query.allitems() + self.forms.allitems()))

    @property
    def cookies(self):
        def parse():
            jar = SimpleCookie()
            try:
                jar.load(self._raw_headers.get('cookie', ''))
            except CookieError:
                pass
            return FormsDict((c.key, c.value) for c in jar.values())
        return self._cached('cookies', parse)

    def get_cookie(self, key, default=None, secret=None, digestmod=hashlib.sha256):
        """A cookie's value; with `secret`, a cookie signed by bottle's response.set_cookie
        (anything that does not verify gives the default)."""
        value = self.cookies.get(key)
        if not secret:
            return value or default
        if not value or not value.startswith('!') or '?' not in value:
            return default
        signature, message = value[1:].split('?', 1)
        key_bytes = secret.encode() if isinstance(secret, str) else secret
        expected = base64.b64encode(hmac.new(key_bytes, message.encode(), digestmod=digestmod).digest())
        if not hmac.compare_digest(signature.encode(), expected):
            return default
        try:
            pair = PlainUnpickler(io.BytesIO(base64.b64decode(message))).load()
        except Exception:  # noqa: BLE001 -- an unreadable cookie is a missing one
            return default
        if isinstance(pair, (list, tuple)) and len(pair) == 2 and pair[0] == key:
            return pair[1]
        return default

    # bottle's other request properties -------------------------------------------------------
    @property
    def content_type(self):
        return self._raw_headers.get('content-type', '').lower()

    @property
    def content_length(self):
        length = self._raw_headers.get('content-length', '')
        return int(length) if length.isdigit() else -1

    @property
    def chunked(self):
        return 'chunked' in self._raw_headers.get('transfer-encoding', '').lower()

    @property
    def urlparts(self):
        h = self._raw_headers
        scheme = h.get('x-forwarded-proto') or 'http'
        host = h.get('x-forwarded-host') or h.get('host') or '127.0.0.1'
        return SplitResult(scheme, host, quote(self.path, safe="/:@!$&'()*+,;=%"), self.query_string, '')

    @property
    def url(self):
        return self.urlparts.geturl()

    @property
    def fullpath(self):
        return self.path

    script_name = '/'

    @property
    def is_xhr(self):
        return self._raw_headers.get('x-requested-with', '').lower() == 'xmlhttprequest'

    is_ajax = is_xhr

    @property
    def auth(self):
        """(user, password) of Basic authentication, else None."""
        scheme, _, data = self._raw_headers.get('authorization', '').partition(' ')
        if scheme.lower() != 'basic':
            return None
        try:
            user, _, password = base64.b64decode(data).decode('utf-8').partition(':')
        except (ValueError, UnicodeDecodeError):
            return None
        return user, password

    @property
    def remote_route(self):
        forwarded = self._raw_headers.get('x-forwarded-for')
        if forwarded:
            return [ip.strip() for ip in forwarded.split(',')]
        addr = self.remote_peer
        return [addr] if addr else []

    @property
    def remote_addr(self):
        route = self.remote_route
        return route[0] if route else None

    @property
    def remote_peer(self):
        try:
            return self._sock.getpeername()[0] if self._sock is not None else None
        except OSError:
            return None

    @property
    def environ(self):
        """The WSGI environ bottle's request wrapped, for code that reads keys of it."""
        def build():
            h = self._raw_headers
            env = {'REQUEST_METHOD': self.method, 'PATH_INFO': self.path, 'QUERY_STRING': self.query_string,
                   'SCRIPT_NAME': '', 'SERVER_PROTOCOL': 'HTTP/1.1', 'wsgi.url_scheme': self.urlparts.scheme,
                   'REMOTE_ADDR': self.remote_peer or '', 'bottle.request': self}
            for name, value in h.items():
                key = name.upper().replace('-', '_')
                env[key if key in ('CONTENT_TYPE', 'CONTENT_LENGTH') else 'HTTP_' + key] = value
            return env
        return self._cached('environ', build)

    # Item access: the contract's fields by name, else bottle's environ keys ------------------
    def __getitem__(self, key):
        try:
            return getattr(self, key)
        except (AttributeError, TypeError):
            pass
        try:
            return self.environ[key]
        except KeyError:
            raise KeyError(key) from None

    def __setitem__(self, key, value):
        self.environ[key] = value

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default
