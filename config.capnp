# Self-hosted configuration: `npm start` runs `workerd serve config.capnp <const> --experimental`
# through scripts/start.mjs, which builds dist/ first and overrides the socket addresses
# (--socket-addr) and the data directory (--directory-path data=…) from the environment.
# Binding names are a contract shared with wrangler.toml; test/unit/bindings.test.ts compares them.
using Workerd = import "/workerd/workerd.capnp";

# Two ports: functions on one, the management API on the other.
const config :Workerd.Config = (
  services = [ .mainService, .dataService, .gitNetworkService ],
  sockets = [
    # /run/* and /health only.
    (name = "functions", address = "*:8000", http = (), service = (name = "main", entrypoint = "FunctionsGateway")),
    # /api/*, /web/* and /health only.
    (name = "management", address = "*:9000", http = (), service = (name = "main", entrypoint = "ManagementGateway")),
    .controlSocket,
  ],
  extensions = [ .d1Adapter ],
);

# One port (FUNCTION_PORT equals MANAGEMENT_PORT): every endpoint on the default entrypoint.
const singlePort :Workerd.Config = (
  services = [ .mainService, .dataService, .gitNetworkService ],
  sockets = [ (name = "functions", address = "*:8000", http = (), service = "main"), .controlSocket ],
  extensions = [ .d1Adapter ],
);

# Loopback only, on a port the OS picks (the supervisor reads it from --control-fd): lets
# scripts/start.mjs drain the server (finish calls, write buffered logs) before SIGTERM, which
# workerd otherwise obeys at once. Every request must carry CONTROL_TOKEN.
const controlSocket :Workerd.Socket = (
  name = "control", address = "127.0.0.1:0", http = (), service = (name = "main", entrypoint = "ControlGateway"),
);

const mainService :Workerd.Service = (name = "main", worker = .routerWorker);

# DATA_DIR: every Durable Object's SQLite file lives here; back it up as a whole.
const dataService :Workerd.Service = (name = "data", disk = (path = "data", writable = true));

# Outbound of git syncs when ALLOW_INSECURE_GIT_HTTP=true (in-house servers, the tests' local
# git server): unlike the default `internet` service (public addresses only) it also reaches
# private and loopback addresses. Only the git client uses it, through GIT_NETWORK; the
# router's own fetch keeps the default, and function isolates have no network at all.
const gitNetworkService :Workerd.Service = (
  name = "git-network",
  network = (allow = ["public", "private", "local"], tlsOptions = (trustBrowserCas = true)),
);

# The router: gateways, management API, /run, and every Durable Object class.
const routerWorker :Workerd.Worker = (
  modules = [ (name = "router.js", esModule = embed "dist/router.js") ],
  compatibilityDate = "2026-04-20",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [
    # workerd has no D1: the adapter serves the D1 API over the SqlDatabase Durable Object.
    (name = "DB", wrapped = (moduleName = "crude-functions:d1-adapter",
                             innerBindings = [(name = "database", durableObjectNamespace = "SqlDatabase")])),
    # Function isolates; needs `workerd serve --experimental`.
    (name = "LOADER", workerLoader = (id = "functions")),
    (name = "SOURCE_STORE", durableObjectNamespace = "SourceStore"),
    (name = "KEY_VAULT", durableObjectNamespace = "KeyVault"),
    # One per git source: sync state and the interval alarm.
    (name = "SOURCE_SYNC", durableObjectNamespace = "SourceSync"),
    # Git sync outbound when ALLOW_INSECURE_GIT_HTTP=true (see gitNetworkService).
    (name = "GIT_NETWORK", service = "git-network"),
    # Log trimming and metric roll-ups on alarms.
    (name = "SCHEDULER", durableObjectNamespace = "Scheduler"),
    (name = "MANAGEMENT_API_KEY", fromEnvironment = "MANAGEMENT_API_KEY"),
    # Set by scripts/start.mjs for the control socket; unset, the socket answers only 404.
    (name = "CONTROL_TOKEN", fromEnvironment = "CONTROL_TOKEN"),
    (name = "ALLOW_INSECURE_GIT_HTTP", fromEnvironment = "ALLOW_INSECURE_GIT_HTTP"),
  ],
  durableObjectNamespaces = [
    (className = "SqlDatabase", uniqueKey = "crude-functions-sql-database", enableSql = true),
    (className = "SourceStore", uniqueKey = "crude-functions-source-store", enableSql = true),
    (className = "KeyVault", uniqueKey = "crude-functions-key-vault", enableSql = true),
    (className = "SourceSync", uniqueKey = "crude-functions-source-sync", enableSql = true),
    (className = "Scheduler", uniqueKey = "crude-functions-scheduler", enableSql = true),
  ],
  durableObjectStorage = (localDisk = "data"),
);

# The D1 adapter is an internal extension module, so only the wrapped binding above can use it.
const d1Adapter :Workerd.Extension = (
  modules = [ (name = "crude-functions:d1-adapter", internal = true, esModule = embed "dist/d1-adapter.js") ],
);
