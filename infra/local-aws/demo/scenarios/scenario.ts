import type { LocalStack } from '../../lambda/local-stack.ts';
import type { Timeline } from '../timeline.ts';

/** A story played on the seeded account in simulated time. */
interface Scenario {
  name: string;
  title: string;
  explains: string[];
  run(stack: LocalStack, timeline: Timeline): Promise<void>;
}

/** Advances simulated time and waits for every delivery it caused. */
const elapse = async (stack: LocalStack, minutes: number): Promise<void> => {
  await stack.local.clock.advance(minutes * 60_000);
  await stack.settle();
};

export { elapse, type Scenario };
