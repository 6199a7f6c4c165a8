import { describe, expect, it } from 'vitest';
import { escapeXmlAttribute, escapeXmlText, replaceInvalidXmlChars } from '../src/junit/xml-escape.js';

describe('XML escaping', () => {
  it('escapes markup characters in text and quotes in attributes', () => {
    expect(escapeXmlText('a < b && c > "d"')).toBe('a &lt; b &amp;&amp; c &gt; "d"');
    expect(escapeXmlAttribute('say "hi" & <bye>')).toBe('say &quot;hi&quot; &amp; &lt;bye&gt;');
  });

  it('keeps tabs and line breaks of attributes as character references', () => {
    expect(escapeXmlAttribute('a\tb\nc\r\nd')).toBe('a&#9;b&#10;c&#13;&#10;d');
    expect(escapeXmlText('a\tb\nc')).toBe('a\tb\nc');
  });

  it('replaces characters XML 1.0 forbids: C0 controls, lone surrogates, U+FFFE and U+FFFF', () => {
    expect(replaceInvalidXmlChars('a\u0000b\u0007c\u001bd')).toBe('a\\u0000b\\u0007c\\u001bd');
    expect(replaceInvalidXmlChars('x\ud800y\udc00z')).toBe('x\\ud800y\\udc00z');
    expect(replaceInvalidXmlChars('\ufffe\uffff')).toBe('\\ufffe\\uffff');
  });

  it('keeps every character XML 1.0 allows, astral ones included', () => {
    const text = 'café ☕ 日本 💳 \u0085 \ud7ff \ue000 \ufffd';
    expect(replaceInvalidXmlChars(text)).toBe(text);
  });
});
