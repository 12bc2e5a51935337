import { makeDynamoClients } from '../shared/adapters/aws/clients.js';
import { ensureTable } from '../shared/adapters/aws/dynamo/table.js';
import { makeStores } from '../shared/adapters/aws/wiring.js';
import type { EmbeddedStack } from '../shared/adapters/local/embeddedStack.js';
import { LocalScheduleStore } from '../shared/adapters/local/localScheduleStore.js';
import { exceljsSheets } from '../shared/adapters/sheets/exceljsSheets.js';
import { importPlan } from '../shared/domain/calendar/importPlan.js';
import { exitBoard } from '../shared/domain/exits/board.js';
import { creditCodeCheckCharacter } from '../shared/domain/exits/creditCode.js';
import { EXIT_FIELD_LABEL, EXIT_FIELDS } from '../shared/domain/exits/fields.js';
import { importExitRows } from '../shared/domain/exits/importItems.js';
import { ledgerOf } from '../shared/domain/exits/status.js';
import { EXIT_METHODS } from '../shared/domain/exits/steps.js';
import type { Plan, Unit } from '../shared/domain/plan/schema.js';
import { parsePlan } from '../shared/domain/plan/validate.js';
import { VirtualClock } from '../shared/domain/time/clocks.js';
import { instantOf } from '../shared/domain/time/wallClock.js';
import { countRequests } from '../sim/requestCounter.js';
import { round } from './round.js';

export interface LedgerBenchResult {
  readonly cities: number;
  readonly items: number;
  /** Reading every city's XLSX (one file each) and importing it, end to end, all files together. */
  readonly importMs: number;
  /** Of that, reading the workbooks alone. */
  readonly readMs: number;
  /** DynamoDB requests of the imports (plan reads, the ledger's Query, audit records, the items' Puts) per item. */
  readonly ddbRequestsPerItem: number;
  readonly ddbByCommand: Record<string, number>;
  /** The board's data: the whole ledger read (one paged Query) and every city's counts and items' steps. */
  readonly boardMs: number;
  readonly boardQueryMs: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A provincial plan: `cities` cities keeping one exit ledger (the default steps), received by the province. */
function provincialPlan(cities: number): Plan {
  const province: Unit = {
    id: 'province',
    name: '省工业和信息化厅',
    kind: 'province',
    email: 'gxt@province.bench.example',
    head: { email: 'head@province.bench.example' },
    supervisor: { email: 'supervisor@province.bench.example' },
  };
  const units = Array.from(
    { length: cities },
    (_, i): Unit => ({
      id: `city${pad(i + 1, 2)}`,
      name: `示例${pad(i + 1, 2)}市人民政府`,
      kind: 'district',
      email: `office@city${pad(i + 1, 2)}.bench.example`,
      head: { email: `head@city${pad(i + 1, 2)}.bench.example` },
      supervisor: { email: `supervisor@city${pad(i + 1, 2)}.bench.example` },
    }),
  );
  return parsePlan({
    id: 'bench-ledger',
    title: '全省推动落后产能退出工作计划（基准测试）',
    timezone: 'Asia/Shanghai',
    units: [province, ...units],
    milestones: [
      {
        id: 'exit-ledger',
        title: '落后产能企业退出台账',
        phase: '执行监管',
        deadline: '2021-12-15',
        responsible: units.map((u) => u.id),
        recipient: 'province',
        deliverable: '落后产能退出企业台账',
        basis: '依法关闭退出的落后产能企业清单。',
        ledger: {},
      },
    ],
    ladder: { coordinator: { name: '基准测试协调小组', email: 'xietiao@province.bench.example' } },
  });
}

/** One city's file as a workbook: the header row, then its items (fictional, with valid check characters). */
async function cityWorkbook(city: number, count: number, firstItem: number): Promise<Uint8Array> {
  const rows = Array.from({ length: count }, (_, j) => {
    const n = firstItem + j;
    const first17 = `91${44}${pad(city, 2)}00MA${pad(n, 7)}`;
    return [
      `示例${pad(city, 2)}市示例企业${pad(n, 5)}有限公司（示例）`,
      `${first17}${creditCodeCheckCharacter(first17)}`,
      '水泥',
      '直径3米以下水泥粉磨设备',
      String(1 + (n % 4)),
      '台',
      EXIT_METHODS[n % EXIT_METHODS.length] as string,
      `2021-${pad(7 + (n % 5), 2)}-${pad(1 + (n % 28), 2)}`,
    ];
  });
  return exceljsSheets.write([{ name: '退出台账', header: EXIT_FIELDS.map((f) => EXIT_FIELD_LABEL[f]), rows }], 'xlsx');
}

/**
 * 退出台账 at provincial scale: `items` enterprises over `cities` cities, each city's XLSX imported through the same
 * domain function as the CLI and the portal, against dynalite through the real SDK; then the board's data.
 */
export async function runLedgerBench(options: {
  stack: EmbeddedStack;
  cities: number;
  items: number;
}): Promise<LedgerBenchResult> {
  const { stack } = options;
  const endpoints = { region: stack.region, dynamodbEndpoint: stack.dynamodbEndpoint };
  const table = 'bench-ledger';
  const { ddb } = makeDynamoClients(endpoints);
  await ensureTable(ddb, table);
  ddb.destroy();
  const stores = makeStores(endpoints, table);
  try {
    const plan = provincialPlan(options.cities);
    const clock = new VirtualClock(instantOf('2021-06-01T09:00:00', plan.timezone));
    await importPlan({ calendar: stores.calendar, schedules: new LocalScheduleStore(), clock }, plan, 'bench');
    const perCity = Math.ceil(options.items / options.cities);
    const files: Uint8Array[] = [];
    for (let c = 1; c <= options.cities; c++) {
      const first = (c - 1) * perCity;
      files.push(await cityWorkbook(c, Math.max(0, Math.min(perCity, options.items - first)), first));
    }

    const counter = countRequests(stores.ddb);
    let readMs = 0;
    const started = performance.now();
    let imported = 0;
    for (const [i, bytes] of files.entries()) {
      const readStart = performance.now();
      const rows = await exceljsSheets.read(bytes, 'xlsx');
      readMs += performance.now() - readStart;
      const result = await importExitRows(
        { calendar: stores.calendar, exits: stores.exits, clock },
        { plan: plan.id, unit: `city${pad(i + 1, 2)}`, rows, file: { name: `city${i + 1}.xlsx`, sha256: '-' } },
        'bench',
      );
      imported += result.created.length;
    }
    const importMs = performance.now() - started;
    counter.detach();
    if (imported !== options.items) throw new Error(`imported ${imported} of ${options.items} items`);

    const boardStart = performance.now();
    const stored = await stores.calendar.loadPlan(plan.id);
    const items = await stores.exits.listItems(plan.id);
    const boardQueryMs = performance.now() - boardStart;
    const milestone = stored && ledgerOf(stored);
    if (!stored || !milestone) throw new Error('the provincial plan did not import');
    const board = exitBoard(stored, milestone, items, clock.now() + 200 * 86_400_000);
    const boardMs = performance.now() - boardStart;
    if (board.total !== options.items) throw new Error(`the board counted ${board.total} items`);

    return {
      cities: options.cities,
      items: options.items,
      importMs: Math.round(importMs),
      readMs: Math.round(readMs),
      ddbRequestsPerItem: round(counter.total() / options.items, 4),
      ddbByCommand: counter.byCommand(),
      boardMs: Math.round(boardMs),
      boardQueryMs: Math.round(boardQueryMs),
    };
  } finally {
    stores.ddb.destroy();
  }
}
