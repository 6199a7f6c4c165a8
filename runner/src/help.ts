/** Usage text of the CLI. Kept in step with README.md's CLI reference. */
export const MAIN_HELP = `Usage: sortie <command> [options]

Commands:
  run <files or folders...>       Run scenarios and report the results
  validate <files or folders...>  Check scenario files without running them
  auth login|status|logout        Sign in to an OAuth 2.0 profile in a browser; list or remove cached tokens
  scripts list|test               List public script libraries; run a library's example scenarios
  agent --redis <url>             Run plans from a queue, as a self-hosted runner agent
  server --redis <url>            The control plane of the agents: HTTP API, run history, schedules

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
      --retry-failed <n>      After the run, run failed scenarios again (setup and teardown too), up
                              to n times; one that then passes is reported flaky
      --fail-on-flaky         Fail the run when a step or scenario passed only on a retry
      --teardown-grace <ms>   After Ctrl-C or SIGTERM, how long teardowns and afterAll may still run (default: 10000)
      --timeout-run <ms>      Stop the whole run after this long, as Ctrl-C does (teardowns and afterAll still run)
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
      --remote <url>          Run on the agents of a Sortie server: validated here, run there, reports
                              downloaded to --out-dir, the same exit code; Ctrl-C cancels the run
      --token <token>         The server's API token (default: SORTIE_TOKEN)
      --pool <name>           The agents' pool (default: default)
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
  -e, --env <name|file>      Environment (default: the project's): its variables and secrets render the
                             profile, its http settings (proxy, CA files, client certificates) apply
      --env-var <name=value> Set a variable (repeatable)
      --ca <file>            Extra CA certificate (PEM), as for run (repeatable)
      --insecure             Skip TLS verification, as for run
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

export const AGENT_HELP = `Usage: sortie agent --redis <url> [options]

Runs plans from the pool's queue with the same engine as 'sortie run', until SIGINT or SIGTERM.
Secret values come from this machine's environment (and .env in the working directory).
With SORTIE_TOKEN_KEY set (the same on every agent), OAuth tokens are shared through Redis,
encrypted: N agents needing one profile make one token request. Without it, each agent keeps
its tokens to itself.

Options:
      --redis <url>           Redis of the server and the agents (default: SORTIE_REDIS_URL)
      --pool <name>           Queue to take runs from (default: default)
      --concurrency <n>       Runs at the same time (default: 1)
      --name <name>           Name shown by the server (default: host name and process id)
      --grace <ms>            On SIGTERM/SIGINT, how long runs in hand may finish before they are
                              interrupted (default: 30000)
      --lock-duration <ms>    How long before a killed agent's run is handed to another (default: 30000)
      --retries <n>           Times a run is handed to another agent after its agent was lost, before it
                              ends as "agent lost" (default: 1)
`;

export const SERVER_HELP = `Usage: sortie server --redis <url> [options]
       sortie server token create --scope read|submit|admin [--name <name>] [--data-dir <dir>]
       sortie server token list [--data-dir <dir>]

The control plane of the runner agents: the HTTP API (docs/agents.md), the run history, the
reports and the schedules.

Options:
      --redis <url>           Redis of the server and the agents (default: SORTIE_REDIS_URL)
      --port <n>              HTTP port (default: 8787)
      --host <address>        Address to listen on (default: 127.0.0.1)
      --data-dir <dir>        Plans, reports and the SQLite history (default: sortie-server)
      --database <url>        postgres://… to keep the history in PostgreSQL (default: SQLite in --data-dir;
                              or SORTIE_DATABASE_URL)
      --retention-days <n>    Delete finished runs and their reports after n days (default: 30; 0 keeps all)
`;
