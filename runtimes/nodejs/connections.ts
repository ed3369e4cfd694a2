// Finds this process's accepted connections on the function's port, for the watchdog: when the
// loop is stuck, idle keep-alive connections must be closed at once, or clients send their next
// call into a process that will never read it (and see a reset when it is killed).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Socket inodes of established connections whose local port is `port` (pure: /proc/net/tcp text). */
export function establishedInodes(tcpTable: string, port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of tcpTable.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    if (cols.length < 10) continue;
    const local = cols[1]!;
    if (local.slice(local.lastIndexOf(':') + 1) === hexPort && cols[3] === '01') inodes.add(cols[9]!);
  }
  return inodes;
}

/** File descriptors of this process that are established connections on `port`. */
export function connectionFds(port: number): number[] {
  const inodes = new Set<string>();
  for (const file of ['/proc/self/net/tcp', '/proc/self/net/tcp6']) {
    try {
      for (const inode of establishedInodes(readFileSync(file, 'utf8'), port)) inodes.add(inode);
    } catch {
      // no IPv6 (or no /proc): fewer connections to find, nothing to fix
    }
  }
  const fds: number[] = [];
  for (const entry of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${entry}`));
      if (m && inodes.has(m[1]!)) fds.push(Number(entry));
    } catch {
      // closed meanwhile
    }
  }
  return fds;
}
