// The kubeless.io/v1beta1 kinds, re-exported from the types openapi-typescript generates from
// openapi/kubeless.io_v1beta1.yaml (npm run generate), under the names the project uses.
import type { components } from '../openapi/generated/kubeless.io_v1beta1.js';

type Schemas = components['schemas'];

export type ObjectMeta = Schemas['ObjectMeta'];
export type Condition = Schemas['Condition'];
export type LabelSelector = Schemas['LabelSelector'];
export type LabelSelectorRequirement = Schemas['LabelSelectorRequirement'];

export type KubelessFunction = Schemas['Function'];
export type FunctionSpec = Schemas['FunctionSpec'];
export type FunctionStatus = Schemas['FunctionStatus'];
export type TriggerStatus = Schemas['TriggerStatus'];

export type KafkaTrigger = Schemas['KafkaTrigger'];
export type KafkaTriggerSpec = Schemas['KafkaTriggerSpec'];
export type HTTPTrigger = Schemas['HTTPTrigger'];
export type HTTPTriggerSpec = Schemas['HTTPTriggerSpec'];
export type CronJobTrigger = Schemas['CronJobTrigger'];
export type CronJobTriggerSpec = Schemas['CronJobTriggerSpec'];

/** An embedded Kubernetes object (Deployment, ServiceSpec, HPA): kept as the user wrote it. */
export type EmbeddedObject = Record<string, unknown>;

// The API groups' names, written only here: every component, script and the CLI reads them from here.
export const GROUP = 'kubeless.io';
export const VERSION = 'v1beta1';
export const API_VERSION = `${GROUP}/${VERSION}`;
/** The aggregated API (`kubeless api`): the invoke and log subresources of Functions. */
export const SUBRESOURCE_GROUP = `subresources.${GROUP}`;
export const SUBRESOURCE_VERSION = 'v1';
export const SUBRESOURCE_API_VERSION = `${SUBRESOURCE_GROUP}/${SUBRESOURCE_VERSION}`;

export type KubelessKind = 'Function' | 'KafkaTrigger' | 'HTTPTrigger' | 'CronJobTrigger';
export const KINDS: readonly KubelessKind[] = ['Function', 'KafkaTrigger', 'HTTPTrigger', 'CronJobTrigger'];
/** Resource (plural) names, as they appear in API paths. */
export const PLURALS: Record<KubelessKind, string> = {
  Function: 'functions',
  KafkaTrigger: 'kafkatriggers',
  HTTPTrigger: 'httptriggers',
  CronJobTrigger: 'cronjobtriggers',
};
