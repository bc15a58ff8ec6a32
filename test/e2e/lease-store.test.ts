import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type LocalAws, startLocalAws } from '@harbormaster/local-aws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStackTable } from '#apps/local/lambda/serverless-functions.ts';
import { createDynamoDbLeaseStore } from '#aws/dynamodb-lease-store.ts';
import type { Invocation } from '#kernel/invocation.ts';
import { MemoryLeaseStore } from '#kernel/lease/memory-lease-store.ts';
import type { LeaseHolder, LeaseStore } from '#kernel/lease/port.ts';
import { type Effect, LeaseHeldError, runOnce } from '#kernel/lease/run-once.ts';

// The lease contract (shared/kernel/lease/port.ts) over the claims table of
// infra/resources/alerting.yml on the embedded DynamoDB, and over the memory store replays use.
// DynamoDB documents that a write answered with a 500 or a timeout may have been applied
// (Programming.Errors.html#Programming.Errors.RetryAndBackoff); the SDK sends it again, and a
// conditional write then fails on the item it wrote itself
// (API_PutItem.html, ReturnValuesOnConditionCheckFailure).

const NOW = new Date('2026-11-21T09:00:00Z').getTime();
const KEEP = 3600;

let local: LocalAws;
beforeEach(async () => {
  local = await startLocalAws({ now: new Date(NOW) });
});
afterEach(async () => local.close());

const client = () =>
  new DynamoDBClient({
    endpoint: local.url,
    region: local.region,
    credentials: { accessKeyId: local.env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: 'x' },
    maxAttempts: 3,
  });

const dynamoStore = (): LeaseStore => {
  local.dynamodb.createTableFrom({
    ...readStackTable('infra/resources/alerting.yml', 'DedupTable'),
    TableName: 'claims',
  });
  return createDynamoDbLeaseStore(client(), 'claims');
};

const STORES: [string, () => LeaseStore][] = [
  ['DynamoDB (the claims table of infra/resources/alerting.yml)', dynamoStore],
  ['memory (offline replays)', () => new MemoryLeaseStore()],
];

const holder = (request: string, attempt = 1): LeaseHolder => ({
  requestId: request,
  attemptId: `${request}/${attempt}`,
});

const claim = (store: LeaseStore, who: LeaseHolder, now = NOW, leaseMs = 30_000) =>
  store.claim({
    key: 'rollback#prod/web#ecs-svc/1',
    holder: who,
    now,
    until: now + leaseMs,
    keepSeconds: KEEP,
  });

describe.each(STORES)('LeaseStore over %s', (_name, create) => {
  it('gives one claimer the lease and tells the others who holds it until when', async () => {
    // Prepare
    const store = create();
    // Act
    const first = await claim(store, holder('a'));
    const second = await claim(store, holder('b'));
    // Assess
    expect(first.outcome).toBe('claimed');
    expect(second).toMatchObject({
      outcome: 'held',
      record: { holder: holder('a'), state: 'held', until: NOW + 30_000 },
    });
  });

  it('lets one of 50 concurrent claimers through', async () => {
    // Prepare
    const store = create();
    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => claim(store, holder(`r${i}`))),
    );
    // Assess
    expect(outcomes.filter((o) => o.outcome === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'held')).toHaveLength(49);
  });

  it('takes over an expired lease, and a dead earlier attempt of the same request at once', async () => {
    // Prepare
    const store = create();
    await claim(store, holder('a'));
    // Act
    const sameRequest = await claim(store, holder('a', 2), NOW + 1_000);
    const otherTooSoon = await claim(store, holder('b'), NOW + 2_000);
    const otherAfterExpiry = await claim(store, holder('b'), NOW + 40_000);
    // Assess
    expect(sameRequest).toMatchObject({ outcome: 'claimed', record: { tookOver: true } });
    expect(otherTooSoon.outcome).toBe('held');
    expect(otherAfterExpiry).toMatchObject({
      outcome: 'claimed',
      record: { holder: holder('b'), tookOver: true },
    });
  });

  it('is done only once completed, keeps the result, and is free again after its keep time', async () => {
    // Prepare
    const store = create();
    const a = holder('a');
    await claim(store, a);
    // Act
    const beforeDone = await store.read('rollback#prod/web#ecs-svc/1', NOW);
    await store.complete('rollback#prod/web#ecs-svc/1', a, { deployment: 'ecs-svc/2' }, NOW, KEEP);
    const afterDone = await claim(store, holder('b'), NOW + 60_000);
    const afterKeep = await claim(store, holder('c'), NOW + (KEEP + 1) * 1000);
    // Assess
    expect(beforeDone?.state).toBe('held');
    expect(afterDone).toMatchObject({
      outcome: 'done',
      record: { result: { deployment: 'ecs-svc/2' } },
    });
    expect(afterKeep.outcome).toBe('claimed');
  });

  it('refuses the writes of a holder whose lease was taken over', async () => {
    // Prepare
    const store = create();
    const a = holder('a');
    await claim(store, a);
    await claim(store, holder('b'), NOW + 40_000);
    // Act and assess
    expect(await store.markActing('rollback#prod/web#ecs-svc/1', a)).toBe(false);
    expect(await store.renew('rollback#prod/web#ecs-svc/1', a, NOW + 90_000)).toBe(false);
    expect(await store.complete('rollback#prod/web#ecs-svc/1', a, 'x', NOW, KEEP)).toBe(false);
    await store.release('rollback#prod/web#ecs-svc/1', a);
    expect((await store.read('rollback#prod/web#ecs-svc/1', NOW + 40_000))?.holder).toStrictEqual(
      holder('b'),
    );
  });
});

