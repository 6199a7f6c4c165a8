import { TemplateSyntaxIssue } from './template-errors.js';

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;

/** A read position in an expression, with the small helpers the hand-written parsers share. */
export class Cursor {
  pos = 0;

  /** @param base offset of `text` inside the whole template, so messages point into the template. */
  constructor(
    readonly text: string,
    readonly base = 0,
  ) {}

  /** The current position as an offset in the whole template. */
  offset(at = this.pos): number {
    return this.base + at;
  }

  /** Returns true when every character has been read. */
  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** Returns the current character ('' at the end). */
  peek(): string {
    return this.text.charAt(this.pos);
  }

  /** Skips spaces, tabs and line breaks. */
  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text.charAt(this.pos))) this.pos++;
  }

  /** Consumes `token` when it comes next and returns whether it did. */
  accept(token: string): boolean {
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  /** Consumes `token` or reports what was found instead. */
  expect(token: string, what = `"${token}"`): void {
    if (!this.accept(token)) throw new TemplateSyntaxIssue(`expected ${what} ${this.describeHere()}`);
  }

  /** Reads an identifier (`[A-Za-z_][A-Za-z0-9_]*`), or returns undefined. */
  readIdentifier(): string | undefined {
    IDENTIFIER.lastIndex = this.pos;
    const match = IDENTIFIER.exec(this.text);
    if (match === null) return undefined;
    this.pos += match[0].length;
    return match[0];
  }

  /** Describes the current position for an error message: `at offset 4 ("x)")` or `at the end`. */
  describeHere(): string {
    if (this.atEnd()) return 'at the end';
    return `at offset ${this.offset()} (${JSON.stringify(this.text.slice(this.pos, this.pos + 12))})`;
  }
}
