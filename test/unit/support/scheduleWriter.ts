/**
 * One writer process of test/unit/localScheduleStore.test.ts: waits until `start` (epoch ms) so that
 * every writer begins at once, then creates `count` schedules `<prefix>-<i>` on `file`, updating each
 * once right after creating it, as the runner and a CLI edit do to the same file.
 */
import { LocalScheduleStore } from '../../../shared/adapters/local/localScheduleStore.js';
import type { ScheduleSpec } from '../../../shared/domain/ports.js';

const [file, prefix, count, start] = process.argv.slice(2);
if (!file || !prefix || !count || !start) throw new Error('usage: scheduleWriter <file> <prefix> <count> <start>');

const spec = (i: number, hour: string): ScheduleSpec => ({
  name: `${prefix}-${i}`,
  plan: 'race',
  at: `2030-01-0${1 + (i % 9)}T${hour}:00:00`,
  timezone: 'Asia/Shanghai',
  payload: { plan: 'race', milestone: prefix, stage: 'reminder', revision: 1 },
});

while (Date.now() < Number(start)) await new Promise((resolve) => setTimeout(resolve, 2));
const store = new LocalScheduleStore(file);
for (let i = 0; i < Number(count); i++) {
  await store.create(spec(i, '09'));
  await store.update(spec(i, '10'));
}
