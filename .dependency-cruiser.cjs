/**
 * The dependency direction of DESIGN.md, enforced in CI (`pnpm deps:check`):
 * core ← config/template/extract ← http/auth/sandbox/db/project ← engine ← api ← runner;
 * reporters ← core only; api also uses reporters.
 */
const pkg = (names) => `^packages/(${names.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-the-bottom',
      severity: 'error',
      from: { path: pkg(['core']) },
      to: { path: '^(packages/(?!core/)|runner/|fixtures/)' },
    },
    {
      name: 'level-1-uses-core-only',
      severity: 'error',
      from: { path: pkg(['config', 'template', 'extract']) },
      to: { path: '^(packages/(?!(core|config|template|extract)/)|runner/|fixtures/)' },
    },
    {
      name: 'level-1-siblings-are-independent',
      severity: 'error',
      from: { path: pkg(['config', 'template', 'extract']), pathNot: '^packages/$1/' },
      to: { path: pkg(['config', 'template', 'extract']), pathNot: '^packages/$1/' },
    },
    {
      name: 'level-2-below-engine',
      severity: 'error',
      from: { path: pkg(['http', 'auth', 'sandbox', 'db', 'project']) },
      to: { path: '^(packages/(engine|reporters|api)/|runner/|fixtures/)' },
    },
    {
      name: 'project-loads-without-running',
      severity: 'error',
      comment: 'the run plan is made from config and template only: no HTTP, auth, sandbox or database',
      from: { path: pkg(['project']) },
      to: { path: pkg(['http', 'auth', 'sandbox', 'db']) },
    },
    {
      name: 'postman-converts-without-running',
      severity: 'error',
      comment: 'Postman files become the scenario and environment the loader makes: conversion only, from core and config',
      from: { path: pkg(['postman']) },
      to: { path: '^(packages/(?!(core|config|postman)/)|runner/|fixtures/)' },
    },
    { name: 'http-never-imports-auth', severity: 'error', from: { path: pkg(['http']) }, to: { path: pkg(['auth', 'sandbox', 'db']) } },
    {
      name: 'engine-never-reports',
      severity: 'error',
      from: { path: pkg(['engine']) },
      to: { path: '^(packages/(reporters|api)/|runner/|fixtures/)' },
    },
    {
      name: 'api-below-runner',
      severity: 'error',
      from: { path: pkg(['api']) },
      to: { path: '^(runner/|fixtures/)' },
    },
    {
      name: 'runner-runs-through-the-api',
      severity: 'error',
      comment: 'the CLI runs what a library user runs: engine and project are reached through @sortie/api',
      from: { path: '^runner/' },
      to: { path: pkg(['engine']) },
    },
    {
      name: 'reporters-use-core-only',
      severity: 'error',
      from: { path: pkg(['reporters']) },
      to: { path: '^(packages/(?!(core|reporters)/)|runner/|fixtures/)' },
    },
    {
      name: 'testkit-only-in-tests',
      severity: 'error',
      comment: '@sortie/testkit holds test helpers; no source module (and so no published code) may import it',
      from: { path: '^(packages/(?!testkit/)|runner/)' },
      to: { path: '^packages/testkit/' },
    },
    {
      name: 'testkit-uses-core-only',
      severity: 'error',
      from: { path: pkg(['testkit']) },
      to: { path: '^(packages/(?!(core|testkit)/)|runner/|fixtures/)' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'an import of an undeclared package or a missing file',
      from: {},
      to: { couldNotResolve: true },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(test|bench|dist|dist-libs)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.json'],
    },
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
