import type { Policy } from './config.ts';
import { matchesAnyGlob, matchesGlob } from './glob.ts';

/** What is known about the resource a policy might apply to; undefined means not known (offline). */
interface ScopeFacts {
  cluster?: string | undefined;
  service?: string | undefined;
  family?: string | undefined;
  /** The resource's tags merged over its task definition's. */
  tags: Readonly<Record<string, string>>;
}

const criterion = (globs: readonly string[] | undefined, value: string | undefined): boolean =>
  globs === undefined || value === undefined || matchesAnyGlob(value, globs);

/**
 * True when the policy's scope covers the resource: every criterion it sets matches (clusters,
 * services and families by glob; each scoped tag by a glob on its value). A criterion whose fact is
 * unknown (the CLI knows no cluster) is not applied.
 */
const inScope = (scope: Policy['scope'], facts: ScopeFacts): boolean =>
  criterion(scope.clusters, facts.cluster) &&
  criterion(scope.services, facts.service) &&
  criterion(scope.families, facts.family) &&
  Object.entries(scope.tags ?? {}).every(([key, glob]) => {
    const value = facts.tags[key];
    return value !== undefined && matchesGlob(value, glob);
  });

export { inScope, type ScopeFacts };
