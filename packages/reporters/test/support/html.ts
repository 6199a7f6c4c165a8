/** Drives the HTML reporter and normalises its page for golden files. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redactor, RunEvent } from '@sortie/core';
import { createHtmlReporter } from '../../src/index.js';
import { feed } from './drive.js';

export async function driveHtml(
  dir: string,
  name: string,
  events: RunEvent[],
  options: { redactor?: Redactor; environment?: string; fragment?: boolean } = {},
): Promise<string> {
  const file = join(dir, name, 'report.html');
  await feed(createHtmlReporter({ file, toolVersion: '1.2.3', ...options }), events);
  return readFile(file, 'utf8');
}

/**
 * Replaces the inline stylesheet and script (checked on their own), durations, timings and ISO
 * times, and puts each list item on a line of its own so a golden diff points at one step.
 */
export function normaliseHtml(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, '<style>…</style>')
    .replace(/<script>[\s\S]*?<\/script>/, '<script>…</script>')
    .replace(/\b\d+(\.\d+)? ms\b/g, '<ms>')
    .replace(/\b\d+\.\d+ s\b/g, '<ms>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>')
    .replace(/<li class="step/g, '\n<li class="step');
}

/** Text of the page without tags, entities decoded and runs of spaces made one (what a reader sees, hidden parts included). */
export function pageText(html: string): string {
  return html
    .replace(/<(style|script)>[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ');
}
