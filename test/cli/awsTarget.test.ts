import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RefusedError } from '../../cli/errors.js';
import { openTarget } from '../../cli/target.js';
import { makeStores } from '../../shared/adapters/aws/wiring.js';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { runCli } from '../support/cli.js';
import { seedPlan, shanghai } from '../support/seed.js';
import { endpoints, freshTable } from '../support/stack.js';

/** What `--aws` reads; each test sets its own. */
const AWS_VARIABLES = [
  'DUBAN_TARGET',
  'TABLE_NAME',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'SCHEDULE_GROUP_PREFIX',
  'DISPATCH_FUNCTION_ARN',
  'SCHEDULER_ROLE_ARN',
  'SCHEDULE_DLQ_ARN',
];
const STEP_5 = 'export the stack outputs as shown in README.md, section "Deploy", step 5';
const SCHEDULING = {
  DISPATCH_FUNCTION_ARN: 'arn:aws:lambda:ap-east-1:111122223333:function:Duban-DispatcherDispatchFunction-AbC',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::111122223333:role/Duban-SchedulingSchedulerRole-AbC',
  SCHEDULE_DLQ_ARN: 'arn:aws:sqs:ap-east-1:111122223333:Duban-SchedulingDeadLettersQueue-AbC',
};

describe('the AWS target', () => {
  const dir = mkdtempSync(join(tmpdir(), 'duban-aws-'));
  const saved = new Map<string, string | undefined>();
  /** A shared-config file with one profile and its region (the SDK reads it when AWS_REGION is not set). */
  const profileFile = join(dir, 'config');
  writeFileSync(profileFile, '[profile duban-ops]\nregion = ap-east-1\n');
  const emptyFile = join(dir, 'empty');
  writeFileSync(emptyFile, '');

  beforeEach(() => {
    for (const name of AWS_VARIABLES) {
      saved.set(name, process.env[name]);
      delete process.env[name];
    }
    process.env.AWS_SHARED_CREDENTIALS_FILE = emptyFile;
    process.env.AWS_CONFIG_FILE = emptyFile;
  });
  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens for commands that only read the calendar with just the table: no scheduling variable needed', async () => {
    // Prepare
    Object.assign(process.env, { TABLE_NAME: 'Duban-DataTable-AbC', AWS_REGION: 'eu-west-1' });

    // Act
    const target = openTarget(true);

    // Assess
    expect(target.kind).toBe('aws');
    expect(await target.stores.ddb.config.region()).toBe('eu-west-1');
    target.close();
  });

  it('asks for the scheduling variables only when a command needs the schedules, naming them and the README step', () => {
    // Prepare
    Object.assign(process.env, { TABLE_NAME: 'Duban-DataTable-AbC', AWS_REGION: 'eu-west-1' });
    const target = openTarget(true);

    // Act
    const schedules = () => target.schedules;
    const preview = () => target.previewSchedules();

    // Assess
    for (const needsSchedules of [schedules, preview]) {
      expect(needsSchedules).toThrow(RefusedError);
      expect(needsSchedules).toThrow(
        /^working on AWS needs DISPATCH_FUNCTION_ARN, SCHEDULER_ROLE_ARN, SCHEDULE_DLQ_ARN/,
      );
      expect(needsSchedules).toThrow(STEP_5);
    }
    target.close();
  });

  it('names TABLE_NAME and the README step when it is missing', () => {
    // Act / Assess
    expect(() => openTarget(true)).toThrow(RefusedError);
    expect(() => openTarget(true)).toThrow(/^working on AWS needs TABLE_NAME in the environment/);
    expect(() => openTarget(true)).toThrow(STEP_5);
  });

  it('takes the region of the profile when AWS_REGION is not set, for the table and the schedules', async () => {
    // Prepare
    Object.assign(process.env, {
      TABLE_NAME: 'Duban-DataTable-AbC',
      AWS_PROFILE: 'duban-ops',
      AWS_CONFIG_FILE: profileFile,
      ...SCHEDULING,
    });

    // Act
    const target = openTarget(true);

    // Assess
    expect(await target.stores.ddb.config.region()).toBe('ap-east-1');
    expect(() => target.schedules).not.toThrow();
    target.close();
  });

  it('says how to set a region when neither AWS_REGION nor the profile has one', async () => {
    // Prepare
    process.env.TABLE_NAME = 'Duban-DataTable-AbC';
    const target = openTarget(true);

    // Act
    const region = target.stores.ddb.config.region();

    // Assess
    await expect(region).rejects.toBeInstanceOf(RefusedError);
    await expect(region).rejects.toThrow(/needs a region: set AWS_REGION, or a region for your profile/);
    target.close();
  });
});

