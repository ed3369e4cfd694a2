import { DEFAULT_POLICY, type FunctionPolicy } from '../lib/policy/config.js';
import type { RuntimeInfo } from './model.js';

/** What the desired-state builders need to know about the installation, beyond the Function. */
export interface ControllerConfig {
  /** Our own image; its entrypoint runs `kubeless <args>` (used for the `prepare` init step). */
  image: string;
  /** Command that starts the `kubeless` binary inside `image`. */
  kubelessCommand: string[];
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  /** Where each language's install script lives inside its runtime image. */
  installCommands: Record<RuntimeInfo['language'], string[]>;
  /** UID the function pods run as (the runtime images create this user). */
  runAsUser: number;
  /** What a Function may ask for (the operator's policy file); checked again before every apply. */
  policy: FunctionPolicy;
  /** Kubeless's own namespace: Functions there are refused (the webhook does not see it). */
  installNamespace?: string;
}

export const INSTALL_VOLUME = '/kubeless';
export const SOURCE_DIR = '/kubeless-source';
export const FIELD_MANAGER = 'kubeless-controller';

// Paths inside the runtime images, from runtimes/*/Dockerfile (the same image runs install and server).
export const DEFAULT_CONFIG: ControllerConfig = {
  image: 'kubeless/kubeless:latest',
  kubelessCommand: ['kubeless'],
  imagePullPolicy: 'IfNotPresent',
  installCommands: {
    nodejs: ['node', '/runtime/install.js'],
    python: ['python3', '/runtime/install.py'],
  },
  runAsUser: 1000,
  policy: DEFAULT_POLICY.functions,
};
