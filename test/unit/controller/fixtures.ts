import { DEFAULT_CONFIG, type ControllerConfig } from '../../../controller/config.js';
import type { FunctionSpec, KubelessFunction, RuntimeInfo } from '../../../controller/model.js';

export const NODE: RuntimeInfo = {
  id: 'nodejs20',
  language: 'nodejs',
  version: '20',
  depsFile: 'package.json',
  suffix: '.js',
  images: { runtime: 'kubeless/nodejs20:1', install: 'kubeless/nodejs20:1' },
};

export const PYTHON: RuntimeInfo = {
  id: 'python3.11',
  language: 'python',
  version: '3.11',
  depsFile: 'requirements.txt',
  suffix: '.py',
  images: { runtime: 'kubeless/python3.11:1', install: 'kubeless/python3.11:1' },
};

export const CONFIG: ControllerConfig = { ...DEFAULT_CONFIG, image: 'kubeless/kubeless:test' };

export function makeFunction(spec: Partial<FunctionSpec> = {}, name = 'hello'): KubelessFunction {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name, namespace: 'team-a', uid: 'uid-1', generation: 3, labels: { app: 'greeter' } },
    spec: {
      handler: 'handler.hello',
      runtime: 'nodejs20',
      function: 'module.exports = { hello: () => "hi" };',
      ...spec,
    },
  };
}

export const OWNER = {
  apiVersion: 'kubeless.io/v1beta1',
  kind: 'Function',
  name: 'hello',
  uid: 'uid-1',
  controller: true,
  blockOwnerDeletion: true,
};
