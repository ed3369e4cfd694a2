// `npm test` runs unit + integration + security; `npm run test:e2e` needs a real control plane.
const tsJest = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, isolatedModules: true, tsconfig: 'tsconfig.json' }],
};
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: tsJest,
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
};
export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    // One test per item of the security review (issue 18), against real processes; see test/security/README.md.
    { ...common, displayName: 'security', testMatch: ['<rootDir>/test/security/**/*.test.ts'] },
    // README's quick start on a fresh clone with npm start's defaults (port 8080): npm run test:quickstart.
    { ...common, displayName: 'quickstart', testMatch: ['<rootDir>/test/quickstart/**/*.test.ts'] },
    // Faults on purpose (issue 16), each printing what was lost: npm run test:chaos (test/chaos/run.ts
    // prints the table). The double-start case of the local platform is its integration test, run again here.
    {
      ...common,
      displayName: 'chaos',
      testMatch: [
        '<rootDir>/test/chaos/**/*.test.ts',
        '<rootDir>/test/integration/local/data-dir-lock.test.ts',
      ],
      // A real-node cluster of its own (test/chaos/instance.ts), never the shared one.
      setupFiles: ['<rootDir>/test/chaos/instance.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
    },
  ],
};
