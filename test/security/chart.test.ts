// The chart's security (issue 18): item 5's policy wiring (the kubeless-policy ConfigMap every
// enforcing component reads, the ValidatingAdmissionPolicy that keeps kubeless.io objects out of
// the install namespace without the webhook), and what held up: least-privilege RBAC. The
// containers' security contexts: test/unit/chart/rendered.test.ts. Rendered with the real helm
// binary (skipped, saying so, when there is none); the VAP against kube-apiserver: test/e2e/chart.test.ts.
import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import YAML from 'yaml';
import { DEFAULT_POLICY, parsePolicy } from '../../lib/policy/config.js';
import { findHelm, repoRoot } from '../../scripts/render-kustomize.js';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
}
interface Container {
  name: string;
  args?: string[];
  volumeMounts?: { name: string; mountPath: string }[];
}
interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  rules?: Rule[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
  spec?: Record<string, unknown> & {
    template?: {
      metadata?: { annotations?: Record<string, string> };
      spec: {
        serviceAccountName?: string;
        containers: Container[];
        volumes?: { name: string; configMap?: { name: string } }[];
      };
    };
  };
}

const helm = findHelm();
const maybe = helm ? describe : describe.skip;
if (!helm)
  console.warn('chart security tests skipped: no helm binary (run bash test/cluster/build.sh or set HELM)');

function render(...set: string[]): Obj[] {
  const args = ['template', 'kubeless', path.join(repoRoot, 'charts/kubeless'), '-n', 'kubeless'];
  for (const s of set) args.push('--set', s);
  return YAML.parseAllDocuments(execFileSync(helm as string, args, { encoding: 'utf8' }))
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

const KAFKA = ['kafka.enabled=true', 'kafka.brokers=kafka:9092'];

maybe('the operator policy reaches every component that enforces it', () => {
  const objs = render(...KAFKA);
  const policyOf = (o: Obj[]) =>
    parsePolicy(
      o.find((x) => x.kind === 'ConfigMap' && x.metadata.name === 'kubeless-policy')?.data?.['policy.json'] ??
        'x',
    );

  test('by default: restricted function pods, ClusterIP only, no http sources, topics {namespace}.*', () => {
    expect(policyOf(objs)).toEqual({
      // The chart's default for functions is the components' own; for topics it keeps tenants apart.
      functions: DEFAULT_POLICY.functions,
      kafkaTopics: { default: ['{namespace}.*'], namespaces: {} },
    });
    expect(DEFAULT_POLICY.functions).toMatchObject({ podSecurity: 'restricted', allowHttpSources: false });
  });

  test('chart values become the policy the components parse', () => {
    const p = policyOf(
      render(
        'functionPolicy.podSecurity=baseline',
        'functionPolicy.allowedServiceTypes={ClusterIP,NodePort}',
        'functionPolicy.allowedServiceAccounts={team-a/reporter}',
        'kafka.topicPolicy.namespaces.billing={billing.*,invoices}',
      ),
    );
    expect(p.functions).toMatchObject({
      podSecurity: 'baseline',
      allowedServiceTypes: ['ClusterIP', 'NodePort'],
      allowedServiceAccounts: ['team-a/reporter'],
    });
    expect(p.kafkaTopics.namespaces).toEqual({ billing: ['billing.*', 'invoices'] });
  });

  test('the webhook, the controller and the Kafka trigger mount it, read it, and roll when it changes', () => {
    const changed = render(...KAFKA, 'functionPolicy.allowExternalIPs=true');
    for (const name of ['kubeless-webhook', 'kubeless-controller', 'kubeless-kafka-trigger']) {
      const d = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!;
      const pod = d.spec!.template!;
      const c = pod.spec.containers[0]!;
      const mount = c.volumeMounts?.find((m) => m.name === 'policy');
      expect({
        name,
        mount: mount?.mountPath,
        cm: pod.spec.volumes?.find((v) => v.name === 'policy')?.configMap?.name,
      }).toEqual({
        name,
        mount: '/etc/kubeless/policy',
        cm: 'kubeless-policy',
      });
      expect(c.args).toContain('--policy-file=/etc/kubeless/policy/policy.json');
      const after = changed.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!;
      expect(after.spec!.template!.metadata?.annotations?.['checksum/policy']).not.toBe(
        pod.metadata?.annotations?.['checksum/policy'],
      );
    }
  });

  test('a ValidatingAdmissionPolicy denies kubeless.io writes in the install namespace, webhook or not', () => {
    const vap = objs.find((o) => o.kind === 'ValidatingAdmissionPolicy')!;
    expect(vap.metadata.name).toBe('kubeless-install-namespace');
    expect(vap.spec).toMatchObject({
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: ['kubeless.io'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['functions', 'httptriggers', 'kafkatriggers', 'cronjobtriggers'],
          },
        ],
        namespaceSelector: {
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['kubeless'] }],
        },
      },
    });
    const binding = objs.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding')!;
    expect(binding.spec).toEqual({ policyName: 'kubeless-install-namespace', validationActions: ['Deny'] });
  });
});

