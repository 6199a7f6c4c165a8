/** Usage text of the CLI. Kept in step with README.md's CLI reference. */
export const MAIN_HELP = `Usage: sortie <command> [options]

Commands:
  run <files or folders...>       Run scenarios and report the results
  validate <files or folders...>  Check scenario files without running them
  import <format> <input>         Write Sortie files from a Postman collection, OpenAPI, HAR or curl
  init [folder] [--yes]           Start a project: project file, dev environment, first scenario
  auth login|status|logout        Sign in to an OAuth 2.0 profile in a browser; list or remove cached tokens
  scripts list|test               List public script libraries; run a library's example scenarios
  agent --redis <url>             Run plans from a queue, as a self-hosted runner agent
  server --redis <url>            The control plane of the agents: HTTP API, run history, schedules

Run 'sortie <command> --help' for the options of a command. Every command takes
--color [on|off|auto], --no-color and -h/--help.
Exit codes: 0 all passed, 1 a failure or an error, 2 invalid input or usage.
`;

export const RUN_HELP = `Usage: sortie run <files or folders...> [options]

Options:
  -e, --env <name or file>    Environment: a file, or a name in the project's environments folder
                              (default: the project's defaultEnvironment); a Postman environment export too
                              (--environment, Newman's name, works too)
  -g, --globals <file>        Global variables: a Postman globals export, or a file with "variables"
      --env-var <name=value>  Set an environment variable (repeatable)
      --variable <name=value> The same as --env-var (Hurl's name)
      --variables-file <file> Set environment variables from NAME=value lines (.env syntax), repeatable
      --global-var <name=value>
                              Set a global variable (repeatable)
      --grep <pattern>        Run only the scenarios whose name or file matches (regular expression, any case)
      --tag <tag>             Run only scenarios and steps tagged so (repeatable: any of them); untagged
                              steps of a selected scenario still run
  -d, --iteration-data <file> Run once per row of a CSV (header row) or JSON (array of objects) file
  -n, --iterations <n>        Run n times (with -d: cycling through the rows); --iteration-count too
      --folder <name>         Run only the folder, group, request or step of that name (repeatable)
      --working-dir <dir>     Where the file paths of a Postman collection's bodies resolve
                              (default: the collection's folder)
      --parallel <n>          Run up to n scenario runs at the same time (default: 1)
  -r, --reporters <list>      Comma-separated: cli, json, junit, html (default: the project's, else cli)
      --out-dir <dir>         Where json/junit/html reports are written (default: the project's, else sortie-reports)
      --report-html <file>    Also write the HTML report, to <file> (default with -r html: <out-dir>/report.html)
      --report-junit <file>   Also write the JUnit report, to <file>
      --report-json <file>    Also write the JSON report, to <file>
      --json                  Print the JSON report on stdout, and nothing else there
      --export-environment <file>
                              After the run, write the environment variables to a file (no secrets)
      --export-globals <file> After the run, write the global variables to a file (no secrets)
      --bail                  Stop the run at the first failed or errored step
  -x, --suppress-exit-code    Exit 0 even when the run fails (invalid input still exits 2)
      --timeout <ms>          Time limit of the whole run; past it the run stops as Ctrl-C does and fails
                              (teardowns and afterAll still run; --timeout-run is the same)
      --retry-failed <n>      After the run, run failed scenarios again (setup and teardown too), up
                              to n times (at most 100); one that then passes is flaky
      --fail-on-flaky         Fail the run when a step or scenario passed only on a retry
      --teardown-grace <ms>   After Ctrl-C or SIGTERM, how long teardowns and afterAll may still run (default: 10000)
      --timeout-request <ms>  Request timeout (default: 30000)
      --max-response-bytes <n>
                              Largest response body, decompressed (default: 104857600)
      --timeout-script <ms>   Time limit of each script (default: 5000)
      --delay-request <ms>    Wait this long before each request (default: 0)
      --retry <n>             Retry requests that get 429, 502, 503, 504 or no answer, n times, unless
                              the step or scenario sets its own retry
      --ignore-redirects      Do not follow redirects (every request gets the 3xx itself)
      --proxy <url>           Send every request through this proxy (over the environment's and HTTP(S)_PROXY)
  -k, --insecure              Do not verify TLS certificates
      --ca <file>             Extra CA certificate (PEM), repeatable; --ssl-extra-ca-certs too
      --ssl-client-cert <file>
                              Client certificate for every host: PEM (with its key, or see --ssl-client-key)
                              or PKCS#12 (.p12/.pfx)
      --ssl-client-key <file> The PEM private key of --ssl-client-cert
      --ssl-client-passphrase <secret>
                              Passphrase of the key or PKCS#12 file (redacted everywhere)
      --no-cookies            Do not keep cookies between steps
      --cookie-jar <file>     Start with the cookies of a Netscape cookie file (curl's and Hurl's format)
      --export-cookie-jar <file>
                              After the run, write the cookies to a Netscape cookie file
      --allow-unresolved      Leave unresolved {{variables}} as written instead of failing
      --seed <n>              Make every generated {{$dynamic}} value reproducible
      --locale <code>         Locale of generated values, e.g. de, fr, ja (default: en)
      --scripts <dir|package> Script library (folder with sortie-library.json, or an npm package), repeatable
      --token-cache           Keep every OAuth profile's tokens in the encrypted cache (needs SORTIE_TOKEN_KEY)
      --verbose               Also show passed checks, request and response headers and bodies
  -q, --quiet                 Print only what failed, and the summary
      --silent                Print nothing (reports are still written; the exit code tells)
      --color [on|off|auto], --no-color
                              Colors on or off (default, auto: on for a terminal unless NO_COLOR is set)
      --remote <url>          Run on the agents of a Sortie server: validated here, run there, reports
                              downloaded to --out-dir, the same exit code; Ctrl-C cancels the run
      --token <token>         The server's API token (default: SORTIE_TOKEN)
      --pool <name>           The agents' pool (default: default)
      --shards <n>            Split the remote run into n parts (every n-th scenario run each) that the
                              pool's agents run side by side; one report (default: 1, at most 64)
  -h, --help                  Show this help

A Postman collection (a v2.0 / v2.1 file, or a v3 folder) runs directly, as Newman runs it.
A project file (sortie.config.json, .yaml or .yml) is looked for in the current folder and its
parents. Secrets named by the project and the environment are read from the process environment,
else from .env next to the project file (or in the current folder).
`;

