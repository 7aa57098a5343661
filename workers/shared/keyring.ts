import type { Keyring } from "../../durable-objects/key-vault";

let cached: Promise<Keyring> | undefined;

/** The keyring from the KeyVault Durable Object, cached in this isolate. */
export function getKeyring(env: Env): Promise<Keyring> {
  if (cached === undefined) {
    const stub = env.KEY_VAULT.get(env.KEY_VAULT.idFromName("main"));
    const loading = stub.getKeyring() as Promise<Keyring>;
    cached = loading;
    loading.catch(() => {
      if (cached === loading) cached = undefined;
    });
  }
  return cached;
}

/** Forgets the cached keyring, e.g. after a rotation changed it. */
export function invalidateKeyring(): void {
  cached = undefined;
}
