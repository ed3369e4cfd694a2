import { validateName } from '../../lib/function/meta.js';
import { CliError } from '../errors.js';

/** Function names become Service names; the shared rule decides, so CLI and server agree. */
export function checkName(name: string): void {
  const [problem] = validateName(
    { name },
    'Function',
    'it names the Service and Deployment that run the function',
  );
  if (problem) throw new CliError(`invalid function name "${name}": ${problem.fix}`);
}
