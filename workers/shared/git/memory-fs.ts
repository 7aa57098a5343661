/**
 * A small in-memory file system with the promise API isomorphic-git asks for (readFile,
 * writeFile, mkdir, rmdir, unlink, stat, lstat, readdir, readlink, symlink). A sync clones
 * into one of these and throws it away afterwards; nothing touches a disk, and the whole
 * repository lives only as long as the sync that made it.
 */

type Node =
  | { kind: "dir"; children: Map<string, Node>; mtimeMs: number }
  | { kind: "file"; data: Uint8Array; mtimeMs: number }
  | { kind: "link"; target: string; mtimeMs: number };

/** The Stats subset isomorphic-git reads. */
export interface MemoryStats {
  type: "file" | "dir" | "symlink";
  mode: number;
  size: number;
  ino: number;
  dev: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  ctimeMs: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

type Encoding = { encoding?: string | null } | string | undefined;

function fsError(code: "ENOENT" | "EEXIST" | "ENOTDIR" | "ENOTEMPTY" | "EISDIR" | "EINVAL", op: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${op} '${path}'`), { code });
}

/** The names along a path, with `.` and `..` resolved (never above the root). */
function segments(path: string): string[] {
  const parts: string[] = [];
  for (const name of path.split("/")) {
    if (name === "" || name === ".") continue;
    if (name === "..") parts.pop();
    else parts.push(name);
  }
  return parts;
}

function wantsText(options: Encoding): boolean {
  const encoding = typeof options === "string" ? options : options?.encoding;
  return encoding === "utf8" || encoding === "utf-8";
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

class MemoryPromises {
  private readonly root: Node = { kind: "dir", children: new Map(), mtimeMs: Date.now() };
  /** Bytes held by files, for the caller's memory budget. */
  bytes = 0;

  private lookup(path: string, op: string): Node {
    let node = this.root;
    for (const name of segments(path)) {
      if (node.kind !== "dir") throw fsError("ENOTDIR", op, path);
      const next = node.children.get(name);
      if (next === undefined) throw fsError("ENOENT", op, path);
      node = next;
    }
    return node;
  }

  /** The parent directory of `path` and the last segment's name. */
  private parentOf(path: string, op: string): { dir: Extract<Node, { kind: "dir" }>; name: string } {
    const parts = segments(path);
    const name = parts.pop();
    if (name === undefined) throw fsError("EINVAL", op, path);
    const dir = this.lookup(parts.join("/"), op);
    if (dir.kind !== "dir") throw fsError("ENOTDIR", op, path);
    return { dir, name };
  }

  async readFile(path: string, options?: Encoding): Promise<Uint8Array | string> {
    const node = this.lookup(path, "open");
    if (node.kind === "dir") throw fsError("EISDIR", "read", path);
    if (node.kind === "link") throw fsError("EINVAL", "read", path);
    return wantsText(options) ? decoder.decode(node.data) : node.data;
  }

  async writeFile(path: string, data: Uint8Array | string, _options?: Encoding): Promise<void> {
    const { dir, name } = this.parentOf(path, "open");
    const existing = dir.children.get(name);
    if (existing?.kind === "dir") throw fsError("EISDIR", "open", path);
    // Kept without a copy: isomorphic-git never changes a buffer after writing it.
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    if (existing?.kind === "file") this.bytes -= existing.data.byteLength;
    this.bytes += bytes.byteLength;
    dir.children.set(name, { kind: "file", data: bytes, mtimeMs: Date.now() });
  }

  async mkdir(path: string, _options?: unknown): Promise<void> {
    const { dir, name } = this.parentOf(path, "mkdir");
    if (dir.children.has(name)) throw fsError("EEXIST", "mkdir", path);
    dir.children.set(name, { kind: "dir", children: new Map(), mtimeMs: Date.now() });
  }

  async rmdir(path: string): Promise<void> {
    const { dir, name } = this.parentOf(path, "rmdir");
    const node = dir.children.get(name);
    if (node === undefined) throw fsError("ENOENT", "rmdir", path);
    if (node.kind !== "dir") throw fsError("ENOTDIR", "rmdir", path);
    if (node.children.size > 0) throw fsError("ENOTEMPTY", "rmdir", path);
    dir.children.delete(name);
  }

  async unlink(path: string): Promise<void> {
    const { dir, name } = this.parentOf(path, "unlink");
    const node = dir.children.get(name);
    if (node === undefined) throw fsError("ENOENT", "unlink", path);
    if (node.kind === "dir") throw fsError("EISDIR", "unlink", path);
    if (node.kind === "file") this.bytes -= node.data.byteLength;
    dir.children.delete(name);
  }

  async readdir(path: string): Promise<string[]> {
    const node = this.lookup(path, "scandir");
    if (node.kind !== "dir") throw fsError("ENOTDIR", "scandir", path);
    return [...node.children.keys()];
  }

  async stat(path: string): Promise<MemoryStats> {
    let node = this.lookup(path, "stat");
    // Follow links a few levels deep, as a real stat would.
    for (let hops = 0; node.kind === "link"; hops++) {
      if (hops > 8) throw fsError("EINVAL", "stat", path);
      node = this.lookup(node.target.startsWith("/") ? node.target : `${path}/../${node.target}`, "stat");
    }
    return statsOf(node);
  }

  async lstat(path: string): Promise<MemoryStats> {
    return statsOf(this.lookup(path, "lstat"));
  }

  async readlink(path: string, _options?: Encoding): Promise<string> {
    const node = this.lookup(path, "readlink");
    if (node.kind !== "link") throw fsError("EINVAL", "readlink", path);
    return node.target;
  }

  async symlink(target: string, path: string): Promise<void> {
    const { dir, name } = this.parentOf(path, "symlink");
    if (dir.children.has(name)) throw fsError("EEXIST", "symlink", path);
    dir.children.set(name, { kind: "link", target, mtimeMs: Date.now() });
  }
}

function statsOf(node: Node): MemoryStats {
  const type = node.kind === "link" ? "symlink" : node.kind;
  const mode = node.kind === "dir" ? 0o40755 : node.kind === "link" ? 0o120000 : 0o100644;
  return {
    type,
    mode,
    size: node.kind === "file" ? node.data.byteLength : node.kind === "link" ? node.target.length : 0,
    ino: 0,
    dev: 0,
    uid: 0,
    gid: 0,
    mtimeMs: node.mtimeMs,
    ctimeMs: node.mtimeMs,
    isFile: () => node.kind === "file",
    isDirectory: () => node.kind === "dir",
    isSymbolicLink: () => node.kind === "link",
  };
}

/** A fresh, empty file system; pass it as isomorphic-git's `fs`. */
export function createMemoryFs(): { promises: MemoryPromises } {
  return { promises: new MemoryPromises() };
}
