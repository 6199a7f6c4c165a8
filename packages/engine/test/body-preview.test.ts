/**
 * A body cut at the report size (`maxBodyInReport`): the kept text ends with a whole character — a
 * character the cut split used to come out as U+FFFD, which the server never sent — and a text body
 * with no textual Content-Type stays text when it is cut, as an uncut one does.
 */

import { decodeBodyText, Redactor } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { previewBody } from '../src/body-preview.js';

const redactor = new Redactor();

describe('previewBody of a body longer than the limit', () => {
  it('leaves out a UTF-8 character the cut split, in a text body', () => {
    const body = Buffer.from(`${'a'.repeat(9)}😀😀`);
    // 9 + 2 bytes of the first 4-byte emoji.
    const preview = previewBody(body, 'text/plain; charset=utf-8', 11, redactor);
    expect(preview).toEqual({ text: 'a'.repeat(9), size: 17, truncated: true });
  });

  it('leaves out a UTF-8 character the cut split, in a body given as a string (a request body)', () => {
    const preview = previewBody(`caf${'é'.repeat(3)}`, undefined, 6, redactor);
    expect(preview).toEqual({ text: 'café', size: 9, truncated: true });
  });

  it('leaves out half a UTF-16 code unit and a lone high surrogate', () => {
    const body = Buffer.from('{"a":"😀"}', 'utf16le');
    const contentType = 'application/json; charset=utf-16le';
    expect(previewBody(body, contentType, 13, redactor)?.text).toBe('{"a":"');
    // The high surrogate is whole at 14 bytes, its low half not yet there.
    expect(previewBody(body, contentType, 14, redactor)?.text).toBe('{"a":"');
    expect(previewBody(body, contentType, 16, redactor)?.text).toBe('{"a":"😀');
  });

  it('keeps a cut UTF-8 text without a textual Content-Type as text, not base64', () => {
    const body = Buffer.from(`line one\nline two ü and more`);
    const preview = previewBody(body, undefined, 19, redactor);
    expect(preview).toEqual({ text: 'line one\nline two ', size: body.byteLength, truncated: true });
  });

  it('still gives cut binary bytes as base64', () => {
    const body = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x01]);
    const preview = previewBody(body, 'application/octet-stream', 8, redactor);
    expect(preview).toEqual({ text: body.subarray(0, 8).toString('base64'), encoding: 'base64', size: 12, truncated: true });
    expect(previewBody(body, undefined, 10, redactor)?.encoding).toBe('base64');
  });

  it('leaves the shared decoders as they were: the next body is decoded whole', () => {
    const utf16 = 'application/json; charset=utf-16le';
    previewBody(Buffer.from('{"a":"😀"}', 'utf16le'), utf16, 14, redactor);
    previewBody(Buffer.from('😀😀'), undefined, 6, redactor);
    expect(decodeBodyText(Buffer.from('"b"', 'utf16le'), utf16)).toBe('"b"');
    expect(decodeBodyText(Buffer.from('ok'), undefined)).toBe('ok');
  });
});
