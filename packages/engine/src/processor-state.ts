import type { AssertionResult, DbRecord, HttpResponse, ScriptLogRecord, SourceExcerpt, StepResult } from '@sortie/core';
import type { ScriptRequest } from '@sortie/sandbox';

/** What processors of one step accumulate. */
export interface ProcessorState {
  response?: HttpResponse;
  /** What jsonpath reads instead of the response body: the result of a db step. */
  data?: unknown;
  assertions: AssertionResult[];
  extracted: string[];
  /** Database operations run by the step, in order. */
  db: DbRecord[];
  /** Console output of the step's scripts. */
  logs?: ScriptLogRecord[];
  /** `prerequest` for pre-processors of a request step, else `test`. */
  phase?: 'prerequest' | 'test';
  /** Step name and id, for script names and pm.info. */
  stepName?: string;
  stepId?: string;
  /** Names of the groups around the step (pm.execution.location). */
  stepPath?: readonly string[];
  /** The request scripts see; a pre-request script may change it (then `requestChanged`). */
  request?: ScriptRequest;
  requestChanged?: boolean;
  /** The request that was sent (its method and URL), for contract checks. */
  sent?: { method: string; url: string };
  /** Cookies of the run's jar for the request URL (the cookie selector and pm.cookies read them). */
  cookies?: Record<string, string>;
  /** `pm.execution.skipRequest()` was called. */
  skip?: boolean;
  visualizer?: { template: string; data: unknown };
  /** Where the processor that threw is written: the step's error points there. */
  errorLocation?: SourceExcerpt;
}

/** The state of a leaf step's processors, collecting into the step's result (its assertions and extracted names). */
export function createProcessorState(result: StepResult): ProcessorState {
  return {
    assertions: result.assertions,
    extracted: result.extracted,
    db: [],
    stepName: result.name,
    stepId: result.id,
    stepPath: result.path,
  };
}
