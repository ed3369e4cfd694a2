/* global process */
// The reference: the least a node:http server can do for a hello world.
import http from 'node:http';

const server = http.createServer((req, res) => res.end('hello world'));
server.listen(Number(process.env.FUNC_PORT ?? 0), '127.0.0.1', () => {
  process.stderr.write(JSON.stringify({ msg: 'function listening', port: server.address().port }) + '\n');
});
process.on('SIGTERM', () => process.exit(0));
