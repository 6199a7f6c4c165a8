/** Usage text of the CLI. Kept in step with README.md's CLI reference. */
export const MAIN_HELP = `Usage: sortie <command> [options]

Commands:
  run <files or folders...>       Run scenarios and report the results
  validate <files or folders...>  Check scenario files without running them
  auth login|status|logout        Sign in to an OAuth 2.0 profile in a browser; list or remove cached tokens

Run 'sortie <command> --help' for the options of a command.
Exit codes: 0 all passed, 1 a failure or an error, 2 invalid input or usage.
`;

export const RUN_HELP = `Usage: sortie run <files or folders...> [options]

Options:
  -e, --env <file>            Environment file (variables, services)
      --env-var <name=value>  Set an environment variable (repeatable)
      --global-var <name=value>
                              Set a global variable (repeatable)
  -r, --reporters <list>      Comma-separated: cli, json, junit (default: cli)
      --out-dir <dir>         Where json/junit reports are written (default: sortie-reports)
      --bail                  Stop the run at the first failed or errored step
      --timeout-request <ms>  Request timeout (default: 30000)
  -k, --insecure              Do not verify TLS certificates
      --ca <file>             Extra CA certificate (PEM), repeatable
      --allow-unresolved      Leave unresolved {{variables}} as written instead of failing
      --seed <n>              Make every generated {{$dynamic}} value reproducible
      --locale <code>         Locale of generated values, e.g. de, fr, ja (default: en)
      --verbose               Show request and response headers and bodies
      --no-color              Plain output (also when NO_COLOR is set)
  -h, --help                  Show this help
`;

export const VALIDATE_HELP = `Usage: sortie validate <files or folders...> [options]

Options:
  -e, --env <file>  Also validate this environment file
      --no-color    Plain output
  -h, --help        Show this help
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
