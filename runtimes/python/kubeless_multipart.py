"""multipart/form-data of a fully read body (at most KUBELESS_BODY_LIMIT), without the `cgi`
module (deprecated, gone in Python 3.13) and without the `email` package's line handling."""

import re
from urllib.parse import unquote

from kubeless_event import BodyError

_PARAM = re.compile(r';\s*([^\s=;]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^;]*))?')


class MultipartError(BodyError):
    def __init__(self, message):
        super().__init__(400, 'malformed multipart/form-data body: %s' % message)


def header_params(value):
    """`form-data; name="a"; filename*=UTF-8''%C3%A9.txt` → ('form-data', {'name': 'a', ...});
    quoted strings unescaped, RFC 5987 `name*` values decoded and preferred."""
    main, _, rest = value.partition(';')
    params = {}
    extended = {}
    for match in _PARAM.finditer(';' + rest):
        name = match.group(1).lower()
        raw = (match.group(2) or '').strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = re.sub(r'\\(.)', r'\1', raw[1:-1])
        if name.endswith('*'):
            charset, _, encoded = raw.partition("'")
            _, _, encoded = encoded.partition("'")
            try:
                extended[name[:-1]] = unquote(encoded, encoding=charset or 'utf-8', errors='strict')
            except (LookupError, UnicodeDecodeError):
                continue
        else:
            params[name] = raw
    params.update(extended)
    return main.strip().lower(), params


def parse_multipart(body, content_type):
    """Yields (name, filename or None, headers as (name, value) pairs, content bytes)."""
    _, params = header_params(content_type)
    boundary = params.get('boundary')
    if not boundary or len(boundary) > 200:
        raise MultipartError('the Content-Type has no boundary')
    delimiter = b'\r\n--' + boundary.encode('latin-1')
    sections = (b'\r\n' + body).split(delimiter)
    if len(sections) < 2:
        raise MultipartError('the boundary does not occur in the body')
    # sections[0] is the preamble; each section after a delimiter either closes ("--") or is a part.
    for section in sections[1:]:
        if section.startswith(b'--'):
            return
        line_end = section.find(b'\r\n')
        if line_end < 0 or section[:line_end].strip(b' \t'):
            raise MultipartError('a boundary line is followed by other text')
        head_end = section.find(b'\r\n\r\n', line_end)
        if head_end < 0:
            raise MultipartError('a part has no blank line after its headers')
        headers = []
        for line in section[line_end + 2:head_end].split(b'\r\n'):
            if not line:
                continue
            name, colon, value = line.decode('utf-8', errors='replace').partition(':')
            if not colon:
                raise MultipartError('a part header has no colon')
            headers.append((name.strip(), value.strip()))
        disposition = next((v for n, v in headers if n.lower() == 'content-disposition'), None)
        if disposition is None:
            raise MultipartError('a part has no Content-Disposition')
        _, options = header_params(disposition)
        yield options.get('name', ''), options.get('filename'), headers, section[head_end + 4:]
    raise MultipartError('the closing boundary is missing')
