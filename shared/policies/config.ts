import * as v from 'valibot';
import type { DeploymentGuardConfig } from '#guard/config.ts';
import { SEVERITIES } from '#kernel/alerts/model.ts';
import type { ScopeConfig } from '#kernel/config/scope.ts';
import { int, lazy, list, opt, refined } from '#kernel/events/schema-helpers.ts';
import { POLICY_ACTIONS } from './actions/index.ts';
import { OPERATOR_NAMES, operandProblem } from './operators.ts';
import { RULE_IDS, ruleById } from './rules/index.ts';
import { KEY_SYNTAX } from './value-path.ts';

/** What a policy applies to, in Cloud Custodian's resource names. */
const POLICY_RESOURCES = ['ecs-task-definition', 'ecs-service', 'ecs-task'] as const;
type PolicyResource = (typeof POLICY_RESOURCES)[number];

/** audit logs findings; notify also alerts; enforce also runs the policy's actions. */
const POLICY_MODES = ['audit', 'notify', 'enforce'] as const;
type PolicyMode = (typeof POLICY_MODES)[number];

/** The documents each resource's evaluation reads (the rest are absent). */
const RESOURCE_TARGETS: Record<PolicyResource, readonly string[]> = {
  'ecs-task-definition': ['taskDefinition'],
  'ecs-service': ['taskDefinition', 'service'],
  'ecs-task': ['taskDefinition', 'run'],
};

/** The action types each resource supports (run in enforce mode only), from the registry. */
const resourceActions = (resource: PolicyResource): string[] =>
  POLICY_ACTIONS.filter((kind) => kind.resource === resource).map((kind) => kind.type);

/** A value filter's `target`, as the documents are named in configuration. */
const VALUE_TARGETS = {
  'task-definition': 'taskDefinition',
  service: 'service',
  run: 'run',
} as const;

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
// ECS tag keys: up to 128 letters, digits, spaces and + - = . _ : / @; "aws:" is reserved.
const TAG_KEY = /^(?!aws:)[\p{L}\p{N} +\-=._:/@]{1,128}$/iu;

const name = (what: string) =>
  v.pipe(v.string(), v.regex(NAME, `expected a ${what} of lowercase letters, digits and hyphens`));
const globs = () => list(v.pipe(v.string(), v.minLength(1)), 100);
const severity = () => v.picklist(SEVERITIES);

// The schemas are built on first use: a configuration without policies never pays for them.
const valueFilterSchema = lazy(() =>
  refined(
    v.strictObject({
      type: v.literal('value'),
      /** The finding's rule id: what reports, alerts and SARIF call this check. */
      id: name('value filter id'),
      description: opt(v.pipe(v.string(), v.maxLength(500))),
      target: v.optional(v.picklist(['task-definition', 'service', 'run']), 'task-definition'),
      key: v.pipe(
        v.string(),
        v.regex(KEY_SYNTAX, 'expected a key such as containerDefinitions[].image'),
      ),
      op: v.picklist(OPERATOR_NAMES),
      value: v.optional(v.unknown()),
      severity: opt(severity()),
    }),
    (filter, report) => {
      const problem = operandProblem(filter.op, filter.value);
      if (problem) report(['value'], problem);
      if (ruleById(filter.id)) {
        report(['id'], `"${filter.id}" is a built-in rule; give the value filter another id`);
      }
    },
  ),
);

/** A value filter: a user's own rule on one key of a document (Cloud Custodian's value filter). */
type ValueFilter = v.InferOutput<ReturnType<typeof valueFilterSchema>>;

/** A built-in rule in a policy, with its options (validated by the rule's own option shape). */
interface RuleFilter {
  readonly type: string;
  readonly severity?: (typeof SEVERITIES)[number] | undefined;
  readonly [option: string]: unknown;
}

/** One entry of a policy's `filters`. */
type PolicyFilter = ValueFilter | RuleFilter;

/** True for a value filter (the other filters name a built-in rule). */
const isValueFilter = (filter: PolicyFilter): filter is ValueFilter => filter.type === 'value';

