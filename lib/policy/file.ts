// Reads the operator's policy file (`--policy-file`) for the webhook, the controller and the Kafka
// trigger. Read once at start: the chart rolls their pods when the policy ConfigMap changes.
import { readFile } from 'node:fs/promises';
import { DEFAULT_POLICY, parsePolicy, PolicyError, type PlatformPolicy } from './config.js';

/** The policy in `path`, or DEFAULT_POLICY when no path is given. Throws PolicyError with the file's name. */
export async function readPolicyFile(path: string | undefined): Promise<PlatformPolicy> {
  if (!path) return structuredClone(DEFAULT_POLICY);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PolicyError(
      `--policy-file ${path}: ${(err as Error).message}; mount the kubeless-policy ConfigMap there, or leave the flag out for the default policy`,
    );
  }
  return parsePolicy(text, path);
}
