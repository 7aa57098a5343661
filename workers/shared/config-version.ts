/**
 * The configuration version of this isolate: every write through the data-access modules bumps
 * it, and every in-memory cache built from the database (route table, key hashes, settings)
 * is rebuilt when it has moved. That keeps the /run hot path free of queries while a write is
 * still seen by the very next call. One workerd process runs one router isolate, so an
 * in-memory counter is the whole truth there.
 */
let version = 0;

export function configVersion(): number {
  return version;
}

export function bumpConfigVersion(): void {
  version++;
}

/**
 * A value loaded once per configuration version. Only a *resolved* value is shared: workerd
 * forbids one request from waiting on I/O that another request started, so concurrent callers
 * on a cold cache each load for themselves, and a value loaded while the version moved is used
 * once but not kept.
 */
export function cachedByVersion<T>(load: () => Promise<T>): () => Promise<T> {
  let entry: { version: number; value: T } | undefined;
  return async () => {
    if (entry !== undefined && entry.version === version) return entry.value;
    const startedAt = version;
    const value = await load();
    if (version === startedAt) entry = { version: startedAt, value };
    return value;
  };
}

/**
 * Like cachedByVersion, with one cache per key object — per `env.DB`, so two databases in one
 * isolate (as in the data-access contract tests) never share an entry.
 */
export function cachedByVersionPer<K extends object, T>(load: (key: K) => Promise<T>): (key: K) => Promise<T> {
  const caches = new WeakMap<K, () => Promise<T>>();
  return (key) => {
    let cache = caches.get(key);
    if (cache === undefined) {
      cache = cachedByVersion(() => load(key));
      caches.set(key, cache);
    }
    return cache();
  };
}
