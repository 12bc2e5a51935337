import type { Command } from 'commander';
import { setHolidayYear } from '../../shared/domain/calendar/officeHolidays.js';
import { PlanValidationError } from '../../shared/domain/plan/validate.js';
import { formatInZone } from '../../shared/domain/time/wallClock.js';
import { BUILT_IN_YEARS } from '../../shared/domain/time/workdays.js';
import { UsageError } from '../errors.js';
import { readUserFile } from '../io.js';
import { describeReconcile, describeRequests } from '../output/calendarOutput.js';
import { renderTable } from '../output/table.js';
import {
  type ChangeFlags,
  changeClock,
  changeDeps,
  changeOptions,
  type TargetFlags,
  targetOptions,
  withTarget,
} from './calendarRun.js';

/** A year's file is two short lists of dates. */
const MAX_HOLIDAY_BYTES = 64 * 1024;

/** `calendar holidays set|list`: next year's 放假安排, entered once for every plan. */
export function registerHolidayCommands(calendar: Command): void {
  const holidays = calendar
    .command('holidays')
    .description(`放假安排: days off and make-up workdays for years after ${BUILT_IN_YEARS.last}, for every plan`);
  changeOptions(
    holidays
      .command('set <year> <file>')
      .description('enter a year’s 放假安排 from {"off": [dates], "workdays": [dates]}; every plan is re-planned'),
  ).action(setHolidays);
  targetOptions(holidays.command('list').description('the years entered, with who entered them and when'))
    .option('--json', 'print JSON')
    .action(listHolidays);
}

export async function setHolidays(yearText: string, file: string, flags: ChangeFlags): Promise<void> {
  if (!/^\d{4}$/.test(yearText))
    throw new UsageError(`calendar holidays set: <year> must be a year like 2027, got "${yearText}"`);
  const input = parseJson(readUserFile(file, MAX_HOLIDAY_BYTES));
  const clock = changeClock(flags, 'calendar holidays set');
  await withTarget(flags, async (target) => {
    const deps = changeDeps(target, clock, flags.dryRun);
    const change = await setHolidayYear(deps, Number(yearText), input, await target.actor(flags.actor));
    if (flags.json) return console.log(JSON.stringify({ dryRun: Boolean(flags.dryRun), ...change }, null, 2));
    const { after, before } = change;
    const verb = before ? '更新' : '录入';
    console.log(
      `${flags.dryRun ? '（演练，未写入）' : ''}${verb} ${after.year} 年放假安排：休息日 ${after.off.length} 天，调休上班 ${after.workdays.length} 天；所有计划（${change.plans.length} 个）按新安排排期`,
    );
    for (const plan of change.plans) {
      console.log(`  ${plan.plan}:`);
      for (const line of describeReconcile(plan)) console.log(`    ${line}`);
    }
    const requests = deps.requests?.requests();
    if (requests) for (const line of describeRequests(requests)) console.log(line);
  });
}

export async function listHolidays(flags: TargetFlags & { json?: boolean }): Promise<void> {
  await withTarget(flags, async (target) => {
    const years = await target.stores.calendar.listHolidayYears();
    if (flags.json) return console.log(JSON.stringify(years, null, 2));
    if (years.length === 0) {
      console.log(`尚未录入任何年份（内置数据覆盖 ${BUILT_IN_YEARS.first}–${BUILT_IN_YEARS.last} 年）`);
      return;
    }
    const rows = years.map((y) => [
      String(y.year),
      String(y.off.length),
      String(y.workdays.length),
      y.by,
      formatInZone(y.at, 'Asia/Shanghai').replace('T', ' ').slice(0, 16),
    ]);
    console.log(renderTable(['年份', '休息日', '调休上班', '录入人', '录入时间（Asia/Shanghai）'], rows));
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new PlanValidationError([{ path: '(file)', message: `is not JSON: ${(cause as Error).message}` }], { cause });
  }
}
