// Replaced by the control-plane work (issue #5): brings the real control plane up once for all e2e suites.
export default async function globalSetup(): Promise<void> {}