const UNKNOWN_FILTER = `unknown filter type: expected a built-in rule (${RULE_IDS.join(', ')}) or "value"`;

/** The schema of one rule's filters, built the first time a policy uses the rule. */
const ruleFilterSchemas = new Map<string, v.GenericSchema>();
const ruleFilterSchema = (id: string): v.GenericSchema => {
  let schema = ruleFilterSchemas.get(id);
  if (!schema) {
    const rule = ruleById(id);
    schema = v.strictObject({
      type: v.literal(id),
      severity: opt(severity()),
      ...rule?.options(),
    });
    ruleFilterSchemas.set(id, schema);
  }
  return schema;
};

/** A filter: validated by its type's schema alone, so only the rules in use are ever built. */
const filterSchema = lazy(
  () =>
    v.lazy((input) => {
      const type = (input as { type?: unknown } | undefined)?.type;
      if (type === 'value') return valueFilterSchema();
      if (typeof type === 'string' && ruleById(type)) return ruleFilterSchema(type);
      return v.looseObject({ type: v.literal('value', UNKNOWN_FILTER) });
    }) as unknown as v.GenericSchema<PolicyFilter>,
);

/** A policy's action as written: its type, and the options that action's registry entry accepts. */
type PolicyActionInput = { type: string } & Record<string, unknown>;

// Typed loosely on purpose: each action's options are its own (./actions/*.ts), and the policy
// type must not depend on the registry that depends on it.
const actionSchema: () => v.GenericSchema<PolicyActionInput> = lazy(
  () =>
    v.variant(
      'type',
      POLICY_ACTIONS.map((kind) =>
        v.strictObject({ type: v.literal(kind.type), ...kind.options() }),
      ) as unknown as [
        v.StrictObjectSchema<{ type: v.LiteralSchema<string, undefined> }, undefined>,
      ],
      `unknown action type: expected ${POLICY_ACTIONS.map((kind) => `${kind.type} (${kind.resource})`).join(', ')}`,
    ) as unknown as v.GenericSchema<PolicyActionInput>,
);

const policySchema = lazy(() =>
  refined(
    v.strictObject({
      name: name('policy name'),
      description: opt(v.pipe(v.string(), v.maxLength(1000))),
      resource: v.picklist(POLICY_RESOURCES),
      mode: v.optional(v.picklist(POLICY_MODES), 'notify'),
      /** The severity of this policy's alerts; by default the highest of its failing findings'. */
      severity: opt(severity()),
      scope: v.optional(
        v.strictObject({
          clusters: opt(globs()),
          services: opt(globs()),
          families: opt(globs()),
          /** Tag key -> value glob; every one must match the resource's (or its task definition's) tags. */
          tags: opt(v.record(v.pipe(v.string(), v.minLength(1)), v.string())),
        }),
        {},
      ),
      filters: v.pipe(
        list(filterSchema(), 100),
        v.minLength(1, 'a policy needs at least one filter'),
      ),
      actions: v.optional(list(actionSchema(), 10), []),
    }),
    (p, issue) => {
      const targets = RESOURCE_TARGETS[p.resource];
      if (p.resource !== 'ecs-service' && p.scope.services) {
        issue(['scope', 'services'], `an ${p.resource} policy cannot be scoped to services`);
      }
      if (p.resource === 'ecs-task-definition' && p.scope.clusters) {
        issue(['scope', 'clusters'], 'a task definition belongs to no cluster');
      }
      const ids = new Set<string>();
      p.filters.forEach((f, i) => {
        const id = isValueFilter(f) ? f.id : f.type;
        if (ids.has(id)) issue(['filters', i], `"${id}" appears twice in this policy`);
        ids.add(id);
        if (isValueFilter(f)) {
          const target = VALUE_TARGETS[f.target];
          if (!targets.includes(target)) {
            issue(['filters', i, 'target'], `an ${p.resource} policy has no ${f.target} to read`);
          }
          return;
        }
        const rule = ruleById(f.type);
        if (rule && !rule.targets.some((t) => targets.includes(t))) {
          issue(
            ['filters', i, 'type'],
            `${f.type} reads the ${rule.targets.join(' or ')}, which an ${p.resource} policy does not have`,
          );
        }
      });
      p.actions.forEach((a, i) => {
        const allowed = resourceActions(p.resource);
        if (!allowed.includes(a.type)) {
          issue(
            ['actions', i, 'type'],
            `${a.type} does not apply to ${p.resource} (use ${allowed.join(' or ')})`,
          );
        }
      });
    },
  ),
);

