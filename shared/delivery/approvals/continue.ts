import type { ServiceDeploymentState } from '#aws/ecs/service-deployment-state.ts';
import type { ServiceDeploymentsPort } from '#aws/ecs/service-deployments.ts';
import { execute } from '#kernel/execute.ts';
import { standaloneInvocation } from '#kernel/invocation.ts';
import { MemoryLeaseStore } from '#kernel/lease/memory-lease-store.ts';
import type { ActionRunner, RunOutcome } from '#kernel/runner.ts';
import type { Telemetry } from '#kernel/telemetry.ts';
import type { ContinueRequest } from '../alerts/approval-alert.ts';

/**
 * Continue or roll back a deployment paused at a pause hook: what `harbormaster approve` and
 * `reject` do, and what a chat button sends (the ContinueRequest of an approval alert).
 */
interface ContinueDeploymentAction {
  type: 'continue-deployment';
  request: ContinueRequest;
  /** Who asked (a person, a chat user), for the log. */
  requestedBy: string;
}

/** Why a paused deployment cannot be answered, or the hook to answer. */
type ContinueCheck =
  | { ok: true; hookId: string; stage: string | undefined }
  | { ok: false; reason: string };

/**
 * The checks ContinueServiceDeployment's preconditions call for (continue-service-deployment.html):
 * the deployment IN_PROGRESS, the hook a pause hook AWAITING_ACTION. Without a hook id, the only
 * pause hook awaiting action is the one (two at once must be named).
 */
const checkPaused = (
  deployment: ServiceDeploymentState | undefined,
  hookId: string | undefined,
): ContinueCheck => {
  if (!deployment) return { ok: false, reason: 'ECS knows no such service deployment' };
  if (deployment.status !== 'IN_PROGRESS')
    return { ok: false, reason: `the deployment is ${deployment.status}, not IN_PROGRESS` };
  const awaiting = deployment.hooks.filter(
    (h) => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION',
  );
  if (hookId) {
    const hook = deployment.hooks.find((h) => h.hookId === hookId);
    if (!hook) return { ok: false, reason: `the deployment has no hook ${hookId}` };
    if (hook.status !== 'AWAITING_ACTION')
      return {
        ok: false,
        reason: `hook ${hookId} is ${hook.status ?? 'in an unknown state'}, not AWAITING_ACTION`,
      };
    return { ok: true, hookId, stage: deployment.lifecycleStage };
  }
  if (awaiting.length === 0)
    return {
      ok: false,
      reason: `no pause hook awaits an answer (stage ${deployment.lifecycleStage ?? 'unknown'})`,
    };
  if (awaiting.length > 1)
    return {
      ok: false,
      reason: `${awaiting.length} pause hooks await an answer: name one with --hook-id (${awaiting.map((h) => h.hookId).join(', ')})`,
    };
  return { ok: true, hookId: awaiting[0]?.hookId as string, stage: deployment.lifecycleStage };
};

// A pause waits 14 days at most (pause-lifecycle-hooks.html): its answer is remembered as long.
const KEEP_SECONDS = 14 * 24 * 60 * 60;

type ContinuePorts = { serviceDeployments: ServiceDeploymentsPort };

/**
 * Checks the pause, then calls ContinueServiceDeployment with the deployment ARN and the hook id,
 * once per hook: the executor holds the lease `continue#<deployment ARN>#<hook id>` around it (a
 * second click, or a chat button and the CLI at once, find it done). A lease taken over from an
 * attempt that died reads the deployment first: a hook no longer awaiting action was answered.
 * Outside a lease too, a hook already answered (an answer after the timeout) is reported as such,
 * not answered twice.
 */
const continueRunner: ActionRunner<ContinueDeploymentAction, ContinuePorts> = {
  permissions: ['ecs:DescribeServiceDeployments', 'ecs:ContinueServiceDeployment'],
  describe: (action) =>
    `answer ${action.request.action} to hook ${action.request.hookId} of ${action.request.serviceDeploymentArn}`,
  once: {
    key: (action) => `continue#${action.request.serviceDeploymentArn}#${action.request.hookId}`,
    keepSeconds: KEEP_SECONDS,
    recover: async (action, { ports }) => {
      const { serviceDeploymentArn, hookId } = action.request;
      const [deployment] = await ports.serviceDeployments.describe([serviceDeploymentArn]);
      const hook = deployment?.hooks.find((h) => h.hookId === hookId);
      if (!hook || hook.status === 'AWAITING_ACTION') return undefined;
      return { status: 'done', detail: `hook ${hookId} was answered already (${hook.status})` };
    },
  },
  run: async (action, { ports, telemetry }) => {
    const { serviceDeploymentArn, hookId, action: answer } = action.request;
    const [deployment] = await ports.serviceDeployments.describe([serviceDeploymentArn]);
    const check = checkPaused(deployment, hookId);
    if (!check.ok) return { status: 'skipped', detail: check.reason };
    await ports.serviceDeployments.continueDeployment(serviceDeploymentArn, check.hookId, answer);
    telemetry.log.info('Paused deployment answered', {
      serviceDeploymentArn,
      hookId,
      action: answer,
      requestedBy: action.requestedBy,
    });
    return {
      status: 'done',
      detail: `${answer} sent to hook ${check.hookId} at ${check.stage ?? 'its stage'}`,
    };
  },
};

/**
 * Answers a pause from outside a function (`harbormaster approve` and `reject`, the demo): the
 * hook the request names, or the one pause awaiting an answer, through the executor with leases
 * of its own (the deployed functions' claims table is not the terminal's to write).
 */
const answerPause = async (
  action: ContinueDeploymentAction,
  ports: ContinuePorts,
  telemetry: Telemetry,
  clock: () => Date = () => new Date(),
): Promise<RunOutcome> => {
  let request = action.request;
  if (!request.hookId) {
    const [deployment] = await ports.serviceDeployments.describe([request.serviceDeploymentArn]);
    const check = checkPaused(deployment, undefined);
    if (!check.ok) return { status: 'skipped', detail: check.reason };
    request = { ...request, hookId: check.hookId };
  }
  const [result] = await execute(
    [{ ...action, request }],
    { 'continue-deployment': continueRunner },
    {
      ports,
      telemetry,
      now: clock(),
      dryRun: false,
      invocation: standaloneInvocation(clock),
      leases: new MemoryLeaseStore(),
      clock,
    },
  );
  return { status: result?.status ?? 'skipped', detail: result?.detail ?? 'nothing done' };
};

export {
  answerPause,
  type ContinueCheck,
  type ContinueDeploymentAction,
  checkPaused,
  continueRunner,
};
