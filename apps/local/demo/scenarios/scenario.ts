import type { LocalStack } from '../../lambda/local-stack.ts';
import type { Timeline } from '../timeline.ts';

/** A story played on the seeded account in simulated time. */
interface Scenario {
  name: string;
  title: string;
  explains: string[];
  run(stack: LocalStack, timeline: Timeline): Promise<void>;
}

/** Advances simulated time (paced by `npm start -- --speed`) and waits for every delivery it caused. */
const elapse = (stack: LocalStack, minutes: number): Promise<void> =>
  stack.elapse(minutes * 60_000);

export { elapse, type Scenario };
