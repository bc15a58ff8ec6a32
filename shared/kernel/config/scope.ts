import * as v from 'valibot';
import { lazy, list } from '../events/schema-helpers.ts';

/** The stack's own account, region or partition (from the function's environment). */
const SELF = 'self';
/** Any value: an event from anywhere, or (for IAM) every cluster, family or role. */
const ANY = '*';

const entries = (pattern: RegExp, what: string, fallback: string[]) =>
  v.optional(
    v.pipe(
      list(v.pipe(v.string(), v.regex(pattern, `expected ${what}, "${SELF}" or "${ANY}"`)), 100),
      v.minLength(1, `expected at least one value ("${ANY}" for any)`),
    ),
    fallback,
  );

const names = (pattern: RegExp, what: string) =>
  v.optional(
    list(v.pipe(v.string(), v.regex(pattern, `expected ${what}, or "${ANY}" for all`)), 100),
    [],
  );

// IAM resource patterns: names with the * and ? wildcards, or full ARNs.
const CLUSTER =
  /^(\*|[\w*?-]{1,255}|arn:aws[\w-]*:ecs:[\w*?-]+:(\d{12}|\*):cluster\/[\w*?-]{1,255})$/;
const FAMILY = /^(\*|[\w*?-]{1,255})$/;
const ROLE =
  /^(\*|[\w+=,.@*?/-]{1,512}|arn:aws[\w-]*:iam::(\d{12}|\*):role\/[\w+=,.@*?/-]{1,512})$/;

/**
 * The `scope` section: where Harbormaster acts. Events from other accounts, regions or partitions
 * are dropped at intake (logged, counted in EventsOutOfScope); the roles of the functions that
 * change ECS may change only the clusters and task families named here, and pass only these roles
 * (checked and turned into IAM statements at packaging, infra/stack/ecs-roles.ts).
 */
const scopeSection = lazy(() =>
  v.optional(
    v.strictObject({
      accounts: entries(/^(\d{12}|self|\*)$/, 'a 12-digit account id', [SELF]),
      regions: entries(/^([a-z]{2,4}(-[a-z]+)+-\d{1,2}|self|\*)$/, 'a region such as eu-west-1', [
        SELF,
      ]),
      partitions: entries(/^(aws(-[a-z]+)*|self|\*)$/, 'a partition such as aws or aws-cn', [SELF]),
      /** Clusters whose services may be rolled back and whose tasks stopped (names or ARNs). */
      clusters: names(CLUSTER, 'a cluster name or ARN (IAM wildcards * and ? allowed)'),
      /** Task definition families that may be tagged, and rolled back to. */
      taskFamilies: names(FAMILY, 'a task definition family (IAM wildcards * and ? allowed)'),
      /** Roles (names, paths or ARNs) a rollback may pass to ECS tasks. */
      passRoles: names(ROLE, 'a role name or ARN (IAM wildcards * and ? allowed)'),
    }),
    {},
  ),
);

/** The `scope` section as validated. */
type ScopeConfig = v.InferOutput<ReturnType<typeof scopeSection>>;

export { ANY, type ScopeConfig, SELF, scopeSection };
