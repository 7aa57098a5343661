/** File content types by extension (spec §5.5), and which of them count as text. */

const TYPES: Record<string, string> = {};
function map(type: string, ...extensions: string[]): void {
  for (const ext of extensions) TYPES[ext] = type;
}

map("text/typescript", "ts", "tsx", "mts", "cts");
map("text/javascript", "js", "jsx", "mjs", "cjs");
map("application/json", "json", "jsonc", "prettierrc", "eslintrc");
map("text/markdown", "md");
map("text/html", "html", "htm");
map("text/css", "css");
map("application/xml", "xml");
map("text/yaml", "yaml", "yml");
map("text/plain", "txt", "toml", "sql", "env", "gitignore", "dockerignore", "editorconfig");
map("text/csv", "csv");
map("text/x-shellscript", "sh");
for (const lang of ["py", "rb", "go", "rs", "java", "kt", "swift", "c", "cpp", "h", "hpp", "php"]) map(`text/x-${lang}`, lang);
map("text/x-vue", "vue");
map("text/x-svelte", "svelte");
map("image/png", "png");
map("image/jpeg", "jpg", "jpeg");
map("image/gif", "gif");
map("image/webp", "webp");
map("image/svg+xml", "svg");
map("image/x-icon", "ico");
map("image/bmp", "bmp");
map("image/avif", "avif");
map("audio/mpeg", "mp3");
map("audio/wav", "wav");
map("audio/ogg", "ogg");
map("audio/flac", "flac");
map("audio/mp4", "m4a");
map("video/mp4", "mp4");
map("video/webm", "webm");
map("video/quicktime", "mov");
map("video/x-msvideo", "avi");
map("application/zip", "zip");
map("application/x-tar", "tar");
map("application/gzip", "gz", "tgz");
map("application/x-bzip2", "bz2");
map("application/x-7z-compressed", "7z");
map("application/vnd.rar", "rar");
map("font/woff", "woff");
map("font/woff2", "woff2");
map("font/ttf", "ttf");
map("font/otf", "otf");
map("application/vnd.ms-fontobject", "eot");
map("application/pdf", "pdf");
map("application/wasm", "wasm");
map("application/octet-stream", "bin", "onnx", "pt", "safetensors");

/** The content type of a file path, by the extension of its last segment (`.gitignore` counts). */
export function contentTypeFor(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  if (dot === -1) return "application/octet-stream";
  return TYPES[name.slice(dot + 1).toLowerCase()] ?? "application/octet-stream";
}

/** Text types travel as UTF-8 in the JSON envelope; everything else as base64. */
export function isTextContentType(type: string): boolean {
  const base = (type.split(";")[0] ?? "").trim().toLowerCase();
  return (
    base.startsWith("text/") ||
    base === "application/json" ||
    base === "application/xml" ||
    base === "application/javascript" ||
    base.endsWith("+json") ||
    base.endsWith("+xml")
  );
}
