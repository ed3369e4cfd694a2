import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CATALOG } from '../../../lib/catalog.js';
import { validateFunction } from '../../../lib/function/validate.js';
import { invalidStatus, isStatus, notFoundStatus, statusFailure } from '../../../lib/k8s/status.js';
import { validFunction } from './fixtures.js';

describe('Status objects', () => {
  it('turns field errors into a 422 Invalid with one cause per field, as kube-apiserver does', () => {
    const errors = validateFunction(validFunction({ handler: 'x', runtime: 'go' }), DEFAULT_CATALOG);
    const status = invalidStatus('Function', 'hello', 'kubeless.io', errors);
    expect(status).toMatchObject({
      apiVersion: 'v1',
      kind: 'Status',
      status: 'Failure',
      reason: 'Invalid',
      code: 422,
      details: { name: 'hello', group: 'kubeless.io', kind: 'Function' },
    });
    expect(status.message).toMatch(
      /^Function\.kubeless\.io "hello" is invalid: \[spec\.runtime: Unsupported value: /,
    );
    expect(status.details?.causes).toEqual([
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.runtime',
        message: expect.stringContaining('fix: use one of'),
      },
      { reason: 'FieldValueInvalid', field: 'spec.handler', message: expect.stringContaining('fix: write') },
    ]);
    expect(isStatus(status)).toBe(true);
  });

  it('builds NotFound and generic failures', () => {
    expect(notFoundStatus('Function', 'nope', 'kubeless.io', 'functions')).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'functions.kubeless.io "nope" not found',
    });
    expect(statusFailure(413, 'RequestEntityTooLarge', 'body over 1 MiB')).not.toHaveProperty('details');
    expect(isStatus({ kind: 'Status' })).toBe(false);
  });
});
