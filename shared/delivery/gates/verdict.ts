import type { Link } from '#kernel/alerts/console-links.ts';
import type { NotifyAction, Severity } from '#kernel/alerts/model.ts';
import { deploymentThreadId } from '#kernel/alerts/threads.ts';
import type { DeliveryAction, DeliveryAlert } from '../actions/index.ts';
import type { DeliveryGateAlert, GateOutcome, GatePolicyFailure } from '../alerts/gate-alert.ts';
import type { AnalysisReport } from '../analysis/report.ts';
import type { GateMode } from '../config.ts';
import type { HookInvocation } from '../hook/invocation.ts';
import { type DeploymentProgress, emptyProgress, type VerdictSummary } from '../records.ts';

// A deployment's alerts concern one occurrence each for as long as a deployment lasts.
const WINDOW_SECONDS = 24 * 60 * 60;
// The progress keeps the last verdicts for approvals; older ones are in the alert thread.
const KEPT_VERDICTS = 10;

const SEVERITY: Record<GateOutcome, Severity> = {
  passed: 'info',
  'first-deployment': 'info',
  inconclusive: 'warning',
  'would-fail': 'warning',
  failed: 'error',
  'gave-up': 'error',
};

/** The thread of a service deployment's alerts (the guard's alerts about it share it). */
const threadOfDeployment = (inv: Pick<HookInvocation, 'cluster' | 'service' | 'deploymentId'>) =>
  deploymentThreadId(inv.cluster, inv.service, inv.deploymentId);

/** What a gate's verdict alert says beyond the deployment it is about. */
interface VerdictParts {
  gate: 'policy' | 'analysis';
  outcome: GateOutcome;
  mode: GateMode;
  answer: 'SUCCEEDED' | 'FAILED';
  reason: string;
  /** Tells the run apart (the share judged) so that each run's verdict is its own alert. */
  runKey: string;
  share?: number | undefined;
  greenTaskDefinition?: string | undefined;
  analyses?: AnalysisReport[];
  policies?: GatePolicyFailure[];
  nextSteps?: string[];
  links?: Link[];
}

/** A gate's verdict as an alert in the deployment's thread. */
const verdictAlert = (
  inv: HookInvocation,
  now: Date,
  parts: VerdictParts,
  problems: readonly string[],
): NotifyAction<DeliveryAlert> => {
  const alert: DeliveryGateAlert = {
    kind: 'delivery-gate',
    severity: SEVERITY[parts.outcome],
    subject: {
      account: inv.account,
      region: inv.region,
      cluster: inv.cluster,
      service: inv.service,
      deploymentId: inv.deploymentId,
      taskDefinition: parts.greenTaskDefinition,
    },
    occurredAt: now.toISOString(),
    threadId: threadOfDeployment(inv),
    dedup: {
      key: [
        'delivery-gate',
        inv.account,
        inv.region,
        inv.cluster,
        inv.service,
        inv.deploymentId,
        parts.gate,
        parts.runKey,
        parts.outcome,
      ].join('|'),
      windowSeconds: WINDOW_SECONDS,
    },
    gate: parts.gate,
    outcome: parts.outcome,
    mode: parts.mode,
    stage: inv.stage,
    answer: parts.answer,
    deploymentArn: inv.deploymentArn,
    greenTaskDefinition: parts.greenTaskDefinition,
    share: parts.share,
    reason: parts.reason,
    analyses: parts.analyses ?? [],
    policies: parts.policies ?? [],
    nextSteps: [...(parts.nextSteps ?? []), ...problems.map((p) => `Tag ignored: ${p}.`)],
    links: parts.links ?? [],
  };
  return { type: 'notify', alert };
};

/** The deployment's progress with a verdict added (and a passed share, when it passed). */
const withVerdict = (
  inv: HookInvocation,
  progress: DeploymentProgress | undefined,
  now: Date,
  verdict: Omit<VerdictSummary, 'at' | 'stage'>,
  passed: { key: string; share: number } | undefined,
  finishedRun?: string,
): DeploymentProgress => {
  const at = now.toISOString();
  const base = progress ?? emptyProgress(inv.cluster, inv.service, inv.deploymentArn, at);
  const runs = { ...base.runs };
  if (finishedRun) delete runs[finishedRun];
  return {
    ...base,
    passed: passed ? [...base.passed, { ...passed, stage: inv.stage, at }] : base.passed,
    verdicts: [...base.verdicts, { ...verdict, stage: inv.stage, at }].slice(-KEPT_VERDICTS),
    runs,
    updatedAt: at,
  };
};

/** The deployment's progress with a run kept in it (a run too large for hookDetails). */
const withRun = (
  inv: HookInvocation,
  progress: DeploymentProgress | undefined,
  now: Date,
  key: string,
  encoded: unknown,
): DeploymentProgress => {
  const at = now.toISOString();
  const base = progress ?? emptyProgress(inv.cluster, inv.service, inv.deploymentArn, at);
  return { ...base, runs: { ...base.runs, [key]: encoded }, updatedAt: at };
};

/** The answer action, always the last of a decision. */
const answer = (
  hookStatus: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS',
  reason: string,
  extra: { callBackDelay?: number; hookDetails?: Record<string, unknown> } = {},
): DeliveryAction => ({ type: 'answer-hook', hookStatus, reason, ...extra });

export { answer, threadOfDeployment, type VerdictParts, verdictAlert, withRun, withVerdict };
