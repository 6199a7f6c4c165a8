import { allLocales, faker } from '@faker-js/faker';
import { ErrorCode, SortieError } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { DEPRECATED_FAKER_METHODS, FUNCTION_FAKER_METHODS } from '../src/dynamic/faker-catalogue.js';
import {
  createDynamicValues,
  FAKER_MODULES,
  POSTMAN_NAMES,
  renderString,
  renderValue,
  Variables,
  validateTemplates,
} from '../src/index.js';

const vars = new Variables();
const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);

/** Every Postman name from the reference (https://learning.postman.com/docs/tests-and-scripts/write-scripts/variables-list/). */
const POSTMAN_REFERENCE = `$guid $timestamp $isoTimestamp $randomUUID $randomAlphaNumeric $randomBoolean $randomInt $randomColor
$randomHexColor $randomAbbreviation $randomIP $randomIPV6 $randomMACAddress $randomPassword $randomLocale $randomUserAgent
$randomProtocol $randomSemver $randomFirstName $randomLastName $randomFullName $randomNamePrefix $randomNameSuffix $randomJobArea
$randomJobDescriptor $randomJobTitle $randomJobType $randomPhoneNumber $randomPhoneNumberExt $randomCity $randomStreetName
$randomStreetAddress $randomCountry $randomCountryCode $randomLatitude $randomLongitude $randomAvatarImage $randomImageUrl
$randomAbstractImage $randomAnimalsImage $randomBusinessImage $randomCatsImage $randomCityImage $randomFoodImage
$randomNightlifeImage $randomFashionImage $randomPeopleImage $randomNatureImage $randomSportsImage $randomTransportImage
$randomImageDataUri $randomBankAccount $randomBankAccountName $randomCreditCardMask $randomBankAccountBic $randomBankAccountIban
$randomTransactionType $randomCurrencyCode $randomCurrencyName $randomCurrencySymbol $randomBitcoin $randomCompanyName
$randomCompanySuffix $randomBs $randomBsAdjective $randomBsBuzz $randomBsNoun $randomCatchPhrase $randomCatchPhraseAdjective
$randomCatchPhraseDescriptor $randomCatchPhraseNoun $randomDatabaseColumn $randomDatabaseType $randomDatabaseCollation
$randomDatabaseEngine $randomDateFuture $randomDatePast $randomDateRecent $randomWeekday $randomMonth $randomDomainName
$randomDomainSuffix $randomDomainWord $randomEmail $randomExampleEmail $randomUserName $randomUrl $randomFileName $randomFileType
$randomFileExt $randomCommonFileName $randomCommonFileType $randomCommonFileExt $randomFilePath $randomDirectoryPath $randomMimeType
$randomPrice $randomProduct $randomProductAdjective $randomProductMaterial $randomProductName $randomDepartment $randomNoun
$randomVerb $randomIngverb $randomAdjective $randomWord $randomWords $randomPhrase $randomLoremWord $randomLoremWords
$randomLoremSentence $randomLoremSentences $randomLoremParagraph $randomLoremParagraphs $randomLoremText $randomLoremSlug
$randomLoremLines`
  .split(/\s+/)
  .filter(Boolean);

