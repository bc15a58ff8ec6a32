import { fargateRunTaskBuckets } from '../ecs/request-limits.ts';
import { AwsError } from './aws-error.ts';
import type { RequestThrottle, ThrottleHandle } from './request-throttle.ts';

/** Services the endpoint serves (and faults can target). */
export type ServiceName = 'ecs' | 'sns' | 'ssm' | 'dynamodb' | 'sqs' | 'cloudwatch' | 'slack';

/** A named fault (mapped to each service's real error) or an explicit error. */
export type FaultError =
  | 'ThrottlingException'
  | 'ServerException'
  | 'AccessDeniedException'
  | { type: string; status: number; message?: string };

/** What `faults.inject` takes. */
export interface FaultSpec {
  service: ServiceName;
  /** All operations when omitted. */
  operation?: string;
  error?: FaultError;
  /** Real-time delay before answering (or before running the operation when no error). */
  latencyMs?: number;
  /** How many matching requests it affects (default: all). */
  times?: number;
  /**
   * The operation runs, then the error is answered anyway: a response lost after the change was
   * made (a 5xx), which only idempotency (RunTask's clientToken) makes safe to retry.
   */
  afterOperation?: boolean;
  /**
   * Decides, request by request, whether the fault applies (a rate drawn from a seeded generator,
   * a caller): a request it passes over is not counted against `times`.
   */
  when?: (request: { operation: string; input: unknown; principalArn: string }) => boolean;
  /**
   * The operation runs (its write is applied), then the answer is held this long in real time
   * before it is sent: longer than the client's requestTimeout, the client gives up on a call that
   * succeeded (a client-side timeout; DynamoDB documents that a request that timed out may have
   * succeeded). With `error`, the held answer is that error.
   */
  holdResponseMs?: number;
}

/** A token bucket (on the simulated clock) that answers the service's throttling error when empty. */
export interface RateLimitSpec {
  service: ServiceName;
  operation?: string;
  burst: number;
  refillPerSecond: number;
  /** Tokens a request takes (default 1), e.g. RunTask `count` for Fargate's task-launch bucket. */
  cost?: (input: unknown) => number;
}

/** Handle returned by `inject` and `rateLimit`. */
export interface FaultHandle {
  remove(): void;
  /** Requests it may still affect (Infinity for rate limits and unlimited faults). */
  readonly remaining: number;
}

/** Outcome of checking a request against the active faults. */
export interface FaultOutcome {
  latencyMs: number;
  error?: AwsError;
  /** The error is answered after the operation ran. */
  afterOperation?: boolean;
  /** The operation runs, then the answer waits this long (real time) before it is sent. */
  holdResponseMs?: number;
}

interface WireSpec {
  code: string;
  status: number;
  message: string;
  queryCode?: string;
}

type Named = Exclude<FaultError, object>;

const ACCESS = 'AccessDeniedException';

// Each service answers the same trouble with its own code; these are the codes the SDKs model.
const NAMED: Record<Exclude<ServiceName, 'slack'>, Record<Named, WireSpec>> = {
  ecs: {
    ThrottlingException: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
    ServerException: { code: 'ServerException', status: 500, message: 'Service Unavailable.' },
    AccessDeniedException: { code: ACCESS, status: 400, message: '' },
  },
  ssm: {
    ThrottlingException: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
    ServerException: { code: 'InternalServerError', status: 500, message: 'Internal Server Error' },
    AccessDeniedException: { code: ACCESS, status: 400, message: '' },
  },
  dynamodb: {
    ThrottlingException: {
      code: 'ThrottlingException',
      status: 400,
      message: 'Rate of requests exceeds the allowed throughput.',
    },
    ServerException: { code: 'InternalServerError', status: 500, message: 'Internal server error' },
    AccessDeniedException: { code: ACCESS, status: 400, message: '' },
  },
  sqs: {
    ThrottlingException: {
      code: 'RequestThrottled',
      status: 403,
      message: 'Rate exceeded',
      queryCode: 'RequestThrottled',
    },
    ServerException: {
      code: 'InternalError',
      status: 500,
      message: 'We encountered an internal error. Please try again.',
      queryCode: 'InternalError',
    },
    AccessDeniedException: { code: ACCESS, status: 403, message: '', queryCode: 'AccessDenied' },
  },
  cloudwatch: {
    ThrottlingException: {
      code: 'Throttling',
      status: 400,
      message: 'Rate exceeded',
      queryCode: 'Throttling',
    },
    ServerException: {
      code: 'InternalServiceFault',
      status: 500,
      message: 'Internal service error',
      queryCode: 'InternalServiceError',
    },
    AccessDeniedException: {
      code: 'AccessDenied',
      status: 403,
      message: '',
      queryCode: 'AccessDenied',
    },
  },
  sns: {
    ThrottlingException: { code: 'Throttled', status: 429, message: 'Rate exceeded' },
    ServerException: { code: 'InternalError', status: 500, message: 'Internal Error' },
    AccessDeniedException: { code: 'AuthorizationError', status: 403, message: '' },
  },
};

const SLACK: Record<Named, WireSpec> = {
  ThrottlingException: { code: 'rate_limited', status: 429, message: 'rate_limited' },
  ServerException: { code: 'internal_error', status: 500, message: 'internal_error' },
  AccessDeniedException: { code: 'invalid_token', status: 403, message: 'invalid_token' },
};

