import { ANY, type ScopeConfig, SELF } from './config/scope.ts';
import type { Environment } from './runtime.ts';

/** Where an event comes from. */
interface Origin {
  account: string;
  region: string;
}

/** Why an event is outside the scope: the field and the value (bounded) that is not listed. */
type OutOfScope = {
  field: 'scope.accounts' | 'scope.regions' | 'scope.partitions';
  value: string;
};

// Region prefixes of the partitions other than aws (the ARN partition of each region).
const PARTITIONS: readonly [string, string][] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'],
  ['eusc-', 'aws-eusc'],
];

/** The partition a region belongs to. */
const partitionOf = (region: string): string =>
  PARTITIONS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';

/**
 * The stack's own account, region and partition, as Lambda and serverless.yml give them
 * (HARBORMASTER_ACCOUNT_ID and HARBORMASTER_PARTITION from the template, AWS_REGION from Lambda).
 */
const ownOrigin = (env: Environment) => ({
  account: env.HARBORMASTER_ACCOUNT_ID,
  region: env.AWS_REGION,
  partition:
    env.HARBORMASTER_PARTITION ?? (env.AWS_REGION ? partitionOf(env.AWS_REGION) : undefined),
});

// "self" names the stack's own value; outside Lambda, where the environment does not say it, it
// matches anything (tests, replays and the local host run events from many accounts).
const allows = (listed: readonly string[], value: string, own: string | undefined): boolean =>
  listed.some(
    (entry) => entry === ANY || entry === value || (entry === SELF && (own ?? value) === value),
  );

/** Why an event from `origin` is outside the configured scope, or undefined when it is inside. */
const outOfScope = (
  origin: Origin,
  scope: ScopeConfig | undefined,
  env: Environment,
): OutOfScope | undefined => {
  if (!scope) return undefined;
  const own = ownOrigin(env);
  if (!allows(scope.accounts, origin.account, own.account))
    return { field: 'scope.accounts', value: origin.account.slice(0, 64) };
  if (!allows(scope.regions, origin.region, own.region))
    return { field: 'scope.regions', value: origin.region.slice(0, 64) };
  const partition = partitionOf(origin.region);
  if (!allows(scope.partitions, partition, own.partition))
    return { field: 'scope.partitions', value: partition };
  return undefined;
};

/**
 * True when `value` matches an IAM-style pattern: `*` any run of characters, `?` one. Greedy with
 * one backtrack point (the last star), so linear in practice and at worst the product of the two
 * lengths, which configuration and ECS names bound to a few hundred characters.
 */
const matchesIamPattern = (value: string, pattern: string): boolean => {
  let v = 0;
  let p = 0;
  let star = -1;
  let mark = 0;
  while (v < value.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === value[v])) {
      v += 1;
      p += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      mark = v;
      p += 1;
    } else if (star !== -1) {
      p = star + 1;
      mark += 1;
      v = mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
};

/**
 * True when a task definition family is one the scope lets Harbormaster change. IAM cannot hold
 * DeregisterTaskDefinition to families (it takes no resource and no condition key), so the
 * enforcer asks this before it deregisters. Packaging refuses a deployment whose scope names no
 * family; offline (tests, replays, the local host) a scope that names none leaves every family in.
 */
const familyInScope = (
  scope: { taskFamilies: readonly string[] } | undefined,
  family: string,
): boolean =>
  !scope ||
  scope.taskFamilies.length === 0 ||
  scope.taskFamilies.some((pattern) => matchesIamPattern(family, pattern));

export { familyInScope, matchesIamPattern, type OutOfScope, outOfScope, partitionOf };
