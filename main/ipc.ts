// The bridge over Electron IPC: one ipcMain.handle per method of the contract, answered by the
// shared bridge handlers after the sender frame is checked. The reply is an envelope,
// `{ result }` or `{ error: BridgeErrorBody }` (as over HTTP), because an Error thrown from a
// handler reaches the renderer only as a reworded message and its code would be lost.
import type { IpcMainInvokeEvent } from 'electron';
import { BRIDGE_METHODS, type BridgeErrorBody } from '../src/telemetry/bridge.js';
import { BridgeError, type BridgeHandlers } from '../src/host/bridge-handlers.js';

export const CHANNEL_PREFIX = 'telemetry:';

export type IpcReply = { result: unknown } | { error: BridgeErrorBody };

/** The part of Electron's ipcMain used here, so tests pass a small fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<IpcReply>): void;
  removeHandler(channel: string): void;
}

export interface BridgeIpcOptions {
  /** Whether a frame URL is the app's own page (main/sender.ts). */
  isTrusted: (url: string) => boolean;
  /** Called for each accepted call: a dashboard request is the person being active. */
  onCall?: () => void;
}

/** Registers a handler per method; returns a function that removes them. */
export function registerBridgeIpc(ipcMain: IpcMainLike, handlers: BridgeHandlers, options: BridgeIpcOptions): () => void {
  for (const method of BRIDGE_METHODS) {
    ipcMain.handle(CHANNEL_PREFIX + method, async (event, ...args) => {
      const refusal = checkSender(event, options.isTrusted);
      if (refusal) return { error: refusal };
      if (args.length > 1) return { error: { code: 'bad_request', message: `${method}: takes one argument object, got ${args.length} arguments` } };
      options.onCall?.();
      try {
        return { result: (await handlers.call(method, args[0])) ?? null };
      } catch (e) {
        return { error: e instanceof BridgeError ? e.toBody() : { code: 'internal', message: `${method} failed` } };
      }
    });
  }
  return () => {
    for (const method of BRIDGE_METHODS) ipcMain.removeHandler(CHANNEL_PREFIX + method);
  };
}

function checkSender(event: IpcMainInvokeEvent, isTrusted: (url: string) => boolean): BridgeErrorBody | null {
  // senderFrame is null once the frame navigated away or was destroyed.
  const frame = event.senderFrame;
  if (!frame) return { code: 'forbidden', message: 'the calling frame is gone' };
  if (frame.parent !== null) return { code: 'forbidden', message: 'only the app page itself may call the bridge, not a frame inside it' };
  if (!isTrusted(frame.url)) return { code: 'forbidden', message: `pages from ${originOf(frame.url)} may not call the bridge` };
  return null;
}

function originOf(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' ? 'another file' : u.origin.slice(0, 100);
  } catch {
    return 'an unknown origin';
  }
}
