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

  it('shows bidirectional overrides, embeddings and isolates as \\uXXXX, as the CLI and HTML reports do', () => {
    // Valid XML, but a CI page showing the name (Jenkins, GitLab, Azure) would show the rest of its line reversed.
    expect(escapeXmlText('pay \u202eyromem\u202c x')).toBe('pay \\u202eyromem\\u202c x');
    expect(escapeXmlAttribute('a\u202ab\u202bc\u202dd\u2066e\u2067f\u2068g\u2069')).toBe(
      'a\\u202ab\\u202bc\\u202dd\\u2066e\\u2067f\\u2068g\\u2069',
    );
    // Marks that reorder nothing beyond themselves stay.
    expect(escapeXmlText('\u200e\u200f\u061c')).toBe('\u200e\u200f\u061c');
  });

  it('shows DEL and the C1 controls as \\uXXXX in text and attributes, as the CLI and HTML reports do', () => {
    // XML 1.0 allows them (§2.2 discourages them): a CSI U+009B reached a terminal that printed the file.
    expect(escapeXmlText('a\u007fb\u0080c\u0085d\u009b31me\u009f')).toBe('a\\u007fb\\u0080c\\u0085d\\u009b31me\\u009f');
    expect(escapeXmlAttribute('csi \u009b2J')).toBe('csi \\u009b2J');
    expect(escapeXmlText('\u00a0é')).toBe('\u00a0é');
  });

  it('keeps every character XML 1.0 allows, astral ones included', () => {
    const text = 'café ☕ 日本 💳 \u0085 \ud7ff \ue000 \ufffd';
    expect(replaceInvalidXmlChars(text)).toBe(text);
  });
});
