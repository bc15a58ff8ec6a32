import { act, type Decision, ignore } from '#kernel/decision.ts';
import type { EventOfKind } from '#kernel/events/parse.ts';
import type { GuardAction } from './actions/index.ts';
import type { GuardConfig } from './config.ts';
import { factsAbout, referencedDeployments } from './deployment-facts.ts';
import { phaseOf } from './deployments.ts';
import { attributableFailures } from './failures.ts';
import { planRollback } from './plan-rollback.ts';
import type { GuardState } from './state.ts';
import { alarmTrigger } from './triggers/alarm.ts';

type AlarmEvent = EventOfKind<'alarm-state-change'>;

/** Why an alarm event needs no look at the guard's table; shared by load and decide. */
/**
 * A CloudWatch alarm went to ALARM: every deployment watching it that is still in progress, or
 * in its bake time after completion, fires the alarm trigger.
 */
const decideAlarm = (
  event: AlarmEvent,
  state: GuardState,
  _config: GuardConfig,
  now: Date,
): Decision<GuardAction> => {
  const { alarmName, state: alarm } = event.raw.detail;
  if (state.refs.length === 0) return ignore(`no deployment watches ${alarmName}`);
  const reasons: string[] = [];
  const actions: GuardAction[] = [];
  for (const { ref, watch, described } of referencedDeployments(state)) {
    if (!described) {
      if (watch) actions.push({ type: 'end-watch', watch });
      reasons.push(`${ref.cluster}/${ref.service} no longer exists`);
      continue;
    }
    const j = factsAbout(event.meta, described, ref.deploymentId, now);
    const phase = phaseOf(j);
    if (!j.deployment || phase === 'over' || phase === 'superseded') {
      reasons.push(`${ref.cluster}/${ref.service} deployment ${ref.deploymentId} is ${phase}`);
      continue;
    }
    const failures = attributableFailures(j.deployment, j.stoppedTasks);
    const when =
      phase === 'baking'
        ? 'during the bake time after the deployment completed'
        : 'during the deployment';
    const firing = alarmTrigger(
      j,
      [alarmName],
      `went to ALARM ${when}${alarm.reason ? `: ${alarm.reason}` : '.'}`,
      failures,
    );
    if (!firing) {
      reasons.push(`${ref.cluster}/${ref.service}: the alarm trigger is off`);
      continue;
    }
    const outcome = planRollback(j, firing);
    reasons.push(`${ref.cluster}/${ref.service}: ${outcome.reason}`);
    actions.push(...outcome.actions);
  }
  return act(reasons.join('; '), actions);
};

export { decideAlarm };
