import { describe, expect, test } from '@jest/globals';
import { functionPorts } from '../../../lib/function/ports.js';

const svc = (ports: unknown[]) => ({ service: { ports } });

describe('functionPorts: where a function is called and where its runtime listens', () => {
  test('without spec.service (or without ports) both are 8080 on http-function-port', () => {
    const dflt = { name: 'http-function-port', servicePort: 8080, runtimePort: 8080 };
    expect(functionPorts(undefined)).toEqual(dflt);
    expect(functionPorts({})).toEqual(dflt);
    expect(functionPorts({ service: { type: 'NodePort' } })).toEqual(dflt);
    expect(functionPorts(svc([]))).toEqual(dflt);
  });

  test('`kubeless function deploy --port 8081`: the runtime listens on 8081 and is called on 8081', () => {
    expect(
      functionPorts(svc([{ name: 'http-function-port', protocol: 'TCP', port: 8081, targetPort: 8081 }])),
    ).toEqual({ name: 'http-function-port', servicePort: 8081, runtimePort: 8081 });
  });

  test('--servicePort 80 --port 9090: called on the Service port, the runtime on the targetPort', () => {
    expect(functionPorts(svc([{ name: 'http-function-port', port: 80, targetPort: 9090 }]))).toEqual({
      name: 'http-function-port',
      servicePort: 80,
      runtimePort: 9090,
    });
  });

  test('http-function-port wins over an earlier port; otherwise the first port (as the original)', () => {
    const metrics = { name: 'metrics', port: 9102, targetPort: 9102 };
    expect(functionPorts(svc([metrics, { name: 'http-function-port', port: 8083 }]))).toEqual({
      name: 'http-function-port',
      servicePort: 8083,
      runtimePort: 8083,
    });
    expect(functionPorts(svc([{ port: 9090 }, metrics]))).toEqual({
      name: '',
      servicePort: 9090,
      runtimePort: 9090,
    });
  });

  test('a named targetPort can only name our container port, which listens on the Service port', () => {
    expect(functionPorts(svc([{ name: 'web', port: 8082, targetPort: 'http' }]))).toEqual({
      name: 'web',
      servicePort: 8082,
      runtimePort: 8082,
    });
  });

  test('an entry without a valid port falls back to 8080 (kube-apiserver refuses that Service)', () => {
    for (const port of [0, 70000, '8081', 80.5, null]) {
      expect(functionPorts(svc([{ name: 'http-function-port', port, targetPort: 8081 }]))).toEqual({
        name: 'http-function-port',
        servicePort: 8080,
        runtimePort: 8080,
      });
    }
    expect(functionPorts(svc([{ name: 'x', port: 8085, targetPort: 0 }])).runtimePort).toBe(8085);
    expect(functionPorts({ service: { ports: 'nope' } }).servicePort).toBe(8080);
  });
});