describe('LeaseStore over DynamoDB: lost answers', () => {
  it('finds its own lease when the answer to its claim, takeover or completion is lost', async () => {
    // Prepare: every write applied, then answered with a 500 once
    const store = dynamoStore();
    const lose = (operation: string) =>
      local.faults.inject({
        service: 'dynamodb',
        operation,
        error: 'ServerException',
        afterOperation: true,
        times: 1,
      });
    // Act
    const lostClaim = lose('PutItem');
    const claimed = await claim(store, holder('a'));
    const lostTakeover = lose('PutItem');
    const tookOver = await claim(store, holder('b'), NOW + 40_000);
    const lostCompletion = lose('UpdateItem');
    const completed = await store.complete(
      'rollback#prod/web#ecs-svc/1',
      holder('b'),
      'ok',
      NOW + 41_000,
      KEEP,
    );
    // Assess: each fault fired, and each write answered as if its answer had arrived
    expect([lostClaim, lostTakeover, lostCompletion].map((f) => f.remaining)).toStrictEqual([
      0, 0, 0,
    ]);
    expect(claimed.outcome).toBe('claimed');
    expect(tookOver).toMatchObject({ outcome: 'claimed', record: { holder: holder('b') } });
    expect(completed).toBe(true);
    expect(await claim(store, holder('c'), NOW + 50_000)).toMatchObject({
      outcome: 'done',
      record: { result: 'ok' },
    });
  });
});

