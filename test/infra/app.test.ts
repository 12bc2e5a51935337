import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, readContext } from '../../infra/app.js';
import { LAMBDA_RUNTIME_NAME } from '../../infra/runtime.js';

/** The context `cdk synth` runs with: cdk.json's feature flags, template validation included. */
const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;
const senderEmail = 'duban@example.gov.cn';

/** Apps that only read context still need an outdir, or each leaves an empty cdk.out* in the temp dir. */
const scratch = mkdtempSync(join(tmpdir(), 'duban-context-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the CDK app', () => {
  let outdir: string;
  let assembly: CloudAssembly;
  let template: Template;
  /** How many Lambda functions the stack defines (each a DubanFunction with its own bundle). */
  let functionCount: () => number;

  beforeAll(() => {
    // Prepare: the real app, real bundling by the local esbuild, cdk-nag and the template validator on.
    outdir = mkdtempSync(join(tmpdir(), 'duban-app-'));
    const { app, stack } = createApp({
      outdir,
      context: { ...cdkJsonContext, senderEmail, alarmEmail: 'ops@example.gov.cn' },
    });
    functionCount = () => stack.node.findAll().filter((c) => c instanceof NodejsFunction).length;

    // Act: synth throws if cdk-nag or the CloudFormation validator reports an unacknowledged finding.
    assembly = app.synth();
    template = Template.fromStack(stack);
    // Bundling every function takes 20–40 s on 2 idle cores; a shared machine may need several times that.
  }, 240_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes the Duban stack with no unacknowledged cdk-nag or template-validation finding', () => {
    // Assess
    expect(assembly.getStackByName('Duban').template).toHaveProperty('Resources');
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
  });

  it('turns template validation findings into errors', () => {
    // Assess
    expect(cdkJsonContext['@aws-cdk/core:validateAgainstDefaultRules']).toBe(true);
  });

  it('bundles every handler as minified ESM with a require banner and a source map', () => {
    // Prepare: the directory assets of the stack are the function bundles, one per function.
    const manifest = JSON.parse(readFileSync(join(outdir, 'Duban.assets.json'), 'utf8'));
    const assetDirs = Object.values(manifest.files as Record<string, { source: { path: string; packaging?: string } }>)
      .filter((file) => file.source.packaging === 'zip')
      .map((file) => join(outdir, file.source.path));

    // Assess
    expect(assetDirs).toHaveLength(functionCount());
    for (const dir of assetDirs) {
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code.startsWith("import { createRequire as __dubanCreateRequire } from 'node:module';")).toBe(true);
      expect(code).toMatch(/export\s*\{[^}]*as handler\s*\}|export\s*\{\s*handler\s*\}/);
      expect(code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map')).toBe(true);
      const map = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8'));
      // Minified: identifiers were renamed, their original names kept in the map (without the sources' text).
      expect(map.names.length).toBeGreaterThan(0);
      expect(map.sourcesContent).toBeUndefined();
    }
  });

  it('runs every function on the project Node.js major and arm64 with the common environment', () => {
    // Prepare
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));

    // Assess
    expect(functions).toHaveLength(functionCount());
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe(LAMBDA_RUNTIME_NAME);
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Environment.Variables).toMatchObject({
        TABLE_NAME: { Ref: expect.any(String) },
        POWERTOOLS_SERVICE_NAME: 'duban',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it('exports what the CLI reads from the stack, and the queue an operator replays failed dispatches from', () => {
    // Assess
    expect(Object.keys(template.toJSON().Outputs)).toEqual(
      expect.arrayContaining([
        'TableName',
        'ApiUrl',
        'DispatchFunctionArn',
        'SchedulerRoleArn',
        'ScheduleDlqArn',
        'ScheduleGroupPrefix',
        'DispatchDlqUrl',
        'WorkQueueUrl',
        'NoticeDlqUrl',
        'DeliveryEventsDlqUrl',
        'DubanAdminPolicyArn',
        'DubanClerkPolicyArn',
        'DubanViewerPolicyArn',
      ]),
    );
    template.hasOutput('ScheduleGroupPrefix', { Value: 'duban-' });
    const dlqUrl = template.toJSON().Outputs.DispatchDlqUrl.Value as { Ref: string };
    expect(template.toJSON().Resources[dlqUrl.Ref]?.Type).toBe('AWS::SQS::Queue');
  });
});

