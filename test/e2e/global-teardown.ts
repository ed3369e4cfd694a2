// Replaced by the control-plane work (issue #5): stops the control plane after the e2e suites.
export default async function globalTeardown(): Promise<void> {}
