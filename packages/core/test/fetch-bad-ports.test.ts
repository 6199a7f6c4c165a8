/**
 * The bad ports of the Fetch standard as Node's own fetch applies them: every port the list names is
 * refused before any connection ("bad port"), and its neighbours outside the list are tried (refused
 * by the closed port instead, on this machine's loopback).
 */
import { describe, expect, it } from 'vitest';
import { isFetchBadPort } from '../src/index.js';

/** Why Node's fetch to 127.0.0.1:port failed: its cause's message or code. */
async function fetchFailure(port: number): Promise<string> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return 'answered';
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.message ?? cause?.code ?? String(error);
  }
}

describe('isFetchBadPort', () => {
  const listed = Array.from({ length: 65_536 }, (_, port) => port).filter(isFetchBadPort);

  it('names the ports Node’s fetch refuses without connecting', async () => {
    expect(listed).toContain(6000);
    expect(listed).toContain(10080);
    expect(listed.length).toBeGreaterThan(70);
    for (const port of listed) expect([port, await fetchFailure(port)]).toEqual([port, 'bad port']);
  });

  it('leaves out their neighbours, which fetch tries', async () => {
    // The services this machine runs (MariaDB, PostgreSQL, Redis, RabbitMQ, Mosquitto, NATS) are not neighbours of a listed port.
    const neighbours = listed.map((port) => port + 1).filter((port) => !isFetchBadPort(port));
    expect(neighbours.length).toBeGreaterThan(30);
    for (const port of [...neighbours, 8787]) expect([port, await fetchFailure(port)]).not.toEqual([port, 'bad port']);
  });
});
