import type { Faker } from '@faker-js/faker';

/** A Postman name as a single faker call `[module, method, args]`, or a function when it needs more. */
export type PostmanDefinition = readonly [module: string, method: string, args?: readonly unknown[]] | ((faker: Faker) => unknown);

// biome-ignore format: a table
/** Two-letter language codes Postman's `$randomLocale` picks from (ISO 639-1, plus a few it lists). */
const LOCALES = [
  'af', 'am', 'an', 'ar', 'ast', 'az', 'be', 'bg', 'bh', 'bn', 'br', 'bs', 'ca', 'ceb', 'ckb', 'co', 'cs', 'cy', 'da', 'de', 'el', 'en', 'eo',
  'es', 'et', 'eu', 'fa', 'fi', 'fil', 'fo', 'fr', 'fy', 'ga', 'gd', 'gl', 'gn', 'gu', 'ha', 'haw', 'he', 'hi', 'hmn', 'hr', 'ht', 'hu', 'hy',
  'ia', 'id', 'ig', 'is', 'it', 'ja', 'jv', 'ka', 'kk', 'km', 'kn', 'ko', 'ku', 'ky', 'la', 'lb', 'ln', 'lo', 'lt', 'lv', 'mg', 'mi', 'mk',
  'ml', 'mn', 'mo', 'mr', 'ms', 'mt', 'my', 'nb', 'ne', 'nl', 'nn', 'no', 'ny', 'oc', 'om', 'or', 'pa', 'pl', 'ps', 'pt', 'qu', 'rm', 'ro',
  'ru', 'sd', 'sh', 'si', 'sk', 'sl', 'sm', 'sn', 'so', 'sq', 'sr', 'st', 'su', 'sv', 'sw', 'ta', 'te', 'tg', 'th', 'ti', 'tk', 'to', 'tr',
  'tt', 'tw', 'ug', 'uk', 'ur', 'uz', 'vi', 'wa', 'xh', 'yi', 'yo', 'zh', 'zu',
];

/**
 * Postman's `$randomPhoneNumber` is faker 5's `phoneNumberFormat(0)`: the first US format,
 * `!##-!##-####` (`!` a digit 2–9), so always `555-234-1622`, never `(555) 234-1622` or `555.234.1622`.
 */
const PHONE_NUMBER = '[2-9][0-9]{2}-[2-9][0-9]{2}-[0-9]{4}';

const imageOf = (category: string): PostmanDefinition => ['image', 'urlLoremFlickr', [{ category }]];

/**
 * Postman's legacy dynamic variables (names without `$`), mapped onto faker 9. `$guid`, `$timestamp`,
 * `$isoTimestamp`, `$randomUUID` and `$randomInt` are built-ins and not listed here.
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/variables-list/
 */
