import { makeEventBridgeScheduleStore } from '../shared/adapters/aws/scheduler/wiring.js';
import { makeStores } from '../shared/adapters/aws/wiring.js';
import { powertoolsLog } from '../shared/adapters/powertoolsLog.js';
import { readBaseConfig, readSchedulingConfig } from '../shared/config.js';
import { systemClock } from '../shared/domain/time/clocks.js';
import { makeCalendarApiHandler } from '../shared/handlers/calendarApiHandler.js';

// Config and clients once per cold start; a missing variable fails here, naming itself.
const base = readBaseConfig();
const scheduling = readSchedulingConfig();
const { calendar, submissions, ledger, exits } = makeStores(
  { region: base.AWS_REGION, dynamodbEndpoint: base.DYNAMODB_ENDPOINT },
  base.TABLE_NAME,
);

/** The admin API's plan routes: import, read, edit (each edit reconciles the plan's schedules), history, board. */
export const handler = makeCalendarApiHandler({
  calendar,
  submissions,
  ledger,
  exits,
  schedules: makeEventBridgeScheduleStore(scheduling, base.AWS_REGION),
  clock: systemClock,
  log: powertoolsLog(),
});
