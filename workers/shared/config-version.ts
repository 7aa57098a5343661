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

/** A value loaded once per configuration version; concurrent callers share one load. */
export function cachedByVersion<T>(load: () => Promise<T>): () => Promise<T> {
  let entry: { version: number; value: Promise<T> } | undefined;
  return () => {
    if (entry === undefined || entry.version !== version) {
      const value = load();
      const current = { version, value };
      entry = current;
      // A failed load must not stick: the next call tries again.
      value.catch(() => {
        if (entry === current) entry = undefined;
      });
    }
    return entry.value;
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
