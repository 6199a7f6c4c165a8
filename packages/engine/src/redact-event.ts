/**
 * Redaction, once, where events leave the engine: every string an event carries that the engine did
 * not redact as it made it passes through the redactor here. Request, response and database records
 * are the exception: they are redacted as they are made, because their bodies are cut to the report
 * size and a secret must be replaced before a cut could split it.
 */
import { type Redactor, type RunEvent, redactRecord, type StepResult } from '@sortie/core';

/**
 * Redacts an event in place and returns it. Results are the engine's own, fresh objects and the
 * event is the first to carry them. A step's children are not walked: each went out, redacted, in
 * its own step:end first. Without a secret that may be in the event, nothing is copied.
 */
export function redactEvent(event: RunEvent, redactor: Redactor): RunEvent {
  if (redactor.size === 0) return event;
  switch (event.type) {
    case 'step:start':
      event.name = redactor.redact(event.name);
      event.path = redactPath(event.path, redactor);
      break;
    case 'step:end':
      redactStepResult(event.result, redactor);
      break;
    case 'scenario:end':
      if (event.result.error !== undefined) event.result.error = redactRecord(event.result.error, redactor);
      break;
    case 'log':
      event.message = redactor.redact(event.message);
      break;
    case 'token':
      if (event.message !== undefined) event.message = redactor.redact(event.message);
      break;
    default:
      break;
  }
  return event;
}

/** The parts of a step result that are redacted here (see the file comment for the records). */
function redactStepResult(result: StepResult, redactor: Redactor): void {
  const { name, path, error, assertions, logs, visualizer, attempts } = result;
  // One serialisation to find out whether a secret may be there at all: the common case copies nothing.
  if (!redactor.mayAppearInJson(JSON.stringify([name, path, error, assertions, logs, visualizer, attempts]))) return;
  result.name = redactor.redact(name);
  result.path = redactPath(path, redactor);
  if (error !== undefined) result.error = redactRecord(error, redactor);
  // Each field redacted but for the engine's own words (`test`, `script`, `true`), keys left as they are.
  for (let i = 0; i < assertions.length; i++) assertions[i] = redactRecord(assertions[i]!, redactor);
  if (logs !== undefined) for (const log of logs) log.message = redactor.redact(log.message);
  if (visualizer !== undefined)
    result.visualizer = { template: redactor.redact(visualizer.template), data: redactor.redactData(visualizer.data) };
  if (attempts !== undefined) result.attempts = redactRecord(attempts, redactor);
}

function redactPath(path: string[], redactor: Redactor): string[] {
  return path.some((part) => redactor.redact(part) !== part) ? path.map((part) => redactor.redact(part)) : path;
}
