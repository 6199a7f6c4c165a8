/**
 * Tells a request which connection it was written to.
 *
 * undici does not hand the socket to a dispatch handler, but it publishes `undici:client:sendHeaders`
 * ({ request, headers, socket }) synchronously right after it called the handler's `onRequestStart` for
 * that same request (client-h1 `writeH1`, client-h2 `writeH2`). So a handler that announces itself in
 * `onRequestStart` is the one the next `sendHeaders` message belongs to. Sockets of other undici users
 * (e.g. Node's global fetch) are ignored: only sockets opened by our connector carry timings, and
 * `onRequestStart` always re-arms the probe before its own `sendHeaders`.
 */
import diagnosticsChannel from 'node:diagnostics_channel';

/** Something that wants to know the socket its request is written to. */
export interface SocketObserver {
  /** Called synchronously when undici writes the request headers to `socket`. */
  onSocket(socket: SocketInfo): void;
}

/** What a request learns about its connection. */
export interface SocketInfo {
  /** The socket (used as a key for connection timings). */
  socket: object;
  /** ALPN protocol negotiated on the socket (`h2`), when any. */
  alpnProtocol?: string | false | null;
}

const CHANNEL = 'undici:client:sendHeaders';
let armed: SocketObserver | undefined;
let users = 0;

function onSendHeaders(message: unknown): void {
  const observer = armed;
  if (observer === undefined) return;
  armed = undefined;
  const socket = (message as { socket?: SocketInfo & object }).socket;
  if (socket !== undefined) observer.onSocket({ socket, alpnProtocol: socket.alpnProtocol });
}

/** Marks `observer` as the handler whose request undici is about to write. Call from `onRequestStart`. */
export function armConnectionProbe(observer: SocketObserver): void {
  armed = observer;
}

/** Starts listening (reference counted: one subscription per process however many clients exist). */
export function openConnectionProbe(): void {
  if (users++ === 0) diagnosticsChannel.subscribe(CHANNEL, onSendHeaders);
}

/** Stops listening when the last client is closed. */
export function closeConnectionProbe(): void {
  if (users > 0 && --users === 0) {
    diagnosticsChannel.unsubscribe(CHANNEL, onSendHeaders);
    armed = undefined;
  }
}
