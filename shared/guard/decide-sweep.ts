import { act, type Decision, ignore } from '#kernel/decision.ts';
import type { EventOfKind } from '#kernel/events/parse.ts';
import type { GuardAction } from './actions/index.ts';
import type { GuardConfig } from './config.ts';
import { factsAbout, referencedDeployments } from './deployment-facts.ts';
import { phaseOf } from './deployments.ts';
import { attributableFailures } from './failures.ts';
import { planRollback } from './plan-rollback.ts';
import type { DeploymentWatch } from './records.ts';
import type { DeploymentFacts, GuardState } from './state.ts';
import { deadlineOf, deadlineTrigger } from './triggers/deadline.ts';
import { ecsFailureTrigger } from './triggers/ecs-failure.ts';
import { afterCompletion, CLEANUP_MS } from './watches.ts';

type ScheduledEvent = EventOfKind<'scheduled'>;

const end = (watch: DeploymentWatch, why: string) => ({
  reason: why,
  actions: [{ type: 'end-watch', watch } as GuardAction],
});

/** After a trigger fired without a rollback: the watch stays for the alarms, due at its cleanup. */
const keepForCleanup = (
  watch: DeploymentWatch,
  outcome: { actions: GuardAction[] },
  now: number,
): GuardAction[] =>
  outcome.actions.some((a) => a.type === 'end-watch')
    ? []
    : [
        {
          type: 'update-watch',
          watch: { ...watch, deadlineAt: undefined },
          dueAt: new Date(now + CLEANUP_MS).toISOString(),
        },
      ];

/** One due watch: its deadline, the end of its bake time, or its cleanup. */
const sweepOne = (
  j: DeploymentFacts,
  watch: DeploymentWatch,
): { reason: string; actions: GuardAction[] } => {
  const name = `${j.cluster}/${j.service} deployment ${j.deploymentId}`;
  const now = j.now.getTime();
  if (!j.deployment) return end(watch, `${name} is gone from ECS`);
  const phase = phaseOf(j);
  if (watch.bakeUntil)
    return Date.parse(watch.bakeUntil) <= now
      ? end(watch, `${name} baked without trouble`)
      : { reason: `${name} is still baking`, actions: [] };
  if (j.deployment.rolloutState === 'COMPLETED' && phase !== 'superseded') {
    // The COMPLETED event was missed or is late: start the bake time from ECS's word.
    const at = j.deployment.updatedAt?.toISOString() ?? j.now.toISOString();
    return { reason: `${name} completed`, actions: afterCompletion(j, at) };
  }
  if (phase === 'superseded' || phase === 'over') return end(watch, `${name} is ${phase}`);
  const failures = attributableFailures(j.deployment, j.stoppedTasks);
  if (phase === 'failed') {
    // ECS failed it and has not rolled back (it was due to by now, or never was).
    const failedByEcs = ecsFailureTrigger(j, j.deployment.rolloutStateReason, failures);
    const outcome = failedByEcs ? planRollback(j, failedByEcs) : undefined;
    if (outcome?.retryAt) {
      const dueAt = outcome.retryAt.toISOString();
      return {
        reason: `${name}: ${outcome.reason}`,
        actions: [{ type: 'update-watch', watch, dueAt }],
      };
    }
    if (outcome && outcome.actions.length > 0) {
      const actions = [...outcome.actions, ...keepForCleanup(watch, outcome, now)];
      return { reason: `${name}: ${outcome.reason}`, actions };
    }
  }
  const firing = deadlineTrigger(j, failures);
  const deadline = deadlineOf(j);
  if (!firing) {
    // Not due yet (the deadline moved with the settings), or no deadline: the cleanup is next.
    if (j.settings.deadline.mode !== 'off' && deadline && deadline.getTime() > now) {
      const moved = { ...watch, deadlineAt: deadline.toISOString() };
      return {
        reason: `${name}: deadline moved to ${moved.deadlineAt}`,
        actions: [{ type: 'update-watch', watch: moved, dueAt: deadline.toISOString() }],
      };
    }
    const cleanup = Date.parse(watch.startedAt) + CLEANUP_MS;
    if (cleanup <= now) return end(watch, `${name} was watched for a day`);
    const quiet = { ...watch, deadlineAt: undefined };
    const dueAt = new Date(cleanup).toISOString();
    return {
      reason: `${name}: no deadline`,
      actions: [{ type: 'update-watch', watch: quiet, dueAt }],
    };
  }
  // The deadline fires once.
  const outcome = planRollback(j, firing);
  const actions = [...outcome.actions, ...keepForCleanup(watch, outcome, now)];
  return { reason: `${name}: ${outcome.reason}`, actions };
};

/**
 * The one-minute sweep: for each watch falling due, fire the deadline trigger of a deployment not
 * COMPLETED in time, end the watch of one that baked without trouble, or clean up.
 */
const decideSweep = (
  event: ScheduledEvent,
  state: GuardState,
  _config: GuardConfig,
  now: Date,
): Decision<GuardAction> => {
  if (state.refs.length === 0) return ignore('no deadline or bake time is due');
  const reasons: string[] = [];
  const actions: GuardAction[] = [];
  for (const { ref, watch, described } of referencedDeployments(state)) {
    if (!watch) continue;
    if (!described) {
      actions.push({ type: 'end-watch', watch });
      reasons.push(`${ref.cluster}/${ref.service} no longer exists`);
      continue;
    }
    const outcome = sweepOne(factsAbout(event.meta, described, ref.deploymentId, now), watch);
    reasons.push(outcome.reason);
    actions.push(...outcome.actions);
  }
  return act(reasons.join('; ') || 'nothing due', actions);
};

export { decideSweep };
