import { describe, expect, it } from 'vitest';
import { createPaint } from '../src/cli/ansi.js';
import { LiveStatus } from '../src/cli/live-status.js';

/** Columns a terminal gives a line: 2 for a wide (CJK, fullwidth) character or an emoji, 1 otherwise (colour codes: 0). */
function terminalColumns(line: string): number {
  let columns = 0;
  for (const char of line.replace(/\u001b\[[0-9;]*m/g, '')) {
    columns +=
      /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]|\p{Emoji_Presentation}/u.test(
        char,
      )
        ? 2
        : 1;
  }
  return columns;
}

function statusOf(title: string, columns: number, colour: boolean): string[] {
  const live = new LiveStatus({ columns, now: () => 0 });
  live.stepStarted({ type: 'step:start', id: '0', name: title, kind: 'request', path: [], scenario: 'a.json' });
  return live.render(createPaint(colour));
}

describe('live status area of the CLI reporter', () => {
  it('cuts a running step line to the terminal width counting wide characters as two columns (a CJK name wrapped, and the area was no longer erased whole)', () => {
    for (const colour of [false, true]) {
      const lines = statusOf(`获取用户列表并检查返回的分页数据是否正确${'数据'.repeat(30)}`, 40, colour);
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(terminalColumns(line)).toBeLessThanOrEqual(40);
      expect(lines[1]).toContain('获取用户列表');
      expect(lines[1]).toContain('…');
    }
  });

  it('never splits an emoji or other character outside the BMP in two', () => {
    const [, line] = statusOf('🚀'.repeat(40), 30, false);
    expect(line).toBeDefined();
    expect(line).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(terminalColumns(line as string)).toBeLessThanOrEqual(30);
  });

  it('keeps a step name with a line feed on one line (a YAML folded name ends with one): the area counts one line per step', () => {
    const lines = statusOf('check the list\nof users\r\n', 80, false);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('  ▸ check the list\\nof users\\x0d\\n  0:00');
  });

  // A pane under 20 columns wide (a tmux split): lines were cut to 19 columns, wrapped, and each
  // redraw left the wrapped halves of the area on the screen.
  it('cuts every line to a terminal narrower than 20 columns too', () => {
    for (const columns of [12, 5, 1]) {
      const lines = statusOf('list the users', columns, true);
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(terminalColumns(line), `${columns} columns: ${line}`).toBeLessThanOrEqual(columns);
    }
  });

  it('cuts its lines to the width the terminal has at each redraw, after a resize too', () => {
    let columns: number | undefined = 80;
    const live = new LiveStatus({ columns: () => columns, now: () => 0 });
    live.stepStarted({ type: 'step:start', id: '0', name: 'list the users of the tenant', kind: 'request', path: [], scenario: 'a.json' });
    expect(live.render(createPaint(false))[1]).toBe('  ▸ list the users of the tenant  0:00');
    columns = 16;
    for (const line of live.render(createPaint(false))) expect(terminalColumns(line), line).toBeLessThanOrEqual(16);
    columns = undefined;
    expect(live.render(createPaint(false))[1]).toBe('  ▸ list the users of the tenant  0:00');
  });

  it('keeps a line that fits as it is', () => {
    expect(statusOf('ping', 80, false)[1]).toBe('  ▸ ping  0:00');
  });
});
