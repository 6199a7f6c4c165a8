import type { AuthChoice, Scenario, StepPhase } from '@sortie/core';
import type { SourceFile } from './run-options.js';

/** Where the step sits in the scenario tree, and what it inherits from its parents. */
export interface StepPlace {
  id: string;
  name: string;
  path: string[];
  /** Auth inherited from the enclosing group or the scenario (a request's own `auth` wins). */
  auth?: AuthChoice;
  /**
   * The file whose profiles the inherited `auth` name (or, without one, the environment's default) is
   * looked up in, when that is not the step's own file: the including scenario's, for the steps of an
   * included scenario that has no choice of its own.
   */
  authScenario?: SourceFile<Scenario>;
  /** Set inside a setup or teardown. */
  phase?: StepPhase;
}
