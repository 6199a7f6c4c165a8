/**
 * A signing profile whose field renders to nothing (`region: "{{REGION}}"` with REGION empty) is refused before
 * anything is sent, naming the field: the request used to be signed for an empty region and sent, and only the
 * server's refusal (or a refused connection) said anything.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redactor, type RunEvent, ScenarioSchema, type StepResult } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../src/index.js';

let received = 0;
const server = createServer((_req, res) => {
  received += 1;
  res.end('{}');
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a signing profile field that rendered to nothing', () => {
  it('awsv4: an empty region is an auth error naming the field, and nothing is sent', async () => {
    const value = ScenarioSchema.parse({
      name: 'aws',
      auth: {
        profiles: {
          aws: {
            type: 'awsv4',
            accessKeyId: 'AKIDEXAMPLE',
            secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
            region: '{{REGION}}',
            service: 'execute-api',
          },
        },
        use: 'aws',
      },
      steps: [{ name: 'call', request: { url: `${base}/item` } }],
    });
    const events: RunEvent[] = [];
    await runScenarios({
      scenarios: [{ value, file: 'aws.json', dir: process.cwd() }],
      envVars: { REGION: '' },
      redactor: new Redactor(),
      onEvent: (event) => events.push(event),
    });
    const step = events.flatMap((event) => (event.type === 'step:end' ? [event.result] : []))[0] as StepResult;
    expect(step.status).toBe('error');
    expect(step.error).toMatchObject({ title: 'Invalid auth profile', message: 'profile "aws": region is empty' });
    expect(received).toBe(0);
  });
});
