import { powertoolsLog } from '../shared/adapters/powertoolsLog.js';
import { makeEventBridgeScheduleStore } from '../shared/adapters/schedulerWiring.js';
import { makeStores } from '../shared/adapters/wiring.js';
import { readBaseConfig, readSchedulingConfig } from '../shared/config.js';
import { makeReconcileHandler } from '../shared/handlers/reconcileHandler.js';
import { systemClock } from '../shared/local/virtualClock.js';

// Config and clients once per cold start; a missing variable fails here, naming itself.
const base = readBaseConfig();
const scheduling = readSchedulingConfig();
const endpoints = { region: base.AWS_REGION, dynamodbEndpoint: base.DYNAMODB_ENDPOINT };

/** Daily (`{}`: every plan) or on demand (`{plan}`): makes the schedules match the calendar. */
export const handler = makeReconcileHandler({
  calendar: makeStores(endpoints, base.TABLE_NAME).calendar,
  schedules: makeEventBridgeScheduleStore(scheduling, base.AWS_REGION),
  clock: systemClock,
  log: powertoolsLog(),
});
