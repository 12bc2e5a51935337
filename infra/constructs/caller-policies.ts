import { Validations } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { nagResourceFinding } from '../nag.js';
import type { AdminApi, ApiRoute, RouteAccess } from './admin-api.js';

export interface CallerPoliciesProps {
  readonly api: AdminApi;
  /**
   * Limits the policies to one plan's routes (`-c planScope=jiangmen-2021`): `{plan}` in each route's
   * ARN becomes this id. `POST /plans` (an import) names its plan in the body, where IAM cannot see it,
   * so a scoped DubanAdmin cannot import: an unscoped admin imports, the scoped one edits.
   * @default - every plan
   */
  readonly planScope?: string;
}

/** Who may call what: the managed policies an account attaches to people or roles. */
const ROLES: ReadonlyArray<{ name: string; access: readonly RouteAccess[]; description: string }> = [
  {
    name: 'DubanAdmin',
    access: ['read', 'write', 'submit', 'review'],
    description: 'Duban office (督办办公室): every admin API route — import and edit plans, record submissions, read',
  },
  {
    name: 'DubanClerk',
    access: ['submit', 'review'],
    description: 'Duban clerk: records and reviews submissions only',
  },
  { name: 'DubanViewer', access: ['read'], description: 'Duban viewer: reads plans, history and the board only' },
];

/**
 * 调用权限 — managed policies for the callers of the admin API, each allowing `execute-api:Invoke` on
 * exactly the route ARNs (`arn:…:<api-id>/<stage>/<METHOD>/<path>`, a path parameter as `*`) of its
 * role, optionally of one plan. Built from the API's route table, so a route added with its access
 * joins the right policies.
 */
export class CallerPolicies extends Construct {
  public readonly admin: ManagedPolicy;
  public readonly clerk: ManagedPolicy;
  public readonly viewer: ManagedPolicy;

  constructor(scope: Construct, id: string, props: CallerPoliciesProps) {
    super(scope, id);
    const [admin, clerk, viewer] = ROLES.map((role) => {
      const routes = props.api.routes.filter(
        (r) => role.access.includes(r.access) && (props.planScope === undefined || r.path.includes('{plan}')),
      );
      const arns = [...new Set(routes.map((r) => routeArn(props.api, r, props.planScope)))];
      const policy = new ManagedPolicy(this, role.name, {
        managedPolicyName: role.name,
        description: `${role.description}${props.planScope ? ` (plan ${props.planScope})` : ''}`,
        statements: [new PolicyStatement({ actions: ['execute-api:Invoke'], resources: arns })],
      });
      Validations.of(policy).acknowledge(
        ...arns
          .filter((arn) => arn.includes('*'))
          .map((arn) => ({
            id: nagResourceFinding(policy, arn),
            reason: `Route ARN of the admin API: "*" stands for a path parameter (milestone, unit${props.planScope ? '' : ', plan'}) of this one route on this API and stage.`,
          })),
      );
      return policy;
    }) as [ManagedPolicy, ManagedPolicy, ManagedPolicy];
    this.admin = admin;
    this.clerk = clerk;
    this.viewer = viewer;
  }
}

/** `arn:…:execute-api:<region>:<account>:<api-id>/$default/<METHOD>/<path>` with each `{param}` as `*`. */
function routeArn(api: AdminApi, route: ApiRoute, planScope: string | undefined): string {
  const path = route.path.replace('{plan}', planScope ?? '*').replace(/\{[^}]+\}/g, '*');
  return api.api.arnForExecuteApi(route.method, path, api.stage.stageName);
}