describe('runOnce: a side effect under a lease', () => {
  const invocation = (request: string, attempt = 1, remainingMs = 30_000): Invocation => ({
    requestId: request,
    attemptId: `${request}/${attempt}`,
    remainingMs: () => remainingMs,
  });
  const context = (leases: LeaseStore, inv: Invocation, at = NOW) => ({
    leases,
    invocation: inv,
    clock: () => new Date(at),
  });
  const effect = (acts: string[], overrides: Partial<Effect<string>> = {}): Effect<string> => ({
    key: 'alert#sns#web-rolled-back',
    keepSeconds: KEEP,
    act: async () => {
      acts.push('act');
      return 'sent';
    },
    ...overrides,
  });

  it('acts once, and a later attempt or copy finds it done with its result', async () => {
    // Prepare
    const leases = new MemoryLeaseStore();
    const acts: string[] = [];
    // Act
    const first = await runOnce(effect(acts), context(leases, invocation('a')));
    const copy = await runOnce(effect(acts), context(leases, invocation('b'), NOW + 1_000));
    // Assess
    expect(first).toMatchObject({ status: 'done', result: 'sent' });
    expect(copy).toStrictEqual({ status: 'already', result: 'sent' });
    expect(acts).toStrictEqual(['act']);
  });

  it('fails retryably while another invocation holds the lease', async () => {
    // Prepare: a holds the lease and has not finished
    const leases = new MemoryLeaseStore();
    await leases.claim({
      key: 'alert#sns#web-rolled-back',
      holder: { requestId: 'a', attemptId: 'a/1' },
      now: NOW,
      until: NOW + 30_000,
      keepSeconds: KEEP,
    });
    const acts: string[] = [];
    // Act
    const attempt = runOnce(effect(acts), context(leases, invocation('b'), NOW + 1_000));
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(LeaseHeldError);
    await expect(attempt).rejects.toMatchObject({ retryable: true });
    expect(acts).toStrictEqual([]);
  });

  it('gives the lease back when the act fails, so the retry acts at once', async () => {
    // Prepare
    const leases = new MemoryLeaseStore();
    const acts: string[] = [];
    const failing = effect(acts, {
      act: async () => {
        throw new Error('SNS is down');
      },
    });
    // Act
    await expect(runOnce(failing, context(leases, invocation('a')))).rejects.toThrow('SNS is down');
    const retry = await runOnce(effect(acts), context(leases, invocation('b'), NOW + 1_000));
    // Assess
    expect(retry).toMatchObject({ status: 'done' });
    expect(acts).toStrictEqual(['act']);
  });

  it('checks before acting again when an act that can be checked failed after its effect', async () => {
    // Prepare: the rollback's UpdateService was applied, then recording it was throttled
    const leases = new MemoryLeaseStore();
    const service: string[] = [];
    const rollback = (fail: boolean): Effect<string> => ({
      key: 'rollback#prod/payments#ecs-svc/1',
      keepSeconds: KEEP,
      recover: async () => (service.length > 0 ? 'found the earlier UpdateService' : undefined),
      act: async () => {
        service.push('UpdateService');
        if (fail) throw new Error('ThrottlingException');
        return 'rolled back';
      },
    });
    // Act: the first attempt fails; a later STOPPED event of another request claims it
    await expect(runOnce(rollback(true), context(leases, invocation('a')))).rejects.toThrow(
      'ThrottlingException',
    );
    const next = await runOnce(rollback(false), context(leases, invocation('b'), NOW + 1_000));
    // Assess: one UpdateService, found rather than made again
    expect(next).toStrictEqual({
      status: 'done',
      result: 'found the earlier UpdateService',
      recovered: true,
    });
    expect(service).toStrictEqual(['UpdateService']);
  });

  it('does not repeat an act a dead holder began and could not check (uncertain)', async () => {
    // Prepare: attempt 1 marked the alert acting, then died before completing
    const leases = new MemoryLeaseStore();
    const dead = { requestId: 'a', attemptId: 'a/1' };
    await leases.claim({
      key: 'alert#sns#web-rolled-back',
      holder: dead,
      now: NOW,
      until: NOW + 30_000,
      keepSeconds: KEEP,
    });
    await leases.markActing('alert#sns#web-rolled-back', dead);
    const acts: string[] = [];
    // Act: Lambda's retry a minute later
    const retry = await runOnce(effect(acts), context(leases, invocation('a', 2), NOW + 60_000));
    // Assess
    expect(retry.status).toBe('uncertain');
    expect(acts).toStrictEqual([]);
  });

  it('recovers what a dead holder did instead of doing it again, and acts when it did nothing', async () => {
    // Prepare: two dead holders; the first had rolled back, the second had not
    const leases = new MemoryLeaseStore();
    for (const key of ['rollback#1', 'rollback#2'])
      await leases.claim({
        key,
        holder: { requestId: key, attemptId: `${key}/1` },
        now: NOW,
        until: NOW + 30_000,
        keepSeconds: KEEP,
      });
    const acts: string[] = [];
    const rollback = (key: string, found: string | undefined) =>
      effect(acts, {
        key,
        recover: async () => found,
        act: async () => {
          acts.push(key);
          return 'rolled back';
        },
      });
    // Act
    const found = await runOnce(
      rollback('rollback#1', 'found'),
      context(leases, invocation('rollback#1', 2), NOW + 60_000),
    );
    const redone = await runOnce(
      rollback('rollback#2', undefined),
      context(leases, invocation('rollback#2', 2), NOW + 60_000),
    );
    // Assess
    expect(found).toStrictEqual({ status: 'done', result: 'found', recovered: true });
    expect(redone).toStrictEqual({ status: 'done', result: 'rolled back', recovered: false });
    expect(acts).toStrictEqual(['rollback#2']);
  });
});