export const VALIDATE_HELP = `Usage: sortie validate <files or folders...> [options]

Options:
  -e, --env <name or file>  Also validate this environment (default: the project's defaultEnvironment)
  -d, --iteration-data <f>  Also check this data file (CSV or JSON), as sortie run reads it
  -g, --globals <file>      Also check this globals file
      --folder <name>       The folders / groups or requests / steps sortie run --folder would select
                            must exist (repeatable)
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
       sortie server token delete <id> [--data-dir <dir>]
       sortie server schedule create --remote <url> --name <name> (--cron "<expr>" | --every <interval>)
                                     [run options] <files…>
       sortie server schedule list --remote <url>
       sortie server schedule pause|resume|delete|run-now <id> --remote <url>

The control plane of the runner agents: the HTTP API (docs/agents.md), the run history, the
reports and the schedules.

Options:
      --redis <url>           Redis of the server and the agents (default: SORTIE_REDIS_URL)
      --port <n>              HTTP port (default: 8787)
      --host <address>        Address to listen on (default: 127.0.0.1)
      --data-dir <dir>        Plans, reports and the SQLite history (default: sortie-server)
      --database <url>        postgres://… to keep the history in PostgreSQL, or sqlite:<file> (a relative
                              file from the current folder, as --data-dir) (default: SQLite in --data-dir;
                              or SORTIE_DATABASE_URL)
      --retention-days <n>    Delete finished runs and their reports after n days, and stored plans no run
                              or schedule uses any more (default: 30; 0 keeps all)

Schedules (through the HTTP API of a running server, with an API token: --token or SORTIE_TOKEN;
admin scope to change them, read to list, submit for run-now):
      --remote <url>          The Sortie server
      --name <name>           The schedule's name (create)
      --cron "<expr>"         A cron pattern: 5 fields, or 6 with seconds first (create)
      --every <interval>      Or an interval: 30s, 15m, 2h, 1d (create)
  create validates and uploads the plan as 'sortie run --remote' does, with its options (-e, --env-var,
  -d, -n, --parallel, --bail, --pool…); the scheduled runs are in the server's run list.
`;

export const INIT_HELP = `Usage: sortie init [folder] [options]

Creates a project in the folder (default: the current one): sortie.config.json, environments/dev.yaml,
scenarios/first.yaml (or .json), .env.example, and .env and sortie-reports/ added to .gitignore.
On a terminal it asks for the base URL of the API, the path the first scenario checks and the format.

Options:
  -y, --yes    Take the defaults without asking (base URL http://localhost:8080, path /, YAML)
  -f, --force  Overwrite files that exist (without it, nothing is written when one does)
  -h, --help   Show this help
`;
