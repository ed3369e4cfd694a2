// The root entry of the `kubeless` binary: one image runs every component, so this table names
// them all, and only the chosen one's code is loaded (a server carries nothing of the others, and
// `kubeless --help` or `kubeless function call` start without loading any server).
import { CLI_COMMANDS } from './cli/main.js';
import { runLazy, type LazyCommand } from './cli/lazy.js';

const SERVER_COMMANDS: LazyCommand[] = [
  {
    name: 'controller',
    summary:
      'run the Function, HTTPTrigger and CronJobTrigger controllers against the cluster in the kubeconfig (or in-cluster)',
    load: () => import('./controller/command.js'),
  },
  {
    name: 'prepare',
    summary: "materialise a Function's code from its mounted ConfigMap (the pod's init step)",
    load: () => import('./controller/prepare-command.js'),
  },
  {
    name: 'kafka-trigger',
    summary:
      'deliver Kafka records to functions, as selected by KafkaTrigger objects (cluster mode) or a manifest file (--manifests)',
    load: () => import('./kafka/command.js'),
  },
  {
    name: 'webhook',
    summary: 'serve the kubeless.io admission webhook (POST /mutate, /validate) over HTTPS',
    load: () => import('./webhook/command.js'),
  },
  {
    name: 'local',
    summary:
      'run the local platform: Kubernetes-style API, controller and function processes on 127.0.0.1, no cluster',
    load: () => import('./local/command.js'),
  },
  {
    name: 'api',
    summary:
      'Run the aggregated API server for functions/invoke and functions/log (subresources.kubeless.io/v1)',
    load: () => import('./api/command.js'),
  },
];

export const COMMANDS: LazyCommand[] = [...CLI_COMMANDS, ...SERVER_COMMANDS];

export async function main(argv: string[]): Promise<void> {
  await runLazy(argv, COMMANDS);
}
