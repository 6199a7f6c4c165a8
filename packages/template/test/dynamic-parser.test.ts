import { ErrorCode } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { compileTemplate, type ExpressionPart } from '../src/compile-template.js';
import { MAX_DYNAMIC_SIZE } from '../src/dynamic/size-limits.js';
import { needsDynamicValues, renderString, Variables, validateTemplates } from '../src/index.js';
import { expectSortieError } from './helpers.js';

/** The dynamic target of a template that is one `{{$…}}`. */
function targetOf(template: string) {
  const part = compileTemplate(template).single as ExpressionPart;
  if (part.reference.kind !== 'dynamic') throw new Error('not dynamic');
  return part.reference.target;
}

describe('dynamic value parser', () => {
  it('recognises built-ins and Postman names', () => {
    expect(targetOf('{{$guid}}')).toEqual({ kind: 'builtin', name: 'guid' });
    expect(targetOf('{{ $date.now }}')).toEqual({ kind: 'builtin', name: 'date.now' });
    expect(targetOf('{{$randomFullName}}')).toEqual({ kind: 'faker', module: 'person', method: 'fullName', args: [] });
    expect(targetOf('{{$randomPhoneNumberExt}}')).toEqual({ kind: 'postman', name: 'randomPhoneNumberExt' });
  });

  it('turns named arguments into one options object', () => {
    expect(targetOf('{{$number.int(min=1,max=9)}}')).toEqual({
      kind: 'faker',
      module: 'number',
      method: 'int',
      args: [{ min: 1, max: 9 }],
    });
    expect(targetOf('{{$number.float( min = -1.5 , max = 2e3, fractionDigits=2 )}}')).toMatchObject({
      args: [{ min: -1.5, max: 2000, fractionDigits: 2 }],
    });
  });

  it('passes positional arguments as they are', () => {
    expect(targetOf('{{$string.alpha(10)}}')).toMatchObject({ args: [10] });
    expect(targetOf('{{$lorem.words()}}')).toMatchObject({ args: [] });
  });

  it('accepts JSON literals, single-quoted strings and bare object keys as arguments', () => {
    expect(targetOf('{{$helpers.arrayElement(["a","b"])}}')).toMatchObject({ args: [['a', 'b']] });
    expect(targetOf(`{{$helpers.arrayElement(['x', "y\\"z", 'it\\'s', "\\u00e9\\n"])}}`)).toMatchObject({
      args: [['x', 'y"z', "it's", 'é\n']],
    });
    expect(targetOf('{{$helpers.objectKey({a: 1, "b": [true, false, null], c: {d: {}}})}}')).toMatchObject({
      args: [{ a: 1, b: [true, false, null], c: { d: {} } }],
    });
  });

  it('puts positional arguments first and named ones in a trailing object', () => {
    expect(targetOf('{{$string.fromCharacters("abc", min=2, max=4)}}')).toMatchObject({ args: ['abc', { min: 2, max: 4 }] });
  });

  it('finds the closing braces after quoted "}}" and nested objects', () => {
    expect(targetOf('{{$helpers.arrayElement(["}}", "{{"])}}')).toMatchObject({ args: [['}}', '{{']] });
    expect(targetOf('{{$helpers.objectValue({a: {b: 1}})}}')).toMatchObject({ args: [{ a: { b: 1 } }] });
    expect(renderString('[{{$helpers.arrayElement(["}}"])}}]', new Variables(), { dynamic: fakeFaker() })).toBe('[x]');
  });

  it('parses filters after the call', () => {
    const part = compileTemplate('{{$date.past | format("YYYY-MM-DD") | upper}}').single!;
    expect(part.filters).toEqual([
      { name: 'format', args: ['YYYY-MM-DD'] },
      { name: 'upper', args: [] },
    ]);
  });

  const malformed: Array<[string, string]> = [
    ['{{$}}', 'a name after $'],
    ['{{$person.}}', 'a method after the dot'],
    ['{{$number.int(min=1,max=9}}', 'an unclosed argument list'],
    ['{{$number.int(min=)}}', 'a named argument without value'],
    ['{{$number.int(min=1,,max=2)}}', 'an empty argument'],
    ['{{$number.int(min=1 max=2)}}', 'a missing comma'],
    ['{{$number.int(min=1, 5)}}', 'a positional argument after a named one'],
    ['{{$number.int(min=1, min=2)}}', 'a named argument given twice'],
    ['{{$string.alpha(abc)}}', 'a bare word as a value'],
    ['{{$string.alpha("abc)}}', 'an unclosed string'],
    ['{{$string.alpha("\\q")}}', 'an invalid escape'],
    ['{{$helpers.arrayElement([1, 2)}}', 'an unclosed array'],
    ['{{$helpers.objectKey({a 1})}}', 'an object without a colon'],
    ['{{$number.int(01)}}', 'a number with a leading zero'],
    ['{{$guid()}}', 'arguments to a built-in'],
    ['{{$randomEmail(1)}}', 'arguments to a Postman name'],
    ['{{$guid extra}}', 'text after the name'],
    ['{{$guid |}}', 'a missing filter name'],
    ['{{$guid | shout}}', 'an unknown filter'],
    ['{{$guid | upper(1)}}', 'arguments to upper'],
    ['{{$date.past | format}}', 'format without a pattern'],
    ['{{$date.past | format(1)}}', 'format with a number'],
    ['{{$persn.fullName}}', 'an unknown module'],
    ['{{$person.fulName}}', 'an unknown method'],
    ['{{$randomFirstname}}', 'an unknown Postman name'],
    ['{{$internet.userName}}', 'a deprecated faker method'],
    ['{{$helpers.multiple}}', 'a faker method whose first argument is a function (it sent "undefined" three times)'],
    ['{{$helpers.maybe("x")}}', 'a faker method that calls its argument (it failed with "e22 is not a function")'],
  ];
  for (const [template, what] of malformed) {
    it(`rejects ${what} with TEMPLATE_SYNTAX: ${template}`, () => {
      expectSortieError(() => compileTemplate(template), ErrorCode.TEMPLATE_SYNTAX);
    });
  }
});