/** `--aws` end to end, against this test run's dynalite standing in for DynamoDB (AWS_ENDPOINT_URL_DYNAMODB). */
describe('the CLI with --aws', () => {
  const plan = seedPlan();
  let tableName: string;
  let stores: ReturnType<typeof makeStores>;
  const baseEnv = () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of AWS_VARIABLES) delete env[name];
    return {
      ...env,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints().dynamodbEndpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'ap-east-1',
      TABLE_NAME: tableName,
    };
  };
  const cli = (env: NodeJS.ProcessEnv, ...args: string[]) => runCli([...args, '--aws'], { env });

  beforeAll(async () => {
    tableName = await freshTable('aws');
    stores = makeStores(endpoints(), tableName);
    const clock = new VirtualClock(shanghai('2021-04-01T00:00:00'));
    await importPlan({ calendar: stores.calendar, schedules: new LocalScheduleStore(), clock }, plan, 'admin');
  });
  afterAll(() => stores.ddb.destroy());

  it('lists the calendar and shows the board with only TABLE_NAME and a region set', async () => {
    // Act
    const list = await cli(baseEnv(), 'calendar', 'list', plan.id, '--json');
    const status = await cli(baseEnv(), 'status', plan.id, '--json', '--now', '2021-06-01T12:00:00+08:00');

    // Assess
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((m: { id: string }) => m.id)).toEqual(plan.milestones.map((m) => m.id));
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toContainEqual({
      milestone: 'district-plans',
      unit: 'enping',
      status: 'missing',
      acknowledged: false,
      deadline: '2021-05-31',
      extended: false,
    });
  });

  it('refuses an edit without the scheduling variables, exit code 1, before writing anything', async () => {
    // Act
    const out = await cli(baseEnv(), 'calendar', 'set-deadline', plan.id, 'district-plans', '2021-06-15');

    // Assess
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^working on AWS needs DISPATCH_FUNCTION_ARN, SCHEDULER_ROLE_ARN, SCHEDULE_DLQ_ARN/);
    expect(out.stderr).toContain(STEP_5);
    const stored = await stores.calendar.loadPlan(plan.id);
    expect(stored?.milestones.find((m) => m.id === 'district-plans')).toMatchObject({
      deadline: '2021-05-31',
      revision: 1,
    });
  });

  it('refuses a self-chosen --actor on AWS, exit code 2: the audit trail names the IAM caller', async () => {
    // Act
    const out = await cli(
      { ...baseEnv(), ...SCHEDULING },
      'calendar',
      'pause',
      plan.id,
      'district-plans',
      '--actor',
      'someone-else',
    );

    // Assess
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(
      '--actor works only on the local stack: on AWS the audit trail names your IAM identity',
    );
    const stored = await stores.calendar.loadPlan(plan.id);
    expect(stored?.milestones.find((m) => m.id === 'district-plans')).toMatchObject({ revision: 1 });
  });

  it('exits 1 naming TABLE_NAME when the stack outputs were not exported', async () => {
    // Prepare
    const { TABLE_NAME: _table, ...env } = baseEnv();

    // Act
    const out = await cli(env, 'calendar', 'history', plan.id);

    // Assess
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^working on AWS needs TABLE_NAME in the environment/);
    expect(out.stderr).toContain(STEP_5);
  });

  it('exits 1 saying how to set a region when neither AWS_REGION nor the profile names one', async () => {
    // Prepare
    const { AWS_REGION: _region, ...env } = baseEnv();
    const configDir = mkdtempSync(join(tmpdir(), 'duban-aws-config-'));
    const empty = join(configDir, 'config');
    writeFileSync(empty, '');

    // Act
    const out = await cli(
      { ...env, AWS_CONFIG_FILE: empty, AWS_SHARED_CREDENTIALS_FILE: empty },
      'calendar',
      'list',
      plan.id,
    );

    // Assess
    expect(out.code).toBe(1);
    expect(out.stderr.trim()).toBe(
      'working on AWS needs a region: set AWS_REGION, or a region for your profile (aws configure set region …)',
    );
    rmSync(configDir, { recursive: true, force: true });
  });
});
