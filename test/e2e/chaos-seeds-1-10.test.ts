import { chaosSeeds } from '#support/chaos-seeds.ts';

// Issue 10: the chaos mode over at least 20 seeds (this file and its sibling), 0 lost, 0 doubled.
chaosSeeds(1, 10);