describe('faker methods that take a function', () => {
  it('are refused when the file is loaded, saying why and what to use instead', () => {
    const issues = validateTemplates({ a: '{{$helpers.multiple}}', b: '{{$helpers.maybe}}' });
    expect(issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/"\$helpers\.multiple" takes a function, which a template cannot pass.*use a loop or forEach step/),
      expect.stringMatching(
        /"\$helpers\.maybe" takes a function, which a template cannot pass.*use an if step on \{\{\$datatype\.boolean\}\}/,
      ),
    ]);
  });
});

describe('validateTemplates', () => {
  it('returns nothing for valid templates and plain values', () => {
    const scenario = {
      name: 'ok',
      n: 1,
      flag: true,
      steps: [{ url: '{{base}}/users/{{$guid}}', body: { email: '{{$internet.email}}', n: '{{$number.int(min=1,max=9)}}' } }],
    };
    expect(validateTemplates(scenario)).toEqual([]);
  });

  it('reports each problem with its JSON path and a "did you mean"', () => {
    const scenario = {
      steps: [
        { request: { url: '{{base}}/{{$persn.fullName}}', headers: { 'x-a': '{{$person.fulName}}' } } },
        { request: { body: ['ok', '{{$randomFirstname}}', '{{x | uper}}'] } },
      ],
    };
    const issues = validateTemplates(scenario);
    expect(issues.map((i) => i.path)).toEqual([
      ['steps', 0, 'request', 'url'],
      ['steps', 0, 'request', 'headers', 'x-a'],
      ['steps', 1, 'request', 'body', 1],
      ['steps', 1, 'request', 'body', 2],
    ]);
    expect(issues[0]!.message).toContain('did you mean "person"');
    expect(issues[1]!.message).toContain('did you mean "fullName"');
    expect(issues[2]!.message).toContain('did you mean "$randomFirstName"');
    expect(issues[3]!.message).toContain('did you mean "upper"');
  });

  it('reports malformed templates and object keys', () => {
    const issues = validateTemplates({ headers: { '{{broken': 'v' }, body: '{{}}', q: '{{$number.int(min=)}}' });
    expect(issues.map((i) => i.path)).toEqual([['headers'], ['body'], ['q']]);
    expect(issues[2]!.message).toContain('expected a value');
  });

  it('reports a length or count a faker call cannot build in memory or time (these crashed the process, out of memory)', () => {
    const huge = [
      '{{$string.alpha(100000000)}}',
      '{{$string.alpha(length={min: 1, max: 1e9})}}',
      '{{$string.fromCharacters("ab", 1e308)}}',
      '{{$lorem.paragraphs(1000000)}}',
      '{{$word.words(count=200000)}}',
      '{{$date.betweens(from=0, to=1, count=100000000)}}',
      '{{$internet.password(length=1e9)}}',
      '{{$system.fileName(extensionCount=1e9)}}',
      '{{$helpers.fromRegExp("a{100000000}")}}',
      '{{$helpers.fromRegExp("[ab]{1,100000001}")}}',
      '{{$finance.creditCardNumber("4{999999999}#")}}',
      '{{$helpers.fake("{{string.alpha(100000000)}}")}}',
    ];
    const issues = validateTemplates(huge);
    expect(issues.map((issue) => issue.path)).toEqual(huge.map((_, i) => [i]));
    expect(issues[0]!.message).toBe(
      `template "{{$string.alpha(100000000)}}": dynamic value "$string.alpha" asks for a length or count of 100000000, above the limit of ${MAX_DYNAMIC_SIZE} (for a larger body, send it from a file with body.file)`,
    );
  });

  it('accepts lengths and counts up to the limit, and numbers that are not sizes', () => {
    expect(
      validateTemplates([
        `{{$string.alpha(${MAX_DYNAMIC_SIZE})}}`,
        `{{$lorem.words(${MAX_DYNAMIC_SIZE})}}`,
        '{{$number.int(min=1, max=1e12)}}',
        '{{$date.betweens(from=0, to=1e12, count=3)}}',
        '{{$helpers.fromRegExp("[0-9]{5}-1234567890")}}',
        '{{$image.dataUri(width=1000000, height=1000000)}}',
      ]),
    ).toEqual([]);
  });

  it('does not report variables that are not defined yet', () => {
    expect(validateTemplates({ url: '{{notYetExtracted}}' })).toEqual([]);
  });

  it('does not check strings at the paths skip accepts, and still checks the others', () => {
    const value = { code: 'html = `{{#each tags}}`', other: '{{#each}}' };
    const issues = validateTemplates(value, { skip: (path) => path[0] === 'code' });
    expect(issues.map((issue) => issue.path)).toEqual([['other']]);
  });
});

