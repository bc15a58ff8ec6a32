import {
  type ServiceDeploymentState,
  type ServiceRevisionState,
  toServiceDeploymentState,
  toServiceRevisionState,
} from '#aws/ecs/service-deployment-state.ts';
import type { ServiceDeploymentsPort } from '#aws/ecs/service-deployments.ts';
import { serviceDeploymentFromArn } from '#kernel/events/arn.ts';
import type { HarbormasterEvent } from '#kernel/events/parse.ts';

type Json = Record<string, unknown>;

const listOf = (file: unknown, key: string): Json[] => {
  const value = (file as Json | null)?.[key];
  return Array.isArray(value) ? (value as Json[]) : [];
};

const HOOK_STATUS: Record<string, string> = {
  HOOK_AWAITING_ACTION: 'AWAITING_ACTION',
  HOOK_IN_PROGRESS: 'IN_PROGRESS',
  HOOK_SUCCEEDED: 'SUCCEEDED',
  HOOK_FAILED: 'FAILED',
  HOOK_TIMED_OUT: 'TIMED_OUT',
};

/**
 * Service deployments and revisions as a recording shows them: `aws ecs
 * describe-service-deployments` and `describe-service-revisions` outputs, brought forward by the
 * recorded hook invocations (the stage) and Hook State Change events (the hook's status).
 * StopServiceDeployment and ContinueServiceDeployment are recorded, not made.
 */
class RecordedServiceDeployments implements ServiceDeploymentsPort {
  readonly #deployments = new Map<string, ServiceDeploymentState>();
  readonly #revisions = new Map<string, ServiceRevisionState>();
  /** Calls that would have changed ECS, in order. */
  readonly requests: { operation: string; input: Record<string, string> }[] = [];

  constructor(stateFiles: readonly unknown[]) {
    for (const file of stateFiles) {
      for (const d of listOf(file, 'serviceDeployments')) {
        const state = toServiceDeploymentState(d as Parameters<typeof toServiceDeploymentState>[0]);
        if (state.arn) this.#deployments.set(state.arn, state);
      }
      for (const r of listOf(file, 'serviceRevisions')) {
        const state = toServiceRevisionState(r as Parameters<typeof toServiceRevisionState>[0]);
        if (state.arn) this.#revisions.set(state.arn, state);
      }
    }
  }

  /** Brings the recorded deployments forward with what an event shows. */
  observe(event: HarbormasterEvent): void {
    if (event.kind === 'lifecycle-hook') {
      const d = this.#deployments.get(event.deployment.arn);
      if (d) d.lifecycleStage = event.raw.lifecycleStage;
    }
    if (event.kind === 'hook-state-change') {
      const detail = event.raw.detail;
      const d = this.#deployments.get(event.deployment.arn);
      const hook = d?.hooks.find((h) => h.hookId === detail.hookId);
      const status = HOOK_STATUS[detail.eventName];
      if (d && !hook && status)
        d.hooks.push({
          hookId: detail.hookId,
          targetType: detail.hookType,
          targetArn: undefined,
          status,
          expiresAt: detail.expiresAt ? new Date(detail.expiresAt) : undefined,
          timeoutAction: undefined,
        });
      if (hook && status) hook.status = status;
    }
  }

  async list(cluster: string, service: string) {
    return [...this.#deployments.values()]
      .filter((d) => {
        const ref = serviceDeploymentFromArn(d.arn);
        return ref?.cluster === cluster && ref.service === service;
      })
      .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))
      .map((d) => ({
        arn: d.arn,
        status: d.status,
        statusReason: d.statusReason,
        createdAt: d.createdAt,
        finishedAt: d.finishedAt,
        targetRevisionArn: d.target?.arn,
      }));
  }

  async describe(arns: readonly string[]) {
    return arns.flatMap((arn) => {
      const found = this.#deployments.get(arn);
      return found ? [structuredClone(found)] : [];
    });
  }

  async describeRevisions(arns: readonly string[]) {
    return arns.flatMap((arn) => {
      const found = this.#revisions.get(arn);
      return found ? [structuredClone(found)] : [];
    });
  }

  async stopWithRollback(arn: string): Promise<void> {
    this.requests.push({
      operation: 'StopServiceDeployment',
      input: { serviceDeploymentArn: arn, stopType: 'ROLLBACK' },
    });
    const d = this.#deployments.get(arn);
    if (d) d.status = 'ROLLBACK_REQUESTED';
  }

  async continueDeployment(
    arn: string,
    hookId: string,
    action: 'CONTINUE' | 'ROLLBACK',
  ): Promise<void> {
    this.requests.push({
      operation: 'ContinueServiceDeployment',
      input: { serviceDeploymentArn: arn, hookId, action },
    });
  }
}

export { RecordedServiceDeployments };
