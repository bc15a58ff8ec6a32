import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import { START } from './harness.ts';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Simulated time', () => {
  let local: LocalAws;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
  });

  afterEach(async () => {
    await local.close();
  });

  it('lets tracked work in flight finish at the current instant before time moves on', async () => {
    // Prepare: work between two calls (a Lambda invocation computing, then reading the clock)
    let seenAt: number | undefined;
    void local.track(
      (async () => {
        for (let i = 0; i < 20; i += 1) await turn();
        await new Promise((resolve) => setTimeout(resolve, 5));
        seenAt = local.clock.nowMs();
      })(),
    );
    // Act: a minute with no timer due in it
    await local.clock.advance(60_000);
    // Assess: the work saw the instant it started at, not the end of the minute
    expect(seenAt).toBe(START.getTime());
    expect(local.clock.nowMs()).toBe(START.getTime() + 60_000);
  });
});
