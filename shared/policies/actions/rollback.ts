import type { EcsPort } from '#aws/ecs/port.ts';
import { type RollbackAction, rollbackRunner } from '#guard/actions/rollback.ts';
import type { GuardStore } from '#guard/ports.ts';
import { revisionName } from '../enforcer/checkpoint.ts';
import type { LoadedRevision } from '../enforcer/load.ts';
import type { PolicyTarget } from '../enforcer/target.ts';
import type { PolicyEvaluation } from '../engine.ts';
import { type EvaluationContext, evaluatePolicy, taskDefinitionFailures } from '../engine.ts';
import { definePolicyAction } from './policy-action.ts';

/** The newest earlier revision that passes, as the task definition, every rolling-back policy. */
const compliantCandidate = (
  candidates: readonly LoadedRevision[],
  policies: readonly PolicyEvaluation[],
  target: PolicyTarget,
  context: Omit<EvaluationContext, 'tags'>,
): LoadedRevision | undefined =>
  candidates.find(
    (candidate) =>
      candidate.status !== 'INACTIVE' &&
      policies.every(
        (e) =>
          taskDefinitionFailures(
            evaluatePolicy(
              e.policy,
              { ...target.subject, taskDefinition: candidate.definition },
              { ...context, tags: { ...candidate.tags, ...target.facts.tags } },
            ),
          ).length === 0,
      ),
  );

/**
 * `rollback`: rolls a service deployed with a non-compliant revision back to the newest earlier
 * revision that complies, through the deployment guard's rollback (its record makes the rollback
 * happen once, and tells the guard never to roll that rollback back).
 *
 * ```yaml
 * actions: [{ type: rollback }]
 * ```
 */
const rollbackPolicyAction = definePolicyAction<
  RollbackAction,
  object,
  { ecs: EcsPort; guardStore: GuardStore }
>({
  type: 'rollback',
  resource: 'ecs-service',
  description: 'roll the service back to the newest earlier revision that complies',
  options: () => ({}),
  plan: ({ checkpoint, state, target, context, say }, asking) => {
    if (checkpoint.kind !== 'deploy' || asking.length === 0 || !state.revision) return [];
    const rolling = asking.map((a) => a.evaluation);
    const revisionFails = rolling.filter((e) => taskDefinitionFailures(e).length > 0);
    for (const e of rolling.filter((r) => !revisionFails.includes(r))) {
      say(
        [e],
        'no rollback: the failures are in the service\u2019s settings, which a rollback does not change',
      );
    }
    if (revisionFails.length === 0) return [];
    if (!checkpoint.changesTaskDefinition) {
      say(
        revisionFails,
        checkpoint.call === 'CreateService'
          ? 'no rollback: a new service has no earlier revision'
          : 'no rollback: UpdateService did not change the task definition',
      );
      return [];
    }
    const running = state.runningTaskDefinition;
    if (running && running !== state.revision.arn) {
      say(
        revisionFails,
        `no rollback: the service runs ${revisionName(running)} now (deployed since)`,
      );
      return [];
    }
    const candidate = compliantCandidate(state.rollbackCandidates, revisionFails, target, context);
    if (!candidate) {
      say(revisionFails, 'no rollback: the service ran no earlier revision that complies');
      return [];
    }
    const deploymentId = target.alertSubject.deploymentId;
    if (!deploymentId) {
      say(revisionFails, 'no rollback: ECS did not report the deployment to roll back');
      return [];
    }
    say(revisionFails, `roll the service back to ${revisionName(candidate.arn)}`);
    return [
      {
        type: 'rollback',
        cluster: checkpoint.cluster,
        service: checkpoint.service,
        taskDefinition: candidate.arn,
        record: {
          cluster: checkpoint.cluster,
          service: checkpoint.service,
          fromDeploymentId: deploymentId,
          fromTaskDefinition: state.revision.arn,
          toTaskDefinition: candidate.arn,
          trigger: 'policy',
          at: context.now.toISOString(),
          rollbackDeploymentId: undefined,
        },
      },
    ];
  },
  runner: rollbackRunner,
});

export { rollbackPolicyAction };