describe('the app context', () => {
  const contextOf = (context: Record<string, unknown>) => readContext(new App({ outdir: scratch, context }).node);

  it('fails naming senderEmail and an example when it is missing', () => {
    // Act / Assess
    expect(() => createApp({ outdir: scratch, context: {} })).toThrow(
      /"senderEmail".*-c senderEmail=duban@example\.gov\.cn/,
    );
  });

  it('rejects a sender that is not an email address', () => {
    // Act / Assess
    expect(() => contextOf({ senderEmail: 'duban' })).toThrow(/"senderEmail" is not an email address/);
  });

  it('defaults maxSendRate to the SES sandbox rate of 1 per second', () => {
    // Act
    const context = contextOf({ senderEmail });

    // Assess
    expect(context).toEqual({ senderEmail, maxSendRate: 1, dispatchConcurrency: 1, workerConcurrency: 2 });
  });

  it('reads maxSendRate and alarmEmail given as -c strings', () => {
    // Act
    const context = contextOf({ senderEmail, maxSendRate: '14', alarmEmail: 'ops@example.gov.cn' });

    // Assess
    expect(context).toEqual({
      senderEmail,
      maxSendRate: 14,
      dispatchConcurrency: 1,
      workerConcurrency: 2,
      alarmEmail: 'ops@example.gov.cn',
    });
  });

  it('reads dispatchConcurrency and workerConcurrency given as -c strings', () => {
    // Act
    const context = contextOf({ senderEmail, maxSendRate: '14', dispatchConcurrency: '2', workerConcurrency: '4' });

    // Assess
    expect(context).toMatchObject({ maxSendRate: 14, dispatchConcurrency: 2, workerConcurrency: 4 });
  });

  it('rejects a dispatchConcurrency that is not a whole number of instances', () => {
    // Act / Assess
    expect(() => contextOf({ senderEmail, dispatchConcurrency: '0' })).toThrow(/"dispatchConcurrency" must be/);
    expect(() => contextOf({ senderEmail, dispatchConcurrency: '1.5' })).toThrow(/"dispatchConcurrency" must be/);
  });

  it("rejects a workerConcurrency below the event source's 2, not whole, or one that leaves no rate", () => {
    // Act / Assess
    expect(() => contextOf({ senderEmail, workerConcurrency: '1' })).toThrow(
      /"workerConcurrency" must be .* at least 2/,
    );
    expect(() => contextOf({ senderEmail, workerConcurrency: '2.5' })).toThrow(/"workerConcurrency" must be/);
    expect(() => contextOf({ senderEmail, maxSendRate: '0.5', workerConcurrency: '1000' })).toThrow(
      /less than 0\.001 of maxSendRate/,
    );
  });

  it('reads sandboxRecipients as a comma-separated list of SES identities', () => {
    // Act
    const context = contextOf({ senderEmail, sandboxRecipients: 'unit@example.gov.cn, example.cn' });

    // Assess
    expect(context.sandboxRecipients).toEqual(['unit@example.gov.cn', 'example.cn']);
  });

  it('rejects sandboxRecipients that are not addresses or domains', () => {
    // Act / Assess
    expect(() => contextOf({ senderEmail, sandboxRecipients: 'unit,' })).toThrow(/"sandboxRecipients"/);
  });

  it('reads senderDomain and planScope, and refuses a sender outside the domain or a plan id that is no slug', () => {
    // Act
    const context = contextOf({ senderEmail, senderDomain: 'example.gov.cn', planScope: 'jiangmen-2021' });

    // Assess
    expect(context).toMatchObject({ senderDomain: 'example.gov.cn', planScope: 'jiangmen-2021' });
    expect(() => contextOf({ senderEmail, senderDomain: 'other.gov.cn' })).toThrow(
      /"senderEmail" duban@example\.gov\.cn must be an address of "senderDomain" other\.gov\.cn/,
    );
    expect(() => contextOf({ senderEmail, senderDomain: 'not a domain' })).toThrow(/"senderDomain" is not a domain/);
    expect(() => contextOf({ senderEmail, planScope: 'Jiangmen 2021' })).toThrow(/"planScope" must be a plan id/);
  });

  it('rejects a maxSendRate that is not a positive number', () => {
    // Act / Assess
    expect(() => contextOf({ senderEmail, maxSendRate: 'fast' })).toThrow(/"maxSendRate" must be a number/);
    expect(() => contextOf({ senderEmail, maxSendRate: 0 })).toThrow(/"maxSendRate"/);
  });
});
