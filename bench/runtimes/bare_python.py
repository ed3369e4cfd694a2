"""The reference: a minimal threaded stdlib server, keep-alive, one write per response."""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = b'hello world'
RESPONSE = b'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\n' + BODY


class Hello(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def do_GET(self):
        self.wfile.write(RESPONSE)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


server = Server(('127.0.0.1', int(os.environ.get('FUNC_PORT', '0'))), Hello)
sys.stderr.write(json.dumps({'msg': 'function listening', 'port': server.server_address[1]}) + '\n')
sys.stderr.flush()
server.serve_forever()