describe('faker-backed dynamic values', () => {
  it('resolve every legacy Postman name to a non-empty value', async () => {
    const dynamic = await createDynamicValues({ seed: 1 });
    expect(POSTMAN_REFERENCE.length).toBe(Object.keys(POSTMAN_NAMES).length + 5);
    for (const name of POSTMAN_REFERENCE) {
      const text = renderString(`{{${name}}}`, vars, { dynamic });
      expect(text, name).not.toBe('');
      expect(text, name).not.toContain('undefined');
    }
  });

  it('map exactly the reference list, apart from the five built-ins', () => {
    const builtins = ['guid', 'timestamp', 'isoTimestamp', 'randomUUID', 'randomInt'];
    const reference = POSTMAN_REFERENCE.map((name) => name.slice(1)).filter((name) => !builtins.includes(name));
    expect(Object.keys(POSTMAN_NAMES).sort()).toEqual(reference.sort());
  });

  it('give Postman names the shape the reference describes', async () => {
    const dynamic = await createDynamicValues({ seed: 7 });
    const render = (name: string) => renderString(`{{$${name}}}`, vars, { dynamic });
    expect(render('randomEmail')).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/i);
    expect(render('randomIP')).toMatch(/^\d{1,3}(\.\d{1,3}){3}$/);
    expect(render('randomHexColor')).toMatch(/^#[0-9a-f]{6}$/i);
    expect(render('randomMACAddress')).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i);
    expect(render('randomPassword')).toHaveLength(15);
    expect(render('randomBoolean')).toMatch(/^(true|false)$/);
    expect(render('randomCreditCardMask')).toMatch(/^\d{4}$/);
    expect(Number(render('randomPrice'))).toBeGreaterThanOrEqual(100);
    // Postman renders faker's Date with Date.prototype.toString(), as Newman sends it.
    const dateText = /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d{4} \d\d:\d\d:\d\d GMT[+-]\d{4} \(.+\)$/;
    for (const name of ['randomDatePast', 'randomDateFuture', 'randomDateRecent']) {
      const text = render(name);
      expect(text).toMatch(dateText);
      expect(text).toBe(new Date(Date.parse(text)).toString());
    }
    expect(Date.parse(render('randomDatePast'))).toBeLessThan(Date.now());
    expect(Date.parse(render('randomDateFuture'))).toBeGreaterThan(Date.now());
    expect(render('randomPhoneNumberExt')).toMatch(/^\d{1,2}-/);
    expect(render('randomWords').split(' ').length).toBeGreaterThanOrEqual(2);
  });

  it('give $randomPhoneNumber the one format Postman gives it (###-###-####, no parentheses or dots)', async () => {
    for (let seed = 0; seed < 40; seed++) {
      const dynamic = await createDynamicValues({ seed });
      const render = (name: string) => renderString(`{{$${name}}}`, vars, { dynamic });
      expect(render('randomPhoneNumber')).toMatch(/^[2-9]\d\d-[2-9]\d\d-\d{4}$/);
      expect(render('randomPhoneNumberExt')).toMatch(/^\d{1,2}-[2-9]\d\d-[2-9]\d\d-\d{4}$/);
    }
  });

  it('call faker modules with named, positional and JSON arguments', async () => {
    const dynamic = await createDynamicValues({ seed: 5 });
    for (let i = 0; i < 50; i++) {
      const n = renderValue<unknown>('{{$number.int(min=1,max=9)}}', vars, { dynamic }) as number;
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(9);
    }
    expect(renderString('{{$string.alpha(10)}}', vars, { dynamic })).toMatch(/^[a-z]{10}$/i);
    expect(['a', 'b']).toContain(renderString('{{$helpers.arrayElement(["a","b"])}}', vars, { dynamic }));
    expect(renderValue('{{$helpers.arrayElements(["a","b","c"], 2)}}', vars, { dynamic })).toHaveLength(2);
    expect(renderString('{{$string.fromCharacters("xy", min=3, max=4)}}', vars, { dynamic })).toMatch(/^[xy]{3,4}$/);
    expect(renderString('{{$person.fullName | upper}}', vars, { dynamic })).toMatch(/^[^a-z]+$/);
  });

  it('give $number.bigInt as its digits, which JSON bodies and reports can hold (a BigInt made the step an internal error)', async () => {
    const dynamic = await createDynamicValues({ seed: 5 });
    expect(renderValue('{{$number.bigInt(min=12345, max=12345)}}', vars, { dynamic })).toBe('12345');
    expect(renderValue({ id: '{{$number.bigInt(max=9)}}' }, vars, { dynamic })).toEqual({ id: expect.stringMatching(/^\d$/) });
    expect(renderString('n={{$number.bigInt(min=7, max=7)}}', vars, { dynamic })).toBe('n=7');
    expect(JSON.stringify(renderValue('{{$number.bigInt}}', vars, { dynamic }))).toMatch(/^"\d+"$/);
  });

  it('format dates relative to the clock given', async () => {
    const dynamic = await createDynamicValues({ seed: 9, now: () => NOW });
    const past = renderString('{{$date.past | format("YYYY-MM-DD")}}', vars, { dynamic });
    expect(past).toMatch(/^(2023|2024)-\d\d-\d\d$/);
    expect(past < '2024-06-01').toBe(true);
    expect(renderValue('{{$date.soon(days=1)}}', vars, { dynamic })).toMatch(/^2024-06-0[12]T/);
  });

  it('repeat every value for the same seed, and differ for another', async () => {
    const template =
      '{{$guid}} {{$randomFullName}} {{$internet.email}} {{$number.int(max=1000000)}} {{$randomPhoneNumberExt}} {{$randomInt}}';
    const render = async (seed: number) => renderString(template, vars, { dynamic: await createDynamicValues({ seed, now: () => NOW }) });
    const first = await render(2024);
    expect(await render(2024)).toBe(first);
    expect(await render(2025)).not.toBe(first);
  });

  it('keep seeded instances independent of each other and of the shared faker', async () => {
    const a = await createDynamicValues({ seed: 11 });
    const b = await createDynamicValues({ seed: 11 });
    const first = renderString('{{$person.firstName}}', vars, { dynamic: a });
    faker.seed(999);
    faker.person.firstName();
    expect(renderString('{{$person.firstName}}', vars, { dynamic: b })).toBe(first);
  });

  it('use the locale asked for', async () => {
    const german = allLocales.de.person?.first_name as { female: string[]; male: string[] } | undefined;
    const names = new Set([...(german?.female ?? []), ...(german?.male ?? [])]);
    expect(names.size).toBeGreaterThan(0);
    const dynamic = await createDynamicValues({ seed: 3, locale: 'de' });
    for (let i = 0; i < 5; i++) expect(names.has(renderString('{{$person.firstName}}', vars, { dynamic }))).toBe(true);
  });

  it('accept regional locales in either spelling and fall back to English for missing data', async () => {
    const japanese = await createDynamicValues({ seed: 3, locale: 'ja' });
    expect(renderString('{{$person.lastName}}', vars, { dynamic: japanese })).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    const brazil = await createDynamicValues({ seed: 3, locale: 'pt-BR' });
    expect(renderString('{{$location.city}}', vars, { dynamic: brazil })).not.toBe('');
    const french = await createDynamicValues({ seed: 3, locale: 'FR' });
    expect(renderString('{{$music.genre}}', vars, { dynamic: french })).not.toBe('');
  });

  it('reject an unknown locale with USAGE listing valid ones', async () => {
    const error = await createDynamicValues({ locale: 'klingon' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SortieError);
    expect((error as SortieError).code).toBe(ErrorCode.USAGE);
    expect((error as SortieError).message).toContain('de');
    const typo = (await createDynamicValues({ locale: 'dee' }).catch((e: unknown) => e)) as SortieError;
    expect(typo.message).toContain('did you mean');
  });

  it('turn a faker failure into TEMPLATE_SYNTAX', async () => {
    const dynamic = await createDynamicValues({ seed: 1 });
    let caught: unknown;
    try {
      renderString('{{$number.int(min=9,max=1)}}', vars, { dynamic });
    } catch (error) {
      caught = error;
    }
    expect((caught as SortieError).code).toBe(ErrorCode.TEMPLATE_SYNTAX);
  });
});

