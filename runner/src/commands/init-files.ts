/** What `sortie init` writes: the files of a new project, from the answers to its questions. */

export type ScenarioFormat = 'yaml' | 'json';

export interface InitAnswers {
  /** Base URL of the API under test: the `base` variable of the dev environment. */
  base: string;
  /** The path the first scenario sends a GET to. */
  path: string;
  /** The first scenario's format. */
  format: ScenarioFormat;
}

export interface InitFile {
  /** Relative to the project folder, with `/`. */
  path: string;
  role: 'project' | 'environment' | 'scenario' | 'env-example';
  /** One line for the summary `sortie init` prints. */
  description: string;
  content: string;
}

/** A YAML double-quoted scalar (JSON's string syntax is valid YAML). */
const yamlString = (value: string): string => JSON.stringify(value);

export function initFiles(answers: InitAnswers): InitFile[] {
  // The scenario writes `{{base}}/path`: a base ending in "/" would send `//path`, another resource for many servers.
  const base = answers.base.replace(/(?<!\/)\/+$/, '');
  const project = {
    environments: 'environments',
    defaultEnvironment: 'dev',
    reporters: ['cli', 'junit'],
    outDir: 'sortie-reports',
  };
  const environment = [
    '# The "dev" environment: `sortie run` uses it unless -e names another (sortie.config.json,',
    '# defaultEnvironment). Add staging.yaml, prod.yaml… next to it and pick one with -e <name>.',
    'name: dev',
    'variables:',
    `  base: ${yamlString(base)}`,
    '# Secrets are never written here: declare their names, and give the values in the process',
    '# environment or in .env (not committed; .env.example shows what it holds):',
    '# secrets: [API_TOKEN]',
    '',
  ].join('\n');
  const url = `{{base}}${answers.path}`;
  const scenarioValue = {
    name: 'First scenario',
    steps: [
      {
        name: 'the API answers',
        request: { method: 'GET', url },
        post: [{ assert: { status: { lt: 400 } } }, { assert: { responseTime: { lt: 5000 } } }],
      },
    ],
  };
  const scenario =
    answers.format === 'json'
      ? `${JSON.stringify(scenarioValue, null, 2)}\n`
      : [
          '# A first scenario: one request and two assertions. The format: docs/scenario-format.md.',
          'name: First scenario',
          'steps:',
          '  - name: the API answers',
          '    request:',
          '      method: GET',
          `      url: ${yamlString(url)}`,
          '    post:',
          '      - assert: { status: { lt: 400 } }',
          '      - assert: { responseTime: { lt: 5000 } }',
          '',
        ].join('\n');
  const envExample = [
    '# Copy to .env (listed in .gitignore) and fill in. Sortie reads it for the secrets the project',
    '# or the environment declare (`secrets: [API_TOKEN]`); the process environment wins over it.',
    '# API_TOKEN=',
    '',
  ].join('\n');
  return [
    {
      path: 'sortie.config.json',
      role: 'project',
      description: 'project: default environment, reporters, report folder',
      content: `${JSON.stringify(project, null, 2)}\n`,
    },
    { path: 'environments/dev.yaml', role: 'environment', description: 'the dev environment: base URL', content: environment },
    {
      path: `scenarios/first.${answers.format}`,
      role: 'scenario',
      description: `a first scenario: GET ${answers.path}`,
      content: scenario,
    },
    { path: '.env.example', role: 'env-example', description: 'what .env holds (secrets, not committed)', content: envExample },
  ];
}
