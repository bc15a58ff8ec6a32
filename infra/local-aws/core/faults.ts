import { AwsError } from './aws-error.ts';

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
   * made (a timeout), which only idempotency (RunTask's clientToken) makes safe to retry.
   */
  afterOperation?: boolean;
  /**
   * Decides, request by request, whether the fault applies (a rate drawn from a seeded generator,
   * a caller): a request it passes over is not counted against `times`.
   */
  when?: (request: { operation: string; input: unknown; principalArn: string }) => boolean;
}

/** A token bucket that answers the service's throttling error when empty. */
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

interface Bucket {
  spec: RateLimitSpec;
  tokens: number;
  refilledAt: number;
}

const matches = (
  target: { service: ServiceName; operation?: string },
  service: string,
  operation: string,
): boolean =>
  target.service === service && (target.operation === undefined || target.operation === operation);

/** Injected errors, latency and rate limits, applied before an operation runs. */
export class FaultInjector {
  readonly #faults: ActiveFault[] = [];
  readonly #buckets: Bucket[] = [];

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

  /** Adds a real-time token bucket; an empty bucket answers the service's throttling error. */
  rateLimit(spec: RateLimitSpec): FaultHandle {
    const bucket: Bucket = { spec, tokens: spec.burst, refilledAt: performance.now() };
    this.#buckets.push(bucket);
    return {
      remove: () => {
        const i = this.#buckets.indexOf(bucket);
        if (i !== -1) this.#buckets.splice(i, 1);
      },
      remaining: Number.POSITIVE_INFINITY,
    };
  }

  /** Fargate's RunTask limits: 20 calls/s, and a task-launch bucket of 100 refilling 20/s. */
  fargateRunTaskLimits(): FaultHandle {
    const calls = this.rateLimit({
      service: 'ecs',
      operation: 'RunTask',
      burst: 20,
      refillPerSecond: 20,
    });
    const launches = this.rateLimit({
      service: 'ecs',
      operation: 'RunTask',
      burst: 100,
      refillPerSecond: 20,
      cost: (input) => {
        const count = (input as { count?: unknown } | undefined)?.count;
        return typeof count === 'number' ? count : 1;
      },
    });
    return {
      remove: () => {
        calls.remove();
        launches.remove();
      },
      remaining: Number.POSITIVE_INFINITY,
    };
  }

  /** Removes every fault and rate limit. */
  clear(): void {
    this.#faults.length = 0;
    this.#buckets.length = 0;
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
    for (const fault of [...this.#faults]) {
      if (fault.remaining <= 0 || !matches(fault.spec, service, operation)) continue;
      // One error answers a request; other error faults wait for the next one.
      if (error !== undefined && fault.spec.error !== undefined) continue;
      if (fault.spec.when && !fault.spec.when({ operation, input, principalArn })) continue;
      fault.remaining -= 1;
      latencyMs += fault.spec.latencyMs ?? 0;
      if (error === undefined && fault.spec.error !== undefined) {
        error = faultError(service, operation, fault.spec.error, principalArn);
        afterOperation = fault.spec.afterOperation === true;
      }
      if (fault.remaining <= 0) this.#faults.splice(this.#faults.indexOf(fault), 1);
    }
    if (error === undefined) error = this.#takeTokens(service, operation, input, principalArn);
    if (error === undefined) return { latencyMs };
    return afterOperation ? { latencyMs, error, afterOperation } : { latencyMs, error };
  }

  #takeTokens(
    service: ServiceName,
    operation: string,
    input: unknown,
    principalArn: string,
  ): AwsError | undefined {
    const now = performance.now();
    const applicable = this.#buckets.filter((b) => matches(b.spec, service, operation));
    for (const bucket of applicable) {
      const refill = ((now - bucket.refilledAt) / 1000) * bucket.spec.refillPerSecond;
      bucket.tokens = Math.min(bucket.spec.burst, bucket.tokens + refill);
      bucket.refilledAt = now;
    }
    const costs = applicable.map((b) => b.spec.cost?.(input) ?? 1);
    if (applicable.some((b, i) => b.tokens < (costs[i] ?? 1))) {
      return faultError(service, operation, 'ThrottlingException', principalArn);
    }
    applicable.forEach((b, i) => {
      b.tokens -= costs[i] ?? 1;
    });
    return undefined;
  }
}