describe('faker catalogue', () => {
  it('lists every module Apidog documents', () => {
    expect(Object.keys(FAKER_MODULES).sort()).toEqual(
      'airline animal color commerce company database datatype date finance food git hacker helpers image internet location lorem music number person phone science string system vehicle word'.split(
        ' ',
      ),
    );
  });

  it('names only methods the installed faker has', () => {
    const modules = faker as unknown as Record<string, Record<string, unknown>>;
    for (const [module, methods] of Object.entries(FAKER_MODULES)) {
      for (const method of methods) expect(typeof modules[module]?.[method], `${module}.${method}`).toBe('function');
    }
  });

  it('lists every method of the installed faker except deprecated ones and those taking a function', () => {
    const modules = faker as unknown as Record<string, object>;
    for (const module of Object.keys(FAKER_MODULES)) {
      const instance = modules[module]!;
      const names = new Set<string>();
      for (
        let proto = Object.getPrototypeOf(instance);
        proto !== null && proto !== Object.prototype;
        proto = Object.getPrototypeOf(proto)
      ) {
        for (const name of Object.getOwnPropertyNames(proto)) if (name !== 'constructor' && !name.startsWith('_')) names.add(name);
      }
      const missing = [...names].filter(
        (name) =>
          !FAKER_MODULES[module]!.includes(name) &&
          !(`${module}.${name}` in DEPRECATED_FAKER_METHODS) &&
          !(`${module}.${name}` in FUNCTION_FAKER_METHODS),
      );
      expect(missing, module).toEqual([]);
    }
  });

  it('validates every Postman name and catalogue method', () => {
    const templates = [
      ...Object.keys(POSTMAN_NAMES).map((name) => `{{$${name}}}`),
      ...Object.entries(FAKER_MODULES).flatMap(([module, methods]) => methods.map((method) => `{{$${module}.${method}}}`)),
    ];
    expect(validateTemplates(templates)).toEqual([]);
  });
});
