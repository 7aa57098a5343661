/**
 * A real git server for tests: git's own `git http-backend` (CGI) behind a small Node HTTP
 * wrapper on 127.0.0.1, serving bare repositories under a temp directory, plus a helper that
 * commits into them with the git CLI. Optional Basic auth: every request must carry it.
 */
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const HTTP_BACKEND = "/usr/lib/git-core/git-http-backend";

export interface GitServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** The clone URL of a repository made with `createRepo`. */
  url(name: string): string;
  /** A bare repository with a working copy to commit from. */
  createRepo(name: string): TestRepo;
  /** Requests served so far, and how many were refused for missing or wrong credentials. */
  stats: { requests: number; refused: number };
  close(): Promise<void>;
}

export interface GitServerOptions {
  /** When set, every request needs `Authorization: Basic base64(username:password)`. */
  auth?: { username: string; password: string };
  /** Delays every answer, to hold a sync open while a test acts. */
  delayMs?: number;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main", ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  }).trim();
}

/** A bare repository (`<root>/<name>.git`) and a working copy pushing into it. */
export class TestRepo {
  readonly work: string;
  constructor(readonly bare: string) {
    mkdirSync(bare, { recursive: true });
    git(bare, "init", "--bare", "--quiet");
    this.work = mkdtempSync(join(tmpdir(), "crude-git-work-"));
    git(this.work, "init", "--quiet");
    git(this.work, "remote", "add", "origin", bare);
  }

  /** Writes (or, with null, deletes) files, commits them on `branch` and pushes; returns the commit id. */
  commit(files: Record<string, string | Uint8Array | null>, message = "change", branch = "main"): string {
    const current = git(this.work, "symbolic-ref", "--short", "HEAD");
    if (current !== branch) {
      const exists = git(this.work, "branch", "--list", branch) !== "" || current === "";
      git(this.work, "checkout", "--quiet", ...(exists ? [branch] : ["-b", branch]));
    }
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.work, path);
      if (content === null) rmSync(full, { force: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    git(this.work, "add", "--all");
    git(this.work, "commit", "--quiet", "--allow-empty", "-m", message);
    git(this.work, "push", "--quiet", "origin", branch);
    return git(this.work, "rev-parse", "HEAD");
  }

  /** Tags the current commit (annotated unless `lightweight`) and pushes the tag. */
  tag(name: string, lightweight = false): void {
    git(this.work, "tag", ...(lightweight ? [name] : ["-a", name, "-m", name]));
    git(this.work, "push", "--quiet", "origin", name);
  }

  remove(): void {
    rmSync(this.work, { recursive: true, force: true });
    rmSync(this.bare, { recursive: true, force: true });
  }
}

/** Splits a CGI response head (`Status:` and headers) from its body. */
function parseCgiHead(head: string): { status: number; headers: [string, string][] } {
  let status = 200;
  const headers: [string, string][] = [];
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 500;
    else headers.push([name, value]);
  }
  return { status, headers };
}

function isAuthorized(request: IncomingMessage, auth: GitServerOptions["auth"]): boolean {
  if (auth === undefined) return true;
  const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
  return request.headers.authorization === expected;
}

function serveCgi(root: string, request: IncomingMessage, response: ServerResponse, user: string | undefined): void {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ""),
    REQUEST_METHOD: request.method ?? "GET",
    CONTENT_TYPE: request.headers["content-type"] ?? "",
    REMOTE_ADDR: request.socket.remoteAddress ?? "127.0.0.1",
    ...(user !== undefined && { REMOTE_USER: user }),
    ...(request.headers["content-encoding"] !== undefined && { HTTP_CONTENT_ENCODING: request.headers["content-encoding"] }),
    ...(request.headers["git-protocol"] !== undefined && { HTTP_GIT_PROTOCOL: String(request.headers["git-protocol"]) }),
  };
  const cgi = spawn(HTTP_BACKEND, [], { env, stdio: ["pipe", "pipe", "pipe"] });
  request.pipe(cgi.stdin);
  let head: Buffer | null = Buffer.alloc(0);
  cgi.stdout.on("data", (chunk: Buffer) => {
    if (head === null) {
      response.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const text = head.toString("latin1");
    const match = /\r?\n\r?\n/.exec(text);
    if (match === null) return;
    const { status, headers } = parseCgiHead(text.slice(0, match.index));
    response.writeHead(status, headers);
    response.write(head.subarray(match.index + match[0].length));
    head = null;
  });
  cgi.stderr.resume();
  cgi.on("close", () => {
    if (head !== null && !response.headersSent) response.writeHead(502);
    response.end();
  });
}

/** Starts the server on a free port of 127.0.0.1. */
export async function startGitServer(options: GitServerOptions = {}): Promise<GitServer> {
  const root = mkdtempSync(join(tmpdir(), "crude-git-root-"));
  const stats = { requests: 0, refused: 0 };
  const repos: TestRepo[] = [];
  const server = createServer(async (request, response) => {
    stats.requests++;
    if (options.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (!isAuthorized(request, options.auth)) {
      stats.refused++;
      request.resume();
      response.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"', "Content-Type": "text/plain" });
      response.end("Authentication required\n");
      return;
    }
    serveCgi(root, request, response, options.auth?.username);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("git server has no port");
  const base = `http://127.0.0.1:${address.port}`;
  return {
    base,
    url: (name) => `${base}/${name}.git`,
    createRepo: (name) => {
      const repo = new TestRepo(join(root, `${name}.git`));
      repos.push(repo);
      return repo;
    },
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          for (const repo of repos) repo.remove();
          rmSync(root, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