export const POSTMAN_NAMES: Readonly<Record<string, PostmanDefinition>> = {
  // Text, numbers and colors
  randomAlphaNumeric: ['string', 'alphanumeric'],
  randomBoolean: ['datatype', 'boolean'],
  randomColor: ['color', 'human'],
  randomHexColor: ['color', 'rgb'],
  randomAbbreviation: ['hacker', 'abbreviation'],
  // Internet and IP addresses
  randomIP: ['internet', 'ipv4'],
  randomIPV6: ['internet', 'ipv6'],
  randomMACAddress: ['internet', 'mac'],
  randomPassword: ['internet', 'password'],
  randomLocale: (faker) => faker.helpers.arrayElement(LOCALES),
  randomUserAgent: ['internet', 'userAgent'],
  randomProtocol: ['internet', 'protocol'],
  randomSemver: ['system', 'semver'],
  // Names
  randomFirstName: ['person', 'firstName'],
  randomLastName: ['person', 'lastName'],
  randomFullName: ['person', 'fullName'],
  randomNamePrefix: ['person', 'prefix'],
  randomNameSuffix: ['person', 'suffix'],
  // Profession
  randomJobArea: ['person', 'jobArea'],
  randomJobDescriptor: ['person', 'jobDescriptor'],
  randomJobTitle: ['person', 'jobTitle'],
  randomJobType: ['person', 'jobType'],
  // Phone, address and location
  randomPhoneNumber: (faker) => faker.helpers.fromRegExp(PHONE_NUMBER),
  randomPhoneNumberExt: (faker) => `${faker.number.int({ min: 1, max: 99 })}-${faker.helpers.fromRegExp(PHONE_NUMBER)}`,
  randomCity: ['location', 'city'],
  randomStreetName: ['location', 'street'],
  randomStreetAddress: ['location', 'streetAddress'],
  randomCountry: ['location', 'country'],
  randomCountryCode: ['location', 'countryCode'],
  randomLatitude: ['location', 'latitude'],
  randomLongitude: ['location', 'longitude'],
  // Images
  randomAvatarImage: ['image', 'avatar'],
  randomImageUrl: ['image', 'url'],
  randomAbstractImage: imageOf('abstract'),
  randomAnimalsImage: imageOf('animals'),
  randomBusinessImage: imageOf('business'),
  randomCatsImage: imageOf('cats'),
  randomCityImage: imageOf('city'),
  randomFoodImage: imageOf('food'),
  randomNightlifeImage: imageOf('nightlife'),
  randomFashionImage: imageOf('fashion'),
  randomPeopleImage: imageOf('people'),
  randomNatureImage: imageOf('nature'),
  randomSportsImage: imageOf('sports'),
  randomTransportImage: imageOf('transport'),
  randomImageDataUri: ['image', 'dataUri'],
  // Finance
  randomBankAccount: ['finance', 'accountNumber'],
  randomBankAccountName: ['finance', 'accountName'],
  randomCreditCardMask: ['string', 'numeric', [4]],
  randomBankAccountBic: ['finance', 'bic'],
  randomBankAccountIban: ['finance', 'iban'],
  randomTransactionType: ['finance', 'transactionType'],
  randomCurrencyCode: ['finance', 'currencyCode'],
  randomCurrencyName: ['finance', 'currencyName'],
  randomCurrencySymbol: ['finance', 'currencySymbol'],
  randomBitcoin: ['finance', 'bitcoinAddress'],
  // Business
  randomCompanyName: ['company', 'name'],
  randomCompanySuffix: (faker) => faker.helpers.arrayElement(readCompanySuffixes(faker)),
  randomBs: ['company', 'buzzPhrase'],
  randomBsAdjective: ['company', 'buzzAdjective'],
  randomBsBuzz: ['company', 'buzzVerb'],
  randomBsNoun: ['company', 'buzzNoun'],
  // Catchphrases
  randomCatchPhrase: ['company', 'catchPhrase'],
  randomCatchPhraseAdjective: ['company', 'catchPhraseAdjective'],
  randomCatchPhraseDescriptor: ['company', 'catchPhraseDescriptor'],
  randomCatchPhraseNoun: ['company', 'catchPhraseNoun'],
  // Databases
  randomDatabaseColumn: ['database', 'column'],
  randomDatabaseType: ['database', 'type'],
  randomDatabaseCollation: ['database', 'collation'],
  randomDatabaseEngine: ['database', 'engine'],
  // Dates: Postman puts faker's Date into the text with `String()`, `Date.prototype.toString()`
  // (`Sat Dec 05 2026 08:52:51 GMT+0000 (Coordinated Universal Time)`), not ISO 8601.
  randomDateFuture: (faker) => faker.date.future().toString(),
  randomDatePast: (faker) => faker.date.past().toString(),
  randomDateRecent: (faker) => faker.date.recent().toString(),
  randomWeekday: ['date', 'weekday'],
  randomMonth: ['date', 'month'],
  // Domains, emails and usernames
  randomDomainName: ['internet', 'domainName'],
  randomDomainSuffix: ['internet', 'domainSuffix'],
  randomDomainWord: ['internet', 'domainWord'],
  randomEmail: ['internet', 'email'],
  randomExampleEmail: ['internet', 'exampleEmail'],
  randomUserName: ['internet', 'username'],
  randomUrl: ['internet', 'url'],
  // Files and directories
  randomFileName: ['system', 'fileName'],
  randomFileType: ['system', 'fileType'],
  randomFileExt: ['system', 'fileExt'],
  randomCommonFileName: ['system', 'commonFileName'],
  randomCommonFileType: ['system', 'commonFileType'],
  randomCommonFileExt: ['system', 'commonFileExt'],
  randomFilePath: ['system', 'filePath'],
  randomDirectoryPath: ['system', 'directoryPath'],
  randomMimeType: ['system', 'mimeType'],
  // Stores
  randomPrice: ['commerce', 'price', [{ min: 100, max: 999 }]],
  randomProduct: ['commerce', 'product'],
  randomProductAdjective: ['commerce', 'productAdjective'],
  randomProductMaterial: ['commerce', 'productMaterial'],
  randomProductName: ['commerce', 'productName'],
  randomDepartment: ['commerce', 'department'],
  // Grammar
  randomNoun: ['hacker', 'noun'],
  randomVerb: ['hacker', 'verb'],
  randomIngverb: ['hacker', 'ingverb'],
  randomAdjective: ['hacker', 'adjective'],
  randomWord: ['word', 'sample'],
  randomWords: (faker) => faker.word.words({ count: { min: 2, max: 5 } }),
  randomPhrase: ['hacker', 'phrase'],
  // Lorem ipsum
  randomLoremWord: ['lorem', 'word'],
  randomLoremWords: ['lorem', 'words'],
  randomLoremSentence: ['lorem', 'sentence'],
  randomLoremSentences: ['lorem', 'sentences'],
  randomLoremParagraph: ['lorem', 'paragraph'],
  randomLoremParagraphs: ['lorem', 'paragraphs'],
  randomLoremText: ['lorem', 'text'],
  randomLoremSlug: ['lorem', 'slug'],
  randomLoremLines: ['lorem', 'lines'],
};

/** The locale's company suffixes ("Inc", "GmbH"…), or the English ones when it has none. */
function readCompanySuffixes(faker: Faker): readonly string[] {
  const suffixes: unknown = faker.rawDefinitions.company?.legal_entity_type;
  return Array.isArray(suffixes) && suffixes.length > 0 ? (suffixes as string[]) : ['Inc', 'LLC', 'Group', 'and Sons'];
}
