/** Usage text of the CLI. Kept in step with README.md's CLI reference. */
export const MAIN_HELP = `Usage: sortie <command> [options]

Commands:
  run <files or folders...>       Run scenarios and report the results
  validate <files or folders...>  Check scenario files without running them
  auth login|status|logout        Sign in to an OAuth 2.0 profile in a browser; list or remove cached tokens
  scripts list|test               List public script libraries; run a library's example scenarios

Run 'sortie <command> --help' for the options of a command.
Exit codes: 0 all passed, 1 a failure or an error, 2 invalid input or usage.
`;

export const RUN_HELP = `Usage: sortie run <files or folders...> [options]

Options:
  -e, --env <name or file>    Environment: a file, or a name in the project's environments folder
                              (default: the project's defaultEnvironment)
      --env-var <name=value>  Set an environment variable (repeatable)
      --global-var <name=value>
                              Set a global variable (repeatable)
  -d, --iteration-data <file> Run once per row of a CSV (header row) or JSON (array of objects) file
  -n, --iterations <n>        Run n times (with -d: cycling through the rows)
      --parallel <n>          Run up to n scenario runs at the same time (default: 1)
  -r, --reporters <list>      Comma-separated: cli, json, junit, html (default: the project's, else cli)
      --out-dir <dir>         Where json/junit/html reports are written (default: the project's, else sortie-reports)
      --report-html <file>    Also write the HTML report, to <file> (default with -r html: <out-dir>/report.html)
      --export-environment <file>
                              After the run, write the environment variables to a file (no secrets)
      --export-globals <file> After the run, write the global variables to a file (no secrets)
      --bail                  Stop the run at the first failed or errored step
      --timeout-request <ms>  Request timeout (default: 30000)
  -k, --insecure              Do not verify TLS certificates
      --ca <file>             Extra CA certificate (PEM), repeatable
      --no-cookies            Do not keep cookies between steps
      --allow-unresolved      Leave unresolved {{variables}} as written instead of failing
      --seed <n>              Make every generated {{$dynamic}} value reproducible
      --locale <code>         Locale of generated values, e.g. de, fr, ja (default: en)
      --scripts <dir|package> Script library (folder with sortie-library.json, or an npm package), repeatable
      --token-cache           Keep every OAuth profile's tokens in the encrypted cache (needs SORTIE_TOKEN_KEY)
      --verbose               Show request and response headers and bodies, and script console output
      --color, --no-color     Force colors on or off (default: on for a terminal unless NO_COLOR is set)
  -h, --help                  Show this help

A project file (sortie.config.json, .yaml or .yml) is looked for in the current folder and its
parents. Secrets named by the project and the environment are read from the process environment,
else from .env next to the project file (or in the current folder).
`;

export const VALIDATE_HELP = `Usage: sortie validate <files or folders...> [options]

Options:
  -e, --env <name or file>  Also validate this environment (default: the project's defaultEnvironment)
      --scripts <dir|pkg>   Script library whose calls are checked too (repeatable)
      --no-color            Plain output
  -h, --help                Show this help

The project file, if any, is validated too. Secret values are not looked up.
`;

export const AUTH_HELP = `Usage: sortie auth <action> [profile] [options]

Actions:
  login <profile>     Authorization code (+PKCE) in the system browser, code received on a loopback
                      port; the tokens go to the encrypted token cache (needs SORTIE_TOKEN_KEY)
  status              List cached profiles with expiry and scopes (never a token)
  logout [<profile>]  Remove a profile's cached tokens (all when no profile is given)

Options:
  -f, --file <file>          Scenario, environment or project file with auth.profiles
  -e, --env <file>           Environment file: its variables render the profile
      --env-var <name=value> Set a variable (repeatable)
      --no-browser           Print the authorization URL instead of opening a browser
      --token-cache <file>   Token cache (default $SORTIE_TOKEN_CACHE, else $XDG_CACHE_HOME/sortie/tokens.json)
`;

export const SCRIPTS_HELP = `Usage: sortie scripts <action>

Actions:
  list [--scripts <dir>]...        Libraries of the project (sortie.config.json "scripts") and of --scripts:
                                   every script with its description and parameters
  test <library dir> [options]     Run the library's example scenarios with the library loaded;
                                   options are those of 'sortie run' (-e, --env-var, -r, ...)
`;
