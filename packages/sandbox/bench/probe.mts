import { createSandbox } from '../src/index.js';
import { fakeContext, fakeResponse, FakeVariables } from '../test/fakes.js';
const sb = await createSandbox({ timeLimitMs: 5000 });
const vars = new FakeVariables();
async function time(label: string, src: string, N = 2000) {
  for (let i = 0; i < 200; i++) await sb.run(src, fakeContext({ response: fakeResponse({ id: i }), variables: vars }));
  const t = performance.now();
  for (let i = 0; i < N; i++) await sb.run(src, fakeContext({ response: fakeResponse({ id: i }), variables: vars }));
  console.log(label, ((performance.now() - t) / N * 1000).toFixed(1), 'us');
}
await time('empty', '');
await time('json', 'pm.response.json()');
await time('env.set', 'pm.environment.set("a", 1)');
await time('test-noop', 'pm.test("x", () => {})');
await time('expect', 'pm.expect(1).to.equal(1)');
await time('full', `pm.test('ok', () => pm.expect(pm.response.code).to.equal(200)); const b = pm.response.json(); pm.environment.set('id', b.id);`);
const t0 = performance.now();
let s = 0; for (let i = 0; i < 2000000; i++) { s += Math.random() } 
sb.dispose();
