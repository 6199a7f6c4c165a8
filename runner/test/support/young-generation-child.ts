/**
 * Child process of young-generation.test.ts: keeps objects alive long enough to survive scavenges
 * (what makes V8 grow the new space), with or without capYoungGeneration(), and prints the largest
 * new space it saw. First it churns until the new space reached the cap, then waits so the cap's
 * check runs, then churns on: the check's delay is not what is tested, the growth stopping is.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { capYoungGeneration, YOUNG_GENERATION_CAP_BYTES } from '../../src/young-generation.js';

if (process.argv[2] === 'cap') capYoungGeneration();

const ring: unknown[] = new Array(100_000);
let count = 0;
let largest = 0;
const newSpaceBytes = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
/** Replaces `objects` entries of the ring: each lives until 100,000 later ones were made. */
const churn = (objects: number) => {
  for (let index = 0; index < objects; index++, count++) ring[count % ring.length] = { n: count, s: `row-${count}` };
  largest = Math.max(largest, newSpaceBytes());
};

while (largest < YOUNG_GENERATION_CAP_BYTES && count < 20_000_000) churn(1_000);
await new Promise((resolve) => setTimeout(resolve, 300));
for (let batch = 0; batch < 400; batch++) {
  churn(20_000);
  await new Promise((resolve) => setImmediate(resolve));
}
process.stdout.write(JSON.stringify({ largest, cap: YOUNG_GENERATION_CAP_BYTES }));