const IAM_PREFIX: Record<ServiceName, string> = {
  ecs: 'ecs',
  sns: 'SNS',
  ssm: 'ssm',
  dynamodb: 'dynamodb',
  sqs: 'sqs',
  cloudwatch: 'cloudwatch',
  slack: 'slack',
};

/** Builds the wire error a named or explicit fault stands for. */
export const faultError = (
  service: ServiceName,
  operation: string,
  error: FaultError,
  principalArn: string,
): AwsError => {
  if (typeof error === 'object') {
    return new AwsError(error.type, error.message ?? error.type, error.status, {
      queryCode: error.type,
    });
  }
  const spec = service === 'slack' ? SLACK[error] : NAMED[service][error];
  const message =
    spec.message !== ''
      ? spec.message
      : `User: ${principalArn} is not authorized to perform: ${IAM_PREFIX[service]}:${operation} because no identity-based policy allows the ${IAM_PREFIX[service]}:${operation} action`;
  const headers: Record<string, string> =
    service === 'slack' && spec.status === 429 ? { 'Retry-After': '1' } : {};
  return new AwsError(spec.code, message, spec.status, {
    headers,
    ...(spec.queryCode === undefined ? {} : { queryCode: spec.queryCode }),
  });
};

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
}

const matches = (
  target: { service: ServiceName; operation?: string },
  service: string,
  operation: string,
): boolean =>
  target.service === service && (target.operation === undefined || target.operation === operation);

/**
 * Injected errors and latency, applied before an operation runs, and extra rate limits added to
 * the endpoint's request throttle (whose documented buckets, such as ECS's, are on by default).
 */
export class FaultInjector {
  readonly #faults: ActiveFault[] = [];
  readonly #throttle: RequestThrottle;
  readonly #limits = new Set<ThrottleHandle>();
  #limitCount = 0;

  constructor(throttle: RequestThrottle) {
    this.#throttle = throttle;
  }

  /** Makes matching requests fail and/or answer late. */
  inject(spec: FaultSpec): FaultHandle {
    const fault: ActiveFault = { spec, remaining: spec.times ?? Number.POSITIVE_INFINITY };
    this.#faults.push(fault);
    return {
      remove: () => {
        const i = this.#faults.indexOf(fault);
        if (i !== -1) this.#faults.splice(i, 1);
      },
      get remaining() {
        return fault.remaining;
      },
    };
  }

  /** Adds a token bucket on the simulated clock; an empty bucket answers the throttling error. */
  rateLimit(spec: RateLimitSpec): FaultHandle {
    this.#limitCount += 1;
    const handle = this.#throttle.add({
      name: `rate limit ${this.#limitCount} (${spec.service}${spec.operation ? ` ${spec.operation}` : ''})`,
      service: spec.service,
      ...(spec.operation === undefined ? {} : { operations: [spec.operation] }),
      capacity: spec.burst,
      refillPerSecond: spec.refillPerSecond,
      ...(spec.cost === undefined ? {} : { cost: spec.cost }),
    });
    this.#limits.add(handle);
    return {
      remove: () => {
        handle.remove();
        this.#limits.delete(handle);
      },
      remaining: Number.POSITIVE_INFINITY,
    };
  }

  /**
   * Fargate's RunTask limits: 20 calls/s, and a task-launch bucket of 100 refilling 20/s. They are
   * part of the endpoint's ECS throttle and on by default; this puts them back if they were
   * removed, and `remove()` takes them away.
   */
  fargateRunTaskLimits(): FaultHandle {
    const added = fargateRunTaskBuckets()
      .filter((spec) => !this.#throttle.has(spec.name))
      .map((spec) => this.#throttle.add(spec));
    return {
      remove: () => {
        for (const handle of added) handle.remove();
        for (const spec of fargateRunTaskBuckets()) this.#throttle.remove(spec.name);
      },
      remaining: Number.POSITIVE_INFINITY,
    };
  }

  /** Removes every injected fault and every rate limit added with `rateLimit`. */
  clear(): void {
    this.#faults.length = 0;
    for (const handle of this.#limits) handle.remove();
    this.#limits.clear();
  }

  /** Applies the active faults to one request. */
  check(
    service: ServiceName,
    operation: string,
    input: unknown,
    principalArn: string,
  ): FaultOutcome {
    let latencyMs = 0;
    let error: AwsError | undefined;
    let afterOperation = false;
    let holdResponseMs = 0;
    for (const fault of [...this.#faults]) {
      if (fault.remaining <= 0 || !matches(fault.spec, service, operation)) continue;
      // One error (or lost response) answers a request; other such faults wait for the next one.
      const losing = fault.spec.error !== undefined || fault.spec.holdResponseMs !== undefined;
      if ((error !== undefined || holdResponseMs > 0) && losing) continue;
      if (fault.spec.when && !fault.spec.when({ operation, input, principalArn })) continue;
      fault.remaining -= 1;
      latencyMs += fault.spec.latencyMs ?? 0;
      if (fault.spec.error !== undefined) {
        error = faultError(service, operation, fault.spec.error, principalArn);
        afterOperation = fault.spec.afterOperation === true;
      }
      holdResponseMs = Math.max(holdResponseMs, fault.spec.holdResponseMs ?? 0);
      if (fault.remaining <= 0) this.#faults.splice(this.#faults.indexOf(fault), 1);
    }
    return {
      latencyMs,
      ...(error === undefined ? {} : { error }),
      ...(afterOperation ? { afterOperation } : {}),
      ...(holdResponseMs > 0 ? { holdResponseMs } : {}),
    };
  }
}
