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

// A segment (no *) at `at`: `?` matches any one character.
const segmentAt = (value: string, at: number, segment: string): boolean => {
  for (let k = 0; k < segment.length; k += 1) {
    if (segment[k] !== '?' && segment[k] !== value[at + k]) return false;
  }
  return true;
};

// The leftmost place from `from` where a segment fits before `end`, or -1.
const find = (value: string, segment: string, from: number, end: number): number => {
  if (!segment.includes('?')) {
    const at = value.indexOf(segment, from);
    return at !== -1 && at + segment.length <= end ? at : -1;
  }
  for (let at = from; at + segment.length <= end; at += 1) {
    if (segmentAt(value, at, segment)) return at;
  }
  return -1;
};

/**
 * True when `value` matches an IAM-style pattern: `*` any run of characters, `?` one. The pattern
 * splits at its stars; the first part must start the value, the last end it, and each part between
 * is taken at its leftmost place (which is always safe for `*`). No backtracking: one pass over the
 * value per part, so linear in the value for a configured pattern.
 */
const matchesIamPattern = (value: string, pattern: string): boolean => {
  const parts = pattern.split('*');
  const first = parts[0] ?? '';
  if (parts.length === 1) return value.length === first.length && segmentAt(value, 0, first);
  const last = parts[parts.length - 1] ?? '';
  const end = value.length - last.length;
  if (end < first.length || !segmentAt(value, 0, first) || !segmentAt(value, end, last))
    return false;
  let at = first.length;
  for (const middle of parts.slice(1, -1)) {
    const found = find(value, middle, at, end);
    if (found === -1) return false;
    at = found + middle.length;
  }
  return true;
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
