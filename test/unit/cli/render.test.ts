import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { formatAge, oneLine, renderTable } from '../../../cli/render/table.js';
import {
  parseOutputFormat,
  renderDescribe,
  renderFunctionList,
  renderObject,
} from '../../../cli/render/functions.js';
import type { FunctionObject } from '../../../cli/kube/types.js';

const now = new Date('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();

const hello: FunctionObject = {
  apiVersion: 'kubeless.io/v1beta1',
  kind: 'Function',
  metadata: {
    name: 'hello',
    namespace: 'default',
    creationTimestamp: ago(300),
    generation: 2,
    labels: { app: 'x' },
  },
  spec: {
    runtime: 'nodejs20',
    handler: 'hello.handler',
    'function-content-type': 'text',
    function: 'abc',
    deps: '{\n  "dependencies": { "lodash": "4" }\n}',
    timeout: '30',
    deployment: { spec: { template: { spec: { containers: [{ env: [{ name: 'A', value: '1' }] }] } } } },
  },
  status: {
    observedGeneration: 2,
    conditions: [
      { type: 'Ready', status: 'False', reason: 'LoadError', message: 'boom', lastTransitionTime: ago(10) },
    ],
  },
};

describe('tables', () => {
  it('aligns columns three spaces apart without trailing blanks', () => {
    expect(
      renderTable(
        ['A', 'LONGER'],
        [
          ['xyz', '1'],
          ['q', ''],
        ],
      ),
    ).toBe('A     LONGER\nxyz   1\nq\n');
  });
  it('lists functions with the default and the wide columns', () => {
    const table = renderFunctionList([hello], false, now);
    expect(table.split('\n')[0]).toBe('NAME    NAMESPACE   RUNTIME    HANDLER         READY   AGE');
    expect(table.split('\n')[1]).toBe('hello   default     nodejs20   hello.handler   False   5m');
    const wide = renderFunctionList([hello], true, now).split('\n');
    expect(wide[0]).toMatch(/AGE +REASON +TIMEOUT +CONTENT-TYPE +DEPENDENCIES$/);
    expect(wide[1]).toMatch(/LoadError +30 +text +\{ "dependencies": \{ "lodash": "4" \} \}$/);
  });
});

describe('describe', () => {
  it('shows the spec summary, conditions and events', () => {
    const text = renderDescribe(
      hello,
      [
        {
          type: 'Warning',
          reason: 'LoadFailed',
          message: 'module threw',
          count: 3,
          lastTimestamp: ago(5),
          source: { component: 'kubeless-controller' },
        },
      ],
      now,
    );
    expect(text).toContain('Runtime:       nodejs20\n');
    expect(text).toContain('Environment:   A=1\n');
    expect(text).toContain('  "dependencies": { "lodash": "4" }');
    expect(text).toMatch(
      /Conditions:\n {2}TYPE +STATUS +REASON +AGE +MESSAGE\n {2}Ready +False +LoadError +10s +boom\n/,
    );
    expect(text).toMatch(
      /Events:\n {2}TYPE +REASON +AGE +FROM +MESSAGE\n {2}Warning +LoadFailed +5s \(x3\) +kubeless-controller +module threw\n/,
    );
  });
  it('says when the server offers no events', () => {
    expect(renderDescribe(hello, null, now)).toContain('Events:\n  <not available from this server>\n');
  });
});

describe('formats', () => {
  it('renders parseable YAML and JSON', async () => {
    expect(parse(await renderObject(hello, 'yaml'))).toEqual(hello);
    expect(JSON.parse(await renderObject(hello, 'json'))).toEqual(hello);
  });
  it('refuses unknown -o values naming the allowed ones', () => {
    expect(() => parseOutputFormat('xml', ['table', 'wide', 'json'])).toThrow(
      'invalid -o "xml": choose one of wide, json',
    );
  });
});

describe('durations and ages', () => {
  it('formats ages like kubectl', () => {
    expect(formatAge(ago(45), now)).toBe('45s');
    expect(formatAge(ago(200), now)).toBe('3m20s');
    expect(formatAge(ago(25 * 60), now)).toBe('25m');
    expect(formatAge(ago(5 * 3600 + 600), now)).toBe('5h10m');
    expect(formatAge(ago(3 * 86400 + 4 * 3600), now)).toBe('3d4h');
    expect(formatAge(undefined, now)).toBe('<unknown>');
  });
  it('flattens and truncates cell text', () => {
    expect(oneLine('a\n  b\tc', 10)).toBe('a b c');
    expect(oneLine('abcdefghijkl', 8)).toBe('abcde...');
  });
});