maybe('what held up: least-privilege RBAC', () => {
  const objs = render(...KAFKA);
  const roles = objs.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role');
  const rules = roles.flatMap((r) =>
    (r.rules ?? []).map((rule) => ({ role: `${r.kind}/${r.metadata.name}`, ...rule })),
  );

  test('no wildcard, and none of the verbs or resources that lead to cluster-admin', () => {
    const dangerous = rules.filter(
      (r) =>
        [...(r.apiGroups ?? []), ...(r.resources ?? []), ...r.verbs].includes('*') ||
        r.verbs.some((v) => ['escalate', 'bind', 'impersonate'].includes(v)) ||
        (r.resources ?? []).some((res) =>
          [
            'pods/exec',
            'pods/attach',
            'serviceaccounts/token',
            'nodes',
            'nodes/proxy',
            'clusterroles',
            'clusterrolebindings',
            'rolebindings',
            'roles',
          ].includes(res),
        ),
    );
    expect(dangerous).toEqual([]);
  });

  test('Secrets: only the webhook reads one by name cluster-wide; writes only its own, in its namespace', () => {
    const secretRules = rules.filter((r) => r.resources?.includes('secrets'));
    expect(secretRules).toEqual([
      // The cross-object check "the referenced TLS secret exists" (ADR 0008): get, never list or watch.
      { role: 'ClusterRole/kubeless-webhook', apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
      { role: 'Role/kubeless-webhook', apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      {
        role: 'Role/kubeless-webhook',
        apiGroups: [''],
        resources: ['secrets'],
        resourceNames: ['kubeless-webhook-certs'],
        verbs: ['get', 'update'],
      },
    ]);
  });

  test('user roles: view cannot invoke (it runs code); neither reaches beyond kubeless.io', () => {
    const role = (name: string) => roles.find((r) => r.metadata.name === name)!;
    const groups = (name: string) => new Set((role(name).rules ?? []).flatMap((r) => r.apiGroups ?? []));
    expect([...groups('kubeless-view')].sort()).toEqual(['kubeless.io', 'subresources.kubeless.io']);
    expect([...groups('kubeless-edit')].sort()).toEqual(['kubeless.io', 'subresources.kubeless.io']);
    expect((role('kubeless-view').rules ?? []).flatMap((r) => r.resources ?? [])).not.toContain(
      'functions/invoke',
    );
    expect(role('kubeless-edit').metadata.labels).toMatchObject({
      'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
    });
    expect(role('kubeless-view').metadata.labels).toMatchObject({
      'rbac.authorization.k8s.io/aggregate-to-view': 'true',
    });
  });

  test('every component runs as its own service account, bound only to its own role', () => {
    for (const d of objs.filter((o) => o.kind === 'Deployment')) {
      const sa = d.spec!.template!.spec.serviceAccountName;
      expect({ d: d.metadata.name, sa }).toEqual({ d: d.metadata.name, sa: d.metadata.name });
    }
    // The complete list: a new binding must be added here on purpose.
    const bindings = objs
      .filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')
      .map(
        (b) =>
          `${b.kind} ${b.roleRef?.name} -> ${(b.subjects ?? []).map((x) => `${x.kind}/${x.name}`).join(',')}`,
      )
      .sort();
    expect(bindings).toEqual(
      [
        'ClusterRoleBinding kubeless-api -> ServiceAccount/kubeless-api',
        // Delegated authentication and authorization: TokenReview and SubjectAccessReview.
        'ClusterRoleBinding system:auth-delegator -> ServiceAccount/kubeless-api',
        'ClusterRoleBinding kubeless-controller -> ServiceAccount/kubeless-controller',
        'ClusterRoleBinding kubeless-kafka-trigger -> ServiceAccount/kubeless-kafka-trigger',
        'ClusterRoleBinding kubeless-webhook -> ServiceAccount/kubeless-webhook',
        // The front proxy's CA, in kube-system's extension-apiserver-authentication ConfigMap.
        'RoleBinding extension-apiserver-authentication-reader -> ServiceAccount/kubeless-api',
        'RoleBinding kubeless-controller-leader -> ServiceAccount/kubeless-controller',
        'RoleBinding kubeless-webhook -> ServiceAccount/kubeless-webhook',
        // helm test: a user with the built-in edit role, in its own namespace.
        'RoleBinding edit -> ServiceAccount/kubeless-helm-test',
      ].sort(),
    );
  });
});
