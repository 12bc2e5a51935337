import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;

describe('cdk-nag in the app', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-nag-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('fails synth on a finding nobody acknowledged, and reports only that one', () => {
    // Prepare: the real app plus a queue that is neither TLS-only nor a known dead-letter queue.
    const { app, stack } = createApp({
      outdir,
      context: {
        ...cdkJsonContext,
        senderEmail: 'duban@example.gov.cn',
        alarmEmail: 'ops@example.gov.cn',
        'aws:cdk:bundling-stacks': [],
      },
    });
    new Queue(stack, 'Careless');

    // Act
    const failure = (() => {
      try {
        app.synth();
        return undefined;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    })();

    // Assess
    expect(failure).toContain('AwsSolutions-SQS4');
    const flagged = [...(failure ?? '').matchAll(/^\s+(Duban\/\S+)/gm)].map((match) => match[1]);
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.every((path) => path?.startsWith('Duban/Careless/'))).toBe(true);
  });
});