describe('needsDynamicValues', () => {
  it('is false for variables and for values that need no faker', () => {
    expect(
      needsDynamicValues({ a: '{{x}}', b: ['{{$guid}}', '{{$timestamp}} {{$isoTimestamp}} {{$randomUUID}} {{$randomInt}}'], c: 1 }),
    ).toBe(false);
    expect(needsDynamicValues('{{$date.now | format("YYYY")}}')).toBe(false);
    expect(needsDynamicValues(null)).toBe(false);
  });

  it('is true for a faker module or a Postman name anywhere inside', () => {
    expect(needsDynamicValues({ steps: [{ body: { deep: ['x', 'Hi {{$person.firstName}}'] } }] })).toBe(true);
    expect(needsDynamicValues({ steps: [{ headers: { 'x-id': '{{$randomEmail}}' } }] })).toBe(true);
    expect(needsDynamicValues({ '{{$randomCity}}': 1 })).toBe(true);
  });

  it('skips strings at the paths skip accepts', () => {
    expect(needsDynamicValues({ code: '{{$person.firstName}}' }, (path) => path[0] === 'code')).toBe(false);
  });

  it('skips malformed templates', () => {
    expect(needsDynamicValues(['{{$person.fullName', '{{$nope.x}}'])).toBe(false);
  });
});

/** A DynamicValues that answers "x" to every faker call, so parser tests need no faker. */
function fakeFaker() {
  return { hasFaker: true, generate: () => 'x' };
}