/** `policies:` in the configuration file: Cloud Custodian-shaped policies, checked at load. */
const policiesSection = lazy(() =>
  v.optional(
    v.lazy(() =>
      refined(list(policySchema(), 200), (policies, report) => {
        const seen = new Set<string>();
        policies.forEach((p, i) => {
          if (seen.has(p.name)) report([i, 'name'], `another policy is already named "${p.name}"`);
          seen.add(p.name);
        });
      }),
    ),
    [],
  ),
);

const DEFAULT_OWN_PRINCIPALS = ['arn:aws:sts::*:assumed-role/*/harbormaster-*'];

const enforcementObject = lazy(() =>
  v.strictObject({
    /** Tag key (prefix) that exempts a resource: `<tag>` (every policy), `<tag>:<policy or rule>`. */
    exemptionTag: v.optional(
      v.pipe(v.string(), v.regex(TAG_KEY, 'expected an ECS tag key (not starting with aws:)')),
      'harbormaster:exempt',
    ),
    /**
     * Principal ARN globs whose CloudTrail calls are Harbormaster's own (Lambda sessions are named
     * after the function), so that its own UpdateService or RunTask never triggers it again.
     */
    ownPrincipals: v.optional(globs(), DEFAULT_OWN_PRINCIPALS),
    taskDefinitionCache: v.optional(
      v.strictObject({
        maxEntries: v.optional(int(1, 100_000), 500),
        /** Task definitions never change; their tags (exemptions) may, so they are re-read after this. */
        tagsTtlSeconds: v.optional(int(1, 86_400), 300),
      }),
      {},
    ),
  }),
);

/** `enforcement:` settings when the file has none (the schema's own defaults, tested equal). */
const DEFAULT_ENFORCEMENT: v.InferOutput<ReturnType<typeof enforcementObject>> = {
  exemptionTag: 'harbormaster:exempt',
  ownPrincipals: DEFAULT_OWN_PRINCIPALS,
  taskDefinitionCache: { maxEntries: 500, tagsTtlSeconds: 300 },
};

/**
 * `enforcement:` in the configuration file: how policies are enforced. Built only when the file
 * has the section, so that functions without policies do not pay for it at cold start.
 */
const enforcementSection = lazy(() =>
  v.optional(
    v.lazy(() => enforcementObject()),
    () => structuredClone(DEFAULT_ENFORCEMENT),
  ),
);

type Policy = v.InferOutput<ReturnType<typeof policySchema>>;
type PolicyAction = Policy['actions'][number];
type EnforcementConfig = v.InferOutput<ReturnType<typeof enforcementObject>>;

/** The configuration the policy enforcer's decisions read (the guard's, for the deployment-guard rule). */
interface PoliciesConfig {
  policies: Policy[];
  enforcement: EnforcementConfig;
  deploymentGuard: DeploymentGuardConfig;
  /** The families the enforcer may tag and deregister (scope.taskFamilies). */
  scope?: Pick<ScopeConfig, 'taskFamilies'> | undefined;
}

export {
  DEFAULT_ENFORCEMENT,
  type EnforcementConfig,
  enforcementSection,
  isValueFilter,
  POLICY_MODES,
  POLICY_RESOURCES,
  type PoliciesConfig,
  type Policy,
  type PolicyAction,
  type PolicyFilter,
  type PolicyMode,
  type PolicyResource,
  policiesSection,
  RESOURCE_TARGETS,
  type RuleFilter,
  resourceActions,
  VALUE_TARGETS,
  type ValueFilter,
};
