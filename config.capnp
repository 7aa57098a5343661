# Self-hosted configuration: `npm start` runs `workerd serve config.capnp <const> --experimental`
# through scripts/start.mjs, which builds dist/ first and overrides the socket addresses
# (--socket-addr) and the data directory (--directory-path data=…) from the environment.
# Binding names are a contract shared with wrangler.toml; test/unit/bindings.test.ts compares them.
using Workerd = import "/workerd/workerd.capnp";

# Two ports: functions on one, the management API on the other.
const config :Workerd.Config = (
  services = [ .mainService, .dataService ],
  sockets = [
    # /run/* and /health only.
    (name = "functions", address = "*:8000", http = (), service = (name = "main", entrypoint = "FunctionsGateway")),
    # /api/*, /web/* and /health only.
    (name = "management", address = "*:9000", http = (), service = (name = "main", entrypoint = "ManagementGateway")),
  ],
  extensions = [ .d1Adapter ],
);

# One port (FUNCTION_PORT equals MANAGEMENT_PORT): every endpoint on the default entrypoint.
const singlePort :Workerd.Config = (
  services = [ .mainService, .dataService ],
  sockets = [ (name = "functions", address = "*:8000", http = (), service = "main") ],
  extensions = [ .d1Adapter ],
);

const mainService :Workerd.Service = (name = "main", worker = .routerWorker);

# DATA_DIR: every Durable Object's SQLite file lives here; back it up as a whole.
const dataService :Workerd.Service = (name = "data", disk = (path = "data", writable = true));

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
    (name = "MANAGEMENT_API_KEY", fromEnvironment = "MANAGEMENT_API_KEY"),
    (name = "ALLOW_INSECURE_GIT_HTTP", fromEnvironment = "ALLOW_INSECURE_GIT_HTTP"),
  ],
  durableObjectNamespaces = [
    (className = "SqlDatabase", uniqueKey = "crude-functions-sql-database", enableSql = true),
    (className = "SourceStore", uniqueKey = "crude-functions-source-store", enableSql = true),
    (className = "KeyVault", uniqueKey = "crude-functions-key-vault", enableSql = true),
  ],
  durableObjectStorage = (localDisk = "data"),
);

# The D1 adapter is an internal extension module, so only the wrapped binding above can use it.
const d1Adapter :Workerd.Extension = (
  modules = [ (name = "crude-functions:d1-adapter", internal = true, esModule = embed "dist/d1-adapter.js") ],
);
