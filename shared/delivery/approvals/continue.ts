import type { ServiceDeploymentState } from '#aws/ecs/service-deployment-state.ts';
import type { ServiceDeploymentsPort } from '#aws/ecs/service-deployments.ts';
import type { ActionRunner } from '#kernel/runner.ts';
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

/**
 * Checks the pause, then calls ContinueServiceDeployment with the deployment ARN and the hook id.
 * Safe to repeat: a hook already answered (a second click, an answer after the timeout) is
 * reported as such, not answered twice.
 */
const continueRunner: ActionRunner<
  ContinueDeploymentAction,
  { serviceDeployments: ServiceDeploymentsPort }
> = {
  permissions: ['ecs:DescribeServiceDeployments', 'ecs:ContinueServiceDeployment'],
  describe: (action) =>
    `answer ${action.request.action} to hook ${action.request.hookId} of ${action.request.serviceDeploymentArn}`,
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

export { type ContinueCheck, type ContinueDeploymentAction, checkPaused, continueRunner };
