/** How a simulated task behaves once launched. */
export type TaskBehavior =
  /** Runs until stopped; containers exit with `stopExitCode` (default 137, SIGKILL) when stopped. */
  | { kind: 'healthy'; stopExitCode?: number }
  /** Never starts: CannotPullContainerError, stopCode TaskFailedToStart. */
  | { kind: 'image-pull-failure'; reason?: string }
  /** Never starts, with a custom reason (e.g. "ResourceInitializationError: …"). */
  | { kind: 'start-failure'; reason: string }
  /** Runs, then the essential container exits (stopCode EssentialContainerExited). */
  | { kind: 'crash'; afterMs: number; exitCode?: number; container?: string; reason?: string }
  /** Runs, then the scheduler stops it for failing health checks (exit 143). */
  | {
      kind: 'health-check-failure';
      afterMs: number;
      check: 'elb' | 'container';
      targetGroupArn?: string;
    }
  /** Runs, then the essential container is OOM-killed (exit 137). */
  | { kind: 'oom'; afterMs: number; container?: string }
  /** Runs, then containers exit with these codes (a batch job finishing). */
  | { kind: 'exit'; afterMs: number; exitCodes: Record<string, number> | number }
  /** Runs, then Fargate Spot reclaims it (stopCode SpotInterruption, SIGTERM). */
  | { kind: 'spot-interruption'; afterMs: number };

/** Facts a behaviour function can use to pick a behaviour per task. */
export interface TaskLaunchInfo {
  taskArn: string;
  taskDefinitionArn: string;
  family: string;
  group: string;
  startedBy?: string;
  overrides: Record<string, unknown>;
}

/** Picks a behaviour per launched task; `index` counts launches under this registration. */
export type BehaviorFunction = (task: TaskLaunchInfo, index: number) => TaskBehavior;

/** What `ecs.setBehavior` accepts: one behaviour, a sequence (the last repeats), or a function. */
export type BehaviorSpec =
  | TaskBehavior
  | { kind: 'sequence'; behaviors: TaskBehavior[] }
  | BehaviorFunction;

interface Registration {
  spec: BehaviorSpec;
  launches: number;
}

const HEALTHY: TaskBehavior = { kind: 'healthy' };

/** Behaviours registered per task-definition family or revision. */
export class BehaviorRegistry {
  readonly #byKey = new Map<string, Registration>();

  /** Sets the behaviour for a family (`web`), a revision (`web:3`) or a task definition ARN. */
  set(familyOrArn: string, spec: BehaviorSpec): void {
    this.#byKey.set(keyOf(familyOrArn), { spec, launches: 0 });
  }

  /** Removes one registration, or all of them. */
  clear(familyOrArn?: string): void {
    if (familyOrArn === undefined) this.#byKey.clear();
    else this.#byKey.delete(keyOf(familyOrArn));
  }

  /** The behaviour of a task being launched (a revision's registration wins over its family's). */
  resolve(task: TaskLaunchInfo): TaskBehavior {
    const revision = keyOf(task.taskDefinitionArn);
    const registration = this.#byKey.get(revision) ?? this.#byKey.get(task.family);
    if (registration === undefined) return HEALTHY;
    const index = registration.launches++;
    const { spec } = registration;
    if (typeof spec === 'function') return spec(task, index);
    if (spec.kind === 'sequence') {
      return spec.behaviors[Math.min(index, spec.behaviors.length - 1)] ?? HEALTHY;
    }
    return spec;
  }
}

// "arn:aws:ecs:…:task-definition/web:3" and "web:3" both key as "web:3".
const keyOf = (familyOrArn: string): string =>
  familyOrArn.replace(/^arn:[^:]+:ecs:[^:]*:\d*:task-definition\//, '');
