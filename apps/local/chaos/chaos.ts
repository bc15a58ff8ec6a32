import type { LocalAws, ServiceName } from '@harbormaster/local-aws';
import { LEASE_ATTEMPT_ATTRIBUTE } from '#aws/dynamodb-lease-store.ts';
import type { CompletedCall } from '../lambda/attempts.ts';
import { seededRandom } from './random.ts';

/** The rates (0..1) of each fault the chaos mode injects. */
interface ChaosRates {
  /** Any call of a function answered with the service's throttling error (nothing done). */
  throttling: number;
  /** Any call answered with a 5xx (nothing done). */
  serverErrors: number;
  /** A DynamoDB write applied, then answered with a 5xx: its response lost. */
  lostResponses: number;
  /** The attempt dies right after a lease claim of it was written (a crash, a timeout). */
  crashAfterClaim: number;
}

const DEFAULT_RATES: ChaosRates = {
  throttling: 0.05,
  serverErrors: 0.05,
  lostResponses: 0.1,
  crashAfterClaim: 0.1,
};

/** What the chaos did, for the account. */
interface ChaosCounts {
  crashes: number;
}

interface Chaos {
  readonly seed: number;
  readonly rates: ChaosRates;
  readonly counts: ChaosCounts;
  /** Installs the endpoint faults (for the functions' calls only). */
  attach(local: LocalAws): void;
  /** The host's hook after each answered SDK call of an attempt: may kill it. */
  afterCall(call: CompletedCall): void;
}

// The services the functions call while they run (SSM is read once, at cold start).
const SERVICES: readonly ServiceName[] = ['dynamodb', 'ecs', 'sns', 'sqs', 'cloudwatch'];
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
// The functions' identities are sessions of their roles (apps/local/lambda/local-stack.ts).
const FROM_A_FUNCTION = /:assumed-role\/harbormaster-/;

/**
 * Faults for `npm start -- --chaos`, drawn from one seeded generator: throttling and 5xx on any
 * call a function makes (the endpoint answers before doing anything), lost responses to DynamoDB
 * writes (the endpoint applies the write, then answers 5xx, and the SDK sends it again), and
 * crashes right after a lease claim (the local Lambda host kills the attempt: its calls never
 * answer again, and Lambda's retry follows a minute later), of asynchronous invocations only.
 */
const createChaos = (seed: number, rates: Partial<ChaosRates> = {}): Chaos => {
  const all = { ...DEFAULT_RATES, ...rates };
  const random = seededRandom(seed);
  const counts: ChaosCounts = { crashes: 0 };
  const chance = (rate: number) => rate > 0 && random() < rate;
  return {
    seed,
    rates: all,
    counts,
    attach: (local) => {
      for (const service of SERVICES) {
        const fromFunction = (principalArn: string) => FROM_A_FUNCTION.test(principalArn);
        local.faults.inject({
          service,
          error: 'ThrottlingException',
          when: ({ principalArn }) => fromFunction(principalArn) && chance(all.throttling),
        });
        local.faults.inject({
          service,
          error: 'ServerException',
          when: ({ principalArn }) => fromFunction(principalArn) && chance(all.serverErrors),
        });
        if (service === 'dynamodb')
          local.faults.inject({
            service,
            error: 'ServerException',
            afterOperation: true,
            when: ({ operation, principalArn }) =>
              fromFunction(principalArn) && WRITES.has(operation) && chance(all.lostResponses),
          });
      }
      local.faults.inject({
        service: 'slack',
        error: 'ServerException',
        when: () => chance(all.serverErrors),
      });
    },
    afterCall: ({ attempt, command, input }) => {
      const item = input.Item as Record<string, unknown> | undefined;
      const claim = command === 'PutItemCommand' && item?.[LEASE_ATTEMPT_ATTRIBUTE] !== undefined;
      // A synchronous caller gets the crash as the invocation's error, and Lambda retries none:
      // ECS rolls a deployment back when its lifecycle hook fails (lambda-lifecycle-hooks.html),
      // a documented outcome rather than an effect to account for (local-aws tests it). The hook
      // function's own risk, running out of time, is answered early (middy's timeoutEarly).
      // (The draw is made all the same, so that a seed draws the same faults as before.)
      if (claim && chance(all.crashAfterClaim) && !attempt.synchronous) {
        counts.crashes += 1;
        attempt.kill('crashed right after a lease claim');
      }
    },
  };
};

export { type Chaos, type ChaosRates, createChaos, DEFAULT_RATES };
