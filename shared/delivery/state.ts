import type {
  ServiceDeploymentState,
  ServiceRevisionState,
} from '#aws/ecs/service-deployment-state.ts';
import type { ServiceDocument } from '#aws/ecs/service-document.ts';
import type { TaskDefinitionState } from '#aws/ecs/state.ts';
import type { EventOfKind } from '#kernel/events/parse.ts';
import type { SideTarget } from './analysis/model.ts';
import type { MetricReading } from './analysis/plan.ts';
import type { HookInvocation } from './hook/invocation.ts';
import type { GateRun } from './hook/run-state.ts';
import type { DeploymentProgress } from './records.ts';
import type { DeliverySettings } from './settings.ts';

/** The events the hook function decides on: ECS's hook invocations and Hook State Change events. */
type DeliveryEvent = EventOfKind<'lifecycle-hook' | 'hook-state-change'>;

/** What the policy gate reads: green's task definition and the service as green will run it. */
interface PolicyGateState {
  revision: ServiceRevisionState | undefined;
  taskDefinition: TaskDefinitionState | undefined;
  service: ServiceDocument | undefined;
}

/** What the analysis gate reads: the run, the targets compared and the metrics read for it. */
interface AnalysisGateState {
  share: number;
  run: GateRun;
  green: SideTarget;
  blue: SideTarget | undefined;
  greenTaskDefinition: string | undefined;
  /** The metrics of the intervals due now; `points: {}` when nothing was due. */
  reading: MetricReading;
}

/** A hook invocation, with what ECS, the table and CloudWatch say. */
interface HookState {
  kind: 'hook';
  invocation: HookInvocation;
  /** The time load read at: the decision measures what was complete then. */
  asOf: Date;
  settings: DeliverySettings;
  deployment: ServiceDeploymentState | undefined;
  progress: DeploymentProgress | undefined;
  policy: PolicyGateState | undefined;
  analysis: AnalysisGateState | undefined;
}

/** A pause hook's state change, with the deployment and what the gates found so far. */
interface HookChangeState {
  kind: 'hook-state-change';
  deployment: ServiceDeploymentState | undefined;
  progress: DeploymentProgress | undefined;
}

type DeliveryState = HookState | HookChangeState;

export type {
  AnalysisGateState,
  DeliveryEvent,
  DeliveryState,
  HookChangeState,
  HookState,
  PolicyGateState,
};
