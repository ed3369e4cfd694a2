// `npm run test:kafka`: the Kafka suites alone, each starting its own broker from test/kafka/,
// without the control plane that the e2e project's global setup brings up.
const tsJest = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, isolatedModules: true, tsconfig: 'tsconfig.json' }],
};
export default {
  rootDir: '../..',
  extensionsToTreatAsEsm: ['.ts'],
  transform: tsJest,
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
  // kafka-cluster.test.ts also needs the control plane: it runs under npm run test:e2e only.
  testMatch: ['<rootDir>/test/e2e/kafka.test.ts', '<rootDir>/test/e2e/kafka-local.test.ts'],
};
