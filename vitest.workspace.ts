/**
 * The test projects of the monorepo. Vitest 4 removed workspace files, so the root
 * vitest.config.ts passes this list to `test.projects`.
 */
export default ['packages/*', 'runner', 'fixtures'];
