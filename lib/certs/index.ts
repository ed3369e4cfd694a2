export * from './bundle.js';
export * from './issue.js';
export * from './secret.js';
export * from './kube.js';
export * from './manager.js';
export * from './files.js';
