import { describe, expect, it } from '@jest/globals';
import { localOnlyWarnings } from '../../../local/api/warnings.js';

describe('localOnlyWarnings', () => {
  it('names each cluster-only setting with what the local platform does instead', () => {
    const warnings = localOnlyWarnings({
      spec: {
        service: { ports: [{ port: 80, targetPort: 8081 }] },
        deployment: {
          spec: {
            template: {
              spec: {
                serviceAccountName: 'sa',
                nodeSelector: { disk: 'ssd' },
                volumes: [{ name: 'a-vol' }],
                containers: [{ image: 'x/y:1', imagePullPolicy: 'Always', env: [{ name: 'A', value: '1' }] }],
              },
            },
          },
        },
      },
    });
    expect(warnings).toEqual([
      expect.stringMatching(
        /^spec\.deployment\.spec\.template\.spec\.containers\[0\]\.image is not used locally.*--runtime-image/,
      ),
      expect.stringMatching(/containers\[0\]\.imagePullPolicy has no effect locally/),
      expect.stringMatching(/\.nodeSelector is ignored locally.*--node-selectors/),
      expect.stringMatching(/\.serviceAccountName is ignored locally/),
      expect.stringMatching(/\.volumes is ignored locally.*--secrets/),
      expect.stringMatching(
        /^spec\.service is ignored locally: .*calls port 80 and runs the runtime on 8081\); here the runtime listens on a free loopback port/,
      ),
    ]);
  });

  it('says nothing about what the local platform honours (env, resources, empty maps)', () => {
    expect(
      localOnlyWarnings({
        spec: {
          deployment: {
            spec: {
              template: { spec: { nodeSelector: {}, containers: [{ env: [{ name: 'A', value: '1' }] }] } },
            },
          },
        },
      }),
    ).toEqual([]);
  });
});
