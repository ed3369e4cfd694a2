"""The containers of bottle's request API (FormsDict, FileUpload...) that kubeless_request.py
hands to functions, written for this runtime: it is stdlib-only (ADR 0003)."""

import io
import os
import pickle
import re
import unicodedata


class FormsDict(dict):
    """A dict of each key's value (a list when repeated), with bottle's MultiDict API on top."""

    def __init__(self, pairs=()):
        super().__init__()
        self._all = {}
        for key, value in pairs:
            self.append(key, value)

    def append(self, key, value):
        values = self._all.setdefault(key, [])
        values.append(value)
        dict.__setitem__(self, key, values[0] if len(values) == 1 else list(values))

    def __setitem__(self, key, value):
        self._all[key] = [value]
        dict.__setitem__(self, key, value)

    def __delitem__(self, key):
        del self._all[key]
        dict.__delitem__(self, key)

    def get(self, key, default=None, index=-1, type=None):  # noqa: A002 -- bottle's signature
        """The last value (as bottle), or `index`, converted by `type`; default when missing or
        the conversion fails."""
        try:
            value = self._all[key][index]
            return type(value) if type else value
        except Exception:  # noqa: BLE001 -- bottle's contract: any failure gives the default
            return default

    getone = get

    def getall(self, key):
        return list(self._all.get(key, ()))

    getlist = getall

    def allitems(self):
        return [(k, v) for k, values in self._all.items() for v in values]

    def getunicode(self, name, default=None, encoding=None):
        return self.get(name, default)

    def decode(self, encoding=None):
        return self

    def __getattr__(self, name):
        if name.startswith('__') and name.endswith('__'):
            raise AttributeError(name)
        return self.get(name, '')


class HeaderDict(dict):
    """Header names compare without case (lower-case keys, as the contract's `headers` has)."""

    def __getitem__(self, name):
        return dict.__getitem__(self, name.lower())

    def __contains__(self, name):
        return dict.__contains__(self, name.lower()) if isinstance(name, str) else False

    def get(self, name, default=None, index=-1):
        return dict.get(self, name.lower(), default)

    def getall(self, name):
        value = dict.get(self, name.lower())
        return [] if value is None else [value]


class Body(bytes):
    """The body's bytes that are also a seekable read-only file, as bottle's `request.body`."""

    def __init__(self, _data=b''):
        self._pos = 0

    def read(self, size=-1):
        end = len(self) if size is None or size < 0 else min(len(self), self._pos + size)
        data = bytes(self[self._pos:end])
        self._pos = end
        return data

    read1 = read

    def readline(self, size=-1):
        newline = self.find(b'\n', self._pos)
        end = len(self) if newline < 0 else newline + 1
        if size is not None and size >= 0:
            end = min(end, self._pos + size)
        data = bytes(self[self._pos:end])
        self._pos = end
        return data

    def readlines(self, hint=-1):
        return list(iter(self.readline, b''))

    def __iter__(self):
        return iter(self.readline, b'')

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self):
        return self._pos

    def getvalue(self):
        return bytes(self)

    def readable(self):
        return True

    def seekable(self):
        return True

    def close(self):
        pass


_UNSAFE = re.compile(r'[^a-zA-Z0-9-_.\s]')
_DASHES = re.compile(r'[-\s]+')


class FileUpload:
    """One uploaded file of a multipart/form-data body, with bottle's FileUpload API."""

    def __init__(self, content, name, filename, headers):
        self.file = io.BytesIO(content)
        self.name = name
        self.raw_filename = filename
        self.headers = HeaderDict((k.lower(), v) for k, v in headers)
        self.content_type = self.headers.get('content-type', '')
        length = self.headers.get('content-length', '')
        self.content_length = int(length) if length.isdigit() else -1

    def get_header(self, name, default=None):
        return self.headers.get(name, default)

    @property
    def filename(self):
        """raw_filename made safe for a file system, by bottle's rules: ASCII letters, digits,
        dashes, underscores and dots of its last path segment; 'empty' if nothing is left."""
        name = unicodedata.normalize('NFKD', self.raw_filename or '')
        name = name.encode('ascii', 'ignore').decode('ascii')
        name = os.path.basename(name.replace('\\', os.path.sep))
        name = _DASHES.sub('-', _UNSAFE.sub('', name).strip()).strip('.-')
        return name[:255] or 'empty'

    def save(self, destination, overwrite=False, chunk_size=2 ** 16):
        """To a path (a directory gets `filename` appended; an existing file is an error unless
        overwrite) or to an open file object."""
        if isinstance(destination, (str, os.PathLike)):
            destination = os.fspath(destination)
            if os.path.isdir(destination):
                destination = os.path.join(destination, self.filename)
            if not overwrite and os.path.exists(destination):
                raise IOError('File exists: %s' % destination)
            with open(destination, 'wb') as out:
                self._copy(out, chunk_size)
        else:
            self._copy(destination, chunk_size)

    def _copy(self, out, chunk_size):
        offset = self.file.tell()
        while True:
            chunk = self.file.read(chunk_size)
            if not chunk:
                break
            out.write(chunk)
        self.file.seek(offset)


class PlainUnpickler(pickle.Unpickler):
    """Signed cookies hold a pickle (bottle's format): only plain data, never a class or function."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError('signed cookie refers to %s.%s; only plain values are read' % (module, name))
