import { act, type Decision, ignore } from '#kernel/decision.ts';
import type { EventOfKind } from '#kernel/events/parse.ts';
import type { GuardAction } from './actions/index.ts';
import { guardAlert, lifecycleAlert } from './alerts.ts';
import type { GuardConfig } from './config.ts';
import { factsAbout, known } from './deployment-facts.ts';
import {
  ECS_ROLLING_BACK,
  lastCompletedTaskDefinition,
  originOf,
  phaseOf,
  primaryOf,
  undoneDeploymentOf,
} from './deployments.ts';
import { attributableFailures } from './failures.ts';
import { planRollback } from './plan-rollback.ts';
import type { DeploymentWatch } from './records.ts';
import { ecsControllerOnly } from './rules/ecs-controller-only.ts';
import { verdictOf } from './rules/index.ts';
import { describeAlarms } from './settings.ts';
import type { DeploymentFacts, GuardState } from './state.ts';
import { alarmTrigger } from './triggers/alarm.ts';
import { ecsFailureTrigger } from './triggers/ecs-failure.ts';
import { afterCompletion, dueAtOf, newWatch } from './watches.ts';

type DeploymentEvent = EventOfKind<'deployment-state-change'>;
type Detail = DeploymentEvent['raw']['detail'];

const failuresOf = (j: DeploymentFacts) =>
  j.deployment ? attributableFailures(j.deployment, j.stoppedTasks) : [];

/** An alarm already in ALARM at the start: reported, and acted on if so configured. */
const alarmsAtStart = (
  j: DeploymentFacts,
  names: readonly string[],
  state: GuardState,
): GuardAction[] => {
  const inAlarm = names.filter((name) => state.alarmStates[name] === 'ALARM');
  if (inAlarm.length === 0) return [];
  const act = j.settings.alarms.alreadyInAlarm === 'act';
  const named = describeAlarms(j.settings, inAlarm);
  const report = guardAlert(j, 'alarm-already-in-alarm', {
    severity: 'warning',
    reason: act
      ? `${named} ${inAlarm.length === 1 ? 'was' : 'were'} already in ALARM when the deployment started; configured to act on it.`
      : `${named} ${inAlarm.length === 1 ? 'was' : 'were'} already in ALARM when the deployment started: it counts again once it returns to OK and goes back to ALARM during the deployment or its bake time.`,
    alarms: inAlarm,
    nextSteps: act
      ? []
      : [
          'Check the alarm: a deployment meant to fix it cannot be facts by it.',
          'To act on alarms already in ALARM, set deploymentGuard.alarms.alreadyInAlarm to act (or the harbormaster:guard:already-in-alarm tag).',
        ],
  });
  if (!act) return [report];
  const firing = alarmTrigger(j, inAlarm, 'was already in ALARM when the deployment started.', []);
  return [report, ...(firing ? planRollback(j, firing).actions : [])];
};

const started = (j: DeploymentFacts, detail: Detail, state: GuardState): Decision<GuardAction> => {
  const rollingBack = ECS_ROLLING_BACK.test(detail.reason ?? '');
  const origin = rollingBack ? 'ecs-rollback' : originOf(j);
  const actions: GuardAction[] = [];
  if (origin === 'deployment')
    actions.push(lifecycleAlert(j, 'started', detail, lastCompletedTaskDefinition(j)));
  if (origin === 'ecs-rollback')
    actions.push(lifecycleAlert(j, 'rollback-started', detail, undefined));
  const phase = phaseOf(j);
  if (phase === 'over' || phase === 'superseded')
    return act(`deployment ${j.deploymentId} is no longer current: not watched`, actions);
  const unguarded = verdictOf(ecsControllerOnly, {
    facts: j,
    origin,
    target: undefined,
    failedTaskDefinitions: new Set(),
  });
  if (unguarded) {
    actions.push(
      guardAlert(j, 'not-guarded', {
        severity: 'info',
        reason: `Not guarded: ${unguarded.reason}.`,
        nextSteps: unguarded.nextSteps,
      }),
    );
    return act(`not guarded: ${unguarded.reason}`, actions);
  }
  // An ECS rollback reuses an earlier deployment: its start is now, not that deployment's creation.
  const startedAt =
    origin === 'deployment'
      ? (j.deployment?.createdAt?.toISOString() ?? j.now.toISOString())
      : new Date(detail.updatedAt).toISOString();
  const watch = { ...newWatch(j, startedAt), origin };
  actions.push({ type: 'watch-deployment', watch, dueAt: dueAtOf(watch) });
  if (origin === 'deployment') actions.push(...alarmsAtStart(j, watch.alarms, state));
  return act(`${origin} ${j.deploymentId} started: ${watchedText(j, watch)}`, actions);
};

