export { desiredConfigMap } from './configmap.js';
export { desiredDeployment } from './deployment.js';
export { desiredService } from './service.js';
export { desiredHPA } from './hpa.js';
