/**
 * A log that says the same message again only after `everyMs`, then with how many times it was
 * left out: a service whose Redis is down gets the same connection error from its clients several
 * times a second, and an operator needs it once, not a screenful. A new message is said at once.
 */
export function quietRepeats(log: (message: string) => void, everyMs = 60_000): (message: string) => void {
  let last: string | undefined;
  let saidAt = 0;
  let leftOut = 0;
  return (message) => {
    const now = Date.now();
    if (message === last && now - saidAt < everyMs) {
      leftOut++;
      return;
    }
    log(message === last && leftOut > 0 ? `${message} (${leftOut} more since)` : message);
    last = message;
    saidAt = now;
    leftOut = 0;
  };
}
