import type { DeploymentGuardConfig } from '#guard/config.ts';
import { resolveGuardSettings } from '#guard/settings.ts';
import type { AlertSubject } from '#kernel/alerts/model.ts';
import { deploymentThreadId, serviceThreadId } from '#kernel/alerts/threads.ts';
import type { EventMeta } from '#kernel/events/parse.ts';
import type { PolicySubject } from '../documents.ts';
import type { ScopeFacts } from '../scope.ts';
import type { Checkpoint } from './checkpoint.ts';
import { revisionName } from './checkpoint.ts';
import type { PolicyState } from './load.ts';

/** What is checked, described for every use: rules, scope, alerts and deduplication. */
interface PolicyTarget {
  /** The resource in words, e.g. "task definition web:7". */
  resource: string;
  /** Identifies the occurrence for alert deduplication (one alert per revision and place). */
  key: string;
  subject: PolicySubject;
  facts: ScopeFacts;
  alertSubject: AlertSubject;
  threadId: string;
}

const slug = (value: string): string => value.replace(/[^A-Za-z0-9_.-]+/g, '-');

/** The target of a checkpoint whose revision was loaded; undefined when there is nothing to check. */
const targetOf = (
  checkpoint: Exclude<Checkpoint, { kind: 'skip' }>,
  state: PolicyState,
  meta: EventMeta,
  guard: DeploymentGuardConfig,
): PolicyTarget | undefined => {
  const revision = state.revision;
  if (!revision) return undefined;
  const name = revisionName(revision.arn);
  const family = name.split(':')[0];
  const base = { account: meta.account, region: meta.region, taskDefinition: revision.arn };
  switch (checkpoint.kind) {
    case 'register':
      return {
        resource: `task definition ${name}`,
        key: revision.arn,
        subject: { taskDefinition: revision.definition },
        facts: { family, tags: revision.tags },
        alertSubject: base,
        threadId: `policy-${slug(family ?? name)}`,
      };
    case 'deploy': {
      const { cluster, service } = checkpoint;
      const primary = state.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id;
      return {
        resource: `service ${cluster}/${service} (${name})`,
        key: `${cluster}/${service}|${revision.arn}`,
        subject: {
          taskDefinition: revision.definition,
          service: state.service,
          harbormasterGuard: resolveGuardSettings(guard, cluster, service, {
            tags: state.serviceTags,
            alarms: undefined,
          }).failedTasks.mode,
        },
        facts: { cluster, service, family, tags: { ...revision.tags, ...state.serviceTags } },
        alertSubject: { ...base, cluster, service, deploymentId: primary },
        threadId: primary
          ? deploymentThreadId(cluster, service, primary)
          : serviceThreadId(cluster, service),
      };
    }
    case 'run-task':
      return {
        resource: `RunTask of ${name} in ${checkpoint.cluster}`,
        key: `${checkpoint.cluster}|${revision.arn}`,
        subject: { taskDefinition: revision.definition, run: checkpoint.run },
        facts: {
          cluster: checkpoint.cluster,
          family,
          tags: { ...revision.tags, ...checkpoint.tags },
        },
        alertSubject: { ...base, cluster: checkpoint.cluster, taskArn: checkpoint.taskArns[0] },
        threadId: `policy-${slug(checkpoint.cluster)}-${slug(family ?? name)}`,
      };
    case 'task-start':
      return {
        resource: `task ${checkpoint.taskArn.split('/').pop()?.slice(0, 12)} of ${name} in ${checkpoint.cluster}`,
        // Scheduled tasks repeat: one alert per revision and cluster, each task still stopped.
        key: `${checkpoint.cluster}|${revision.arn}`,
        subject: { taskDefinition: revision.definition, run: checkpoint.run },
        facts: { cluster: checkpoint.cluster, family, tags: revision.tags },
        alertSubject: { ...base, cluster: checkpoint.cluster, taskArn: checkpoint.taskArn },
        threadId: `policy-${slug(checkpoint.cluster)}-${slug(family ?? name)}`,
      };
  }
};

export { type PolicyTarget, targetOf };
