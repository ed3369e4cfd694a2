import { describe, expect, it } from '@jest/globals';
import { connectionErrorMessage, statusToMessage } from '../../../cli/kube/errors.js';

const ctx = { verb: 'deploy', kind: 'function', name: 'hello', namespace: 'team', contextName: 'local' };

describe('statusToMessage', () => {
  it('lists every field and cause of a 422', () => {
    const status = {
      kind: 'Status',
      status: 'Failure',
      code: 422,
      reason: 'Invalid',
      message: 'Function.kubeless.io "hello" is invalid',
      details: {
        name: 'hello',
        causes: [
          { field: 'spec.runtime', type: 'FieldValueNotSupported', message: 'Unsupported value: "cobol"' },
          { field: 'spec.handler', type: 'FieldValueRequired', message: 'Required value' },
        ],
      },
    };
    expect(statusToMessage(422, status, ctx)).toBe(
      'function "hello" is invalid: spec.runtime: Unsupported value: "cobol"; spec.handler: Required value; fix these fields and retry',
    );
  });

  it('tells how to list when the named object is missing', () => {
    const status = {
      kind: 'Status',
      code: 404,
      reason: 'NotFound',
      details: { name: 'hello', kind: 'functions' },
    };
    expect(statusToMessage(404, status, ctx)).toBe(
      'function "hello" not found in namespace "team"; list them with `kubeless function list -n team` (or --all-namespaces)',
    );
  });

  it('says Kubeless is not installed when the resource type itself is unknown', () => {
    const msg = statusToMessage(404, '404 page not found', {
      verb: 'list',
      kind: 'function',
      namespace: 'x',
    });
    expect(msg).toMatch(
      /does not serve this API \(404: 404 page not found\); is Kubeless installed\?.*npm start/,
    );
  });

  it('points an existing name at update', () => {
    const status = { kind: 'Status', code: 409, reason: 'AlreadyExists', details: { name: 'hello' } };
    expect(statusToMessage(409, status, ctx)).toBe(
      'function "hello" already exists in namespace "team"; change it with `kubeless function update hello -n team` or delete it first',
    );
  });

  it('names the kubeconfig context on 401 and suggests RBAC on 403', () => {
    expect(statusToMessage(401, { kind: 'Status', code: 401, message: 'Unauthorized' }, ctx)).toContain(
      'check the user of context "local" in your kubeconfig',
    );
    expect(statusToMessage(403, { kind: 'Status', code: 403, message: 'no' }, ctx)).toContain('RBAC');
  });

  it('falls back to the HTTP code and body text for anything else', () => {
    expect(statusToMessage(500, 'boom', ctx)).toBe('cannot deploy function "hello": HTTP 500: boom');
  });
});

describe('connectionErrorMessage', () => {
  it('suggests starting the local platform when the connection is refused', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), { code: 'ECONNREFUSED' });
    expect(connectionErrorMessage(err, 'http://127.0.0.1:8080')).toBe(
      'cannot reach the Kubernetes API at http://127.0.0.1:8080 (connection refused): is the local platform running? ' +
        'start it with `npm start`, or check your kubeconfig (--kubeconfig, KUBECONFIG, --context)',
    );
  });
  it('points TLS failures at the kubeconfig certificate settings', () => {
    const err = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(connectionErrorMessage(err, 'https://h')).toMatch(
      /TLS handshake with https:\/\/h failed.*certificate-authority/,
    );
  });
});
