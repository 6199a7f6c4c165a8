import type { AuthChoice, StepPhase } from '@sortie/core';

/** Where the step sits in the scenario tree, and what it inherits from its parents. */
export interface StepPlace {
  id: string;
  name: string;
  path: string[];
  /** Auth inherited from the enclosing group or the scenario (a request's own `auth` wins). */
  auth?: AuthChoice;
  /** Set inside a setup or teardown. */
  phase?: StepPhase;
}
