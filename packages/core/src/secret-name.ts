/**
 * What a secret's name can be: a name a `.env` file can set (letters, digits, `_`, `.`, `-`, not
 * starting with a digit, `.` or `-`), which `--env-var NAME=value` and the process environment can
 * set too. `api-key` and `app.token` are names Postman users give their secrets. One definition for
 * the schemas (`secrets` of an environment or project file), the `.env` parser and the Postman loaders.
 * @see https://github.com/motdotla/dotenv#what-rules-does-the-parsing-engine-follow
 */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Said where a secret's name is not one (schema messages and hints). */
export const SECRET_NAME_RULE = 'letters, digits, _ . and -, not starting with a digit, . or -';
