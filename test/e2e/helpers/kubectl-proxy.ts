// `kubectl proxy` to a cluster: plain HTTP on 127.0.0.1 that reaches kube-apiserver with the
// kubeconfig's credentials, for clients that cannot present the admin certificate (curl's view of
// a Service, generated API clients).
import { spawn } from 'node:child_process';

export interface KubectlProxy {
  /** http://127.0.0.1:<port> */
  base: string;
  stop(): void;
}

/** Starts `kubectl proxy` on a free port; resolves once it serves. */
export function kubectlProxy(env: NodeJS.ProcessEnv): Promise<KubectlProxy> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['proxy', '--port=0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`kubectl proxy did not start: ${seen}`));
    }, 30_000);
    const on = (d: Buffer) => {
      seen += d.toString();
      const m = /Starting to serve on ([\d.]+:\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve({ base: `http://${m[1]}`, stop: () => child.kill('SIGTERM') });
      }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.on('exit', (code) => reject(new Error(`kubectl proxy exited ${code}: ${seen}`)));
  });
}
