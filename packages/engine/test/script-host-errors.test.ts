/** An error a host function throws (Sortie's own SortieError) reaches the script, and its report, as a plain Error. */
import { describe, expect, it } from 'vitest';
import { runFlow } from './support/run-flow.js';

describe('host errors in scripts', () => {
  it('reads "Error: …" in the step error, not the class name "SortieError: …"', async () => {
    const { steps } = await runFlow({ name: 'host error', steps: [{ name: 's', script: "pm.variables.replaceIn('{{$bogusThing}}');" }] });
    expect(steps[0]?.error?.message).toBe(
      'Script "s" failed at s:1:23: Error: template "{{$bogusThing}}": unknown dynamic value "$bogusThing"',
    );
  });

  it('gives a script that catches it an Error named Error', async () => {
    const script =
      "try { pm.variables.replaceIn('{{$bogusThing}}'); } catch (e) { pm.test('Error: ' + String(e), () => pm.expect(e.name).to.equal('Error')); }";
    const { steps } = await runFlow({ name: 'caught', steps: [{ name: 's', script }] });
    expect(steps[0]?.assertions.map((a) => `${a.name} ${a.passed}`)).toEqual([
      'Error: Error: template "{{$bogusThing}}": unknown dynamic value "$bogusThing" true',
    ]);
    expect(steps[0]?.error).toBeUndefined();
  });
});
