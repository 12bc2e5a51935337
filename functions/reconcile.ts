import { makeEventBridgeScheduleStore } from '../shared/adapters/aws/scheduler/wiring.js';
import { makeStores } from '../shared/adapters/aws/wiring.js';
import { powertoolsLog } from '../shared/adapters/powertoolsLog.js';
import { readBaseConfig, readSchedulingConfig } from '../shared/config.js';
import { systemClock } from '../shared/domain/time/clocks.js';
import { makeReconcileHandler } from '../shared/handlers/reconcileHandler.js';

// Config and clients once per cold start; a missing variable fails here, naming itself.
const base = readBaseConfig();
const scheduling = readSchedulingConfig();
const endpoints = { region: base.AWS_REGION, dynamodbEndpoint: base.DYNAMODB_ENDPOINT };

const stores = makeStores(endpoints, base.TABLE_NAME);

/** Daily (`{}`: every plan) or on demand (`{plan}`): makes the schedules match the calendar and the exit ledger. */
export const handler = makeReconcileHandler({
  calendar: stores.calendar,
  exits: stores.exits,
  schedules: makeEventBridgeScheduleStore(scheduling, base.AWS_REGION),
  clock: systemClock,
  log: powertoolsLog(),
});
