// What the local API serves: the kubeless.io/v1beta1 kinds with their names, short names and
// printer columns (the same ones the CRDs declare), looked up by the plural in a path.
import { KINDS, PLURALS, type KubelessKind } from '../../lib/types.js';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'date';
  jsonPath: string;
  description: string;
}

export interface ResourceInfo {
  kind: KubelessKind;
  plural: string;
  singular: string;
  shortNames: string[];
  columns: PrinterColumn[];
}

const AGE: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'Time since the object was created',
};

const COLUMNS: Record<KubelessKind, PrinterColumn[]> = {
  Function: [
    {
      name: 'Runtime',
      type: 'string',
      jsonPath: '.spec.runtime',
      description: 'Runtime the function runs on',
    },
    {
      name: 'Handler',
      type: 'string',
      jsonPath: '.spec.handler',
      description: 'module.function called per request',
    },
    {
      name: 'Ready',
      type: 'string',
      jsonPath: '.status.conditions[?(@.type=="Ready")].status',
      description: 'Whether the function serves requests',
    },
    AGE,
  ],
  KafkaTrigger: [
    { name: 'Topic', type: 'string', jsonPath: '.spec.topic', description: 'Kafka topic consumed' },
    AGE,
  ],
  HTTPTrigger: [
    { name: 'Function', type: 'string', jsonPath: '.spec.function-name', description: 'Function called' },
    { name: 'Path', type: 'string', jsonPath: '.spec.path', description: 'HTTP path' },
    AGE,
  ],
  CronJobTrigger: [
    { name: 'Function', type: 'string', jsonPath: '.spec.function-name', description: 'Function called' },
    { name: 'Schedule', type: 'string', jsonPath: '.spec.schedule', description: 'Cron schedule' },
    AGE,
  ],
};

const SHORT: Record<KubelessKind, string[]> = {
  Function: ['fn'],
  KafkaTrigger: [],
  HTTPTrigger: [],
  CronJobTrigger: [],
};

export const RESOURCES: ResourceInfo[] = KINDS.map((kind) => ({
  kind,
  plural: PLURALS[kind],
  singular: kind.toLowerCase(),
  shortNames: SHORT[kind],
  columns: COLUMNS[kind],
}));

export function resourceByPlural(plural: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.plural === plural);
}
