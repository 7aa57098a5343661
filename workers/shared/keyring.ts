import type { Keyring } from "./crypto";
import { decrypt, encrypt } from "./crypto";

let cached: Keyring | undefined;
/** Bumped by every invalidation, so a load that raced with one is not kept. */
let generation = 0;

/** The KeyVault Durable Object (one instance); a fresh stub per call, never shared across requests. */
export function keyVault(env: Pick<Env, "KEY_VAULT">) {
  return env.KEY_VAULT.get(env.KEY_VAULT.idFromName("main"));
}

/**
 * The keyring from the KeyVault Durable Object, cached in this isolate (for decryption and
 * hashes). Only the resolved keyring is shared between requests, never a pending call.
 */
export async function getKeyring(env: Pick<Env, "KEY_VAULT">): Promise<Keyring> {
  if (cached !== undefined) return cached;
  const startedAt = generation;
  const keyring = (await keyVault(env).getKeyring()) as Keyring;
  if (generation === startedAt) cached = keyring;
  return keyring;
}

/** Forgets the cached keyring, e.g. when a rotation starts or ends. */
export function invalidateKeyring(): void {
  cached = undefined;
  generation++;
}

/**
 * Encrypts with the key that is current right now. Writes are rare, so each asks the KeyVault
 * afresh: a value is never sealed with a key a rotation has already phased out.
 */
export async function encryptValue(env: Pick<Env, "KEY_VAULT">, plaintext: string): Promise<string> {
  invalidateKeyring();
  return encrypt(plaintext, await getKeyring(env));
}

/** Decrypts with the cached keyring, refreshing it once if the value's key version is newer. */
export async function decryptValue(env: Pick<Env, "KEY_VAULT">, ciphertext: string): Promise<string> {
  const keyring = await getKeyring(env);
  const version = ciphertext.slice(0, 1);
  if (version !== keyring.currentVersion && version !== keyring.phasedOutVersion) {
    invalidateKeyring();
    return decrypt(ciphertext, await getKeyring(env));
  }
  return decrypt(ciphertext, keyring);
}