/** What the watch covers, in words: never "watched until" a time already past. */
const watchedText = (j: DeploymentFacts, watch: DeploymentWatch): string => {
  const dueAt = dueAtOf(watch);
  const when =
    watch.deadlineAt && Date.parse(watch.deadlineAt) <= j.now.getTime()
      ? `watched; its deadline ${watch.deadlineAt} had passed when this event arrived (the next sweep decides)`
      : watch.deadlineAt
        ? `watched until its deadline, ${dueAt}`
        : `watched (no deadline) until ${dueAt}`;
  const alarms =
    watch.alarms.length > 0 ? `; alarms ${describeAlarms(j.settings, watch.alarms)}` : '';
  const ignored = j.settings.alarms.ignored;
  const off =
    ignored.length > 0
      ? `; not watching ${ignored.join(', ')}: the service's deploymentConfiguration.alarms has enable false`
      : '';
  return `${when}${alarms}${off}`;
};

const completed = (j: DeploymentFacts, detail: Detail): Decision<GuardAction> => {
  const known = originOf(j);
  const undone = known === 'deployment' ? undoneDeploymentOf(j) : undefined;
  const origin = undone ? 'ecs-rollback' : known;
  // The rollback's alert continues the thread of the deployment it undoes.
  const facts: DeploymentFacts = undone
    ? {
        ...j,
        watch: { ...(j.watch ?? newWatch(j, j.now.toISOString())), origin, rollbackOf: undone },
      }
    : j;
  const alert =
    origin === 'deployment'
      ? lifecycleAlert(j, 'completed', detail, undefined)
      : guardAlert(facts, 'rollback-completed', {
          severity: 'info',
          reason: `The ${origin === 'ecs-rollback' ? 'rollback by ECS' : 'rollback'} completed.`,
          occurrence: detail.updatedAt,
        });
  const current = j.deployment?.status === 'PRIMARY';
  const watches = current ? afterCompletion(j, new Date(detail.updatedAt).toISOString()) : [];
  return act(`${origin} ${j.deploymentId} completed`, [alert, ...watches]);
};

const failed = (j: DeploymentFacts, detail: Detail): Decision<GuardAction> => {
  const alert = lifecycleAlert(j, 'failed', detail, undefined);
  const primary = primaryOf(j);
  if (
    primary &&
    primary.id !== j.deploymentId &&
    ECS_ROLLING_BACK.test(primary.rolloutStateReason ?? '')
  )
    return act('ECS is rolling back by itself: reported, not interfered with', [alert]);
  if (j.deployment?.status !== 'PRIMARY')
    return act(`deployment ${j.deploymentId} is no longer current`, [alert]);
  const firing = ecsFailureTrigger(j, detail.reason, failuresOf(j));
  if (!firing) return act('ECS failed the deployment; the ecs-failure trigger is off', [alert]);
  const outcome = planRollback(j, firing);
  // ECS promised a rollback: the sweep looks again once its grace period is over.
  const recheck: GuardAction[] =
    outcome.retryAt && j.watch
      ? [{ type: 'update-watch', watch: j.watch, dueAt: outcome.retryAt.toISOString() }]
      : [];
  return act(outcome.reason, [alert, ...outcome.actions, ...recheck]);
};

/**
 * An ECS Deployment State Change. The guard owns the deployment's lifecycle alerts (started, ECS
 * rolling back, failed, completed) so that each is sent once, in the deployment's thread; it starts
 * and ends the watch of the deployment; and it rolls back a deployment ECS failed without rolling
 * back.
 */
const decideDeploymentEvent = (
  event: DeploymentEvent,
  state: GuardState,
  config: GuardConfig,
  now: Date,
): Decision<GuardAction> => {
  const detail = event.raw.detail;
  const snapshot = known(state.services[0]);
  if (!snapshot) return ignore('the service is not described');
  const j = factsAbout(event.meta, snapshot, detail.deploymentId, now);
  const decision = decideLifecycle(j, detail, state);
  if (config.alerts.deploymentEvents.enabled) return decision;
  // Lifecycle alerts turned off (alerts.deploymentEvents.enabled): the guard still acts and warns.
  return act(
    decision.reason,
    decision.actions.filter((a) => a.type !== 'notify' || a.alert.kind !== 'deployment-event'),
  );
};

const decideLifecycle = (
  j: DeploymentFacts,
  detail: Detail,
  state: GuardState,
): Decision<GuardAction> => {
  switch (detail.eventName) {
    case 'SERVICE_DEPLOYMENT_IN_PROGRESS':
      return started(j, detail, state);
    case 'SERVICE_DEPLOYMENT_COMPLETED':
      return completed(j, detail);
    case 'SERVICE_DEPLOYMENT_FAILED':
      return failed(j, detail);
    default:
      return ignore(`${detail.eventName} is not a deployment state the guard acts on`);
  }
};

export { decideDeploymentEvent };
