import { taskDefinitionRef } from '#kernel/events/arn.ts';
import { familyInScope } from '#kernel/scope.ts';
import type { PolicyAction } from '../actions/index.ts';
import type { PoliciesConfig } from '../config.ts';
import {
  type EvaluationContext,
  evaluatePolicy,
  failingRules,
  type PolicyEvaluation,
  taskDefinitionFailures,
} from '../engine.ts';
import type { Checkpoint } from './checkpoint.ts';
import { revisionName } from './checkpoint.ts';
import type { LoadedRevision, PolicyState } from './load.ts';
import type { PolicyTarget } from './target.ts';

/** The actions enforce-mode policies ask for, and what each policy's alert says they do. */
interface Enforcement {
  actions: PolicyAction[];
  /** Policy name -> what Harbormaster does about it, in words. */
  words: Map<string, string[]>;
}

// ECS caps stoppedReason at 255 characters; the reason names the policy and its rules.
const stopReason = (evaluations: readonly PolicyEvaluation[]): string =>
  `Harbormaster policy ${evaluations
    .map((e) => `${e.policy.name} (${failingRules(e).join(', ')})`)
    .join('; ')}`.slice(0, 255);

const asks = (evaluation: PolicyEvaluation, type: string) =>
  evaluation.policy.actions.find((a) => a.type === type);

const say = (
  words: Map<string, string[]>,
  evaluations: readonly PolicyEvaluation[],
  text: string,
) => {
  for (const e of evaluations)
    words.set(e.policy.name, [...(words.get(e.policy.name) ?? []), text]);
};

const enforceRegistration = (
  arn: string,
  enforcing: readonly PolicyEvaluation[],
  words: Map<string, string[]>,
  scope: PoliciesConfig['scope'],
): PolicyAction[] => {
  const actions: PolicyAction[] = [];
  const { family } = taskDefinitionRef(arn);
  if (!familyInScope(scope, family)) {
    const changing = enforcing.filter((e) => asks(e, 'tag') || asks(e, 'deregister'));
    say(words, changing, `no tag or deregistration: ${family} is not in scope.taskFamilies`);
    return actions;
  }
  const tags: Record<string, string> = {};
  for (const e of enforcing) {
    const tag = asks(e, 'tag');
    if (tag?.type !== 'tag') continue;
    // ECS tag values: up to 256 of letters, digits, spaces and + - = . _ : / @ (rule ids qualify).
    const rules = [...new Set([...(tags[tag.key]?.split(' ') ?? []), ...failingRules(e)])];
    tags[tag.key] = rules.join(' ').slice(0, 256);
    say(words, [e], `tag the revision ${tag.key}=${tags[tag.key]}`);
  }
  if (Object.keys(tags).length > 0) {
    actions.push({ type: 'tag', taskDefinitionArn: arn, tags });
  }
  const deregistering = enforcing.filter((e) => asks(e, 'deregister'));
  if (deregistering.length > 0) {
    actions.push({
      type: 'deregister',
      taskDefinitionArn: arn,
      reason: `fails ${deregistering.map((e) => e.policy.name).join(', ')}`,
    });
    say(words, deregistering, 'deregister the revision, so no new task or service can use it');
  }
  return actions;
};

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

const enforceDeployment = (
  checkpoint: Extract<Checkpoint, { kind: 'deploy' }>,
  state: PolicyState,
  target: PolicyTarget,
  enforcing: readonly PolicyEvaluation[],
  context: Omit<EvaluationContext, 'tags'>,
  words: Map<string, string[]>,
): PolicyAction[] => {
  const rolling = enforcing.filter((e) => asks(e, 'rollback'));
  if (rolling.length === 0 || !state.revision) return [];
  const revisionFails = rolling.filter((e) => taskDefinitionFailures(e).length > 0);
  for (const e of rolling.filter((r) => !revisionFails.includes(r))) {
    say(
      words,
      [e],
      'no rollback: the failures are in the service\u2019s settings, which a rollback does not change',
    );
  }
  if (revisionFails.length === 0) return [];
  if (!checkpoint.changesTaskDefinition) {
    say(
      words,
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
      words,
      revisionFails,
      `no rollback: the service runs ${revisionName(running)} now (deployed since)`,
    );
    return [];
  }
  const candidate = compliantCandidate(state.rollbackCandidates, revisionFails, target, context);
  if (!candidate) {
    say(words, revisionFails, 'no rollback: the service ran no earlier revision that complies');
    return [];
  }
  const deploymentId = target.alertSubject.deploymentId;
  if (!deploymentId) {
    say(words, revisionFails, 'no rollback: ECS did not report the deployment to roll back');
    return [];
  }
  say(words, revisionFails, `roll the service back to ${revisionName(candidate.arn)}`);
  // The deployment guard's rollback: its record in the guard's table makes the rollback happen
  // once, and tells the guard that the deployment it starts is a rollback, never to be rolled back.
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
};

const enforceTasks = (
  cluster: string,
  taskArns: readonly string[],
  enforcing: readonly PolicyEvaluation[],
  words: Map<string, string[]>,
): PolicyAction[] => {
  const stopping = enforcing.filter((e) => asks(e, 'stop'));
  if (stopping.length === 0) return [];
  say(
    words,
    stopping,
    taskArns.length === 1 ? 'stop the task' : `stop its ${taskArns.length} tasks`,
  );
  const reason = stopReason(stopping);
  return taskArns.map((taskArn) => ({ type: 'stop', cluster, taskArn, reason }));
};

/** The enforcement actions of the failing enforce-mode policies at this checkpoint. */
const enforcementOf = (
  checkpoint: Exclude<Checkpoint, { kind: 'skip' }>,
  state: PolicyState,
  target: PolicyTarget,
  enforcing: readonly PolicyEvaluation[],
  config: PoliciesConfig,
  now: Date,
): Enforcement => {
  const words = new Map<string, string[]>();
  const context = { now, exemptionTag: config.enforcement.exemptionTag };
  let actions: PolicyAction[] = [];
  if (checkpoint.kind === 'register' && state.revision) {
    actions = enforceRegistration(state.revision.arn, enforcing, words, config.scope);
  } else if (checkpoint.kind === 'deploy') {
    actions = enforceDeployment(checkpoint, state, target, enforcing, context, words);
  } else if (checkpoint.kind === 'run-task') {
    actions = enforceTasks(checkpoint.cluster, checkpoint.taskArns, enforcing, words);
  } else if (checkpoint.kind === 'task-start') {
    actions = enforceTasks(checkpoint.cluster, [checkpoint.taskArn], enforcing, words);
  }
  return { actions, words };
};

export { type Enforcement, enforcementOf };
