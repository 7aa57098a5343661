/**
 * SourceStore — the files of one code source (one instance per source id), chunked so that
 * a 50 MB file fits in SQLite rows on every runtime.
 */
import { DurableObject } from "cloudflare:workers";

export class SourceStore extends DurableObject {}
