/**
 * KeyVault — owns the keyring: the AES-256-GCM key that encrypts values at rest (with its
 * version letter), the key being phased out during a rotation, and the HMAC key used for
 * API-key lookup hashes. It lives here and never in `DB`, so a copy of the database alone
 * reveals nothing. One instance, named "main".
 *
 * Rotation, its lock and its alarm build on this object (a later step); today it creates the
 * keyring on first use and hands it to the router, which caches it in memory.
 */
import { DurableObject } from "cloudflare:workers";

/** Raw key material, base64-encoded. */
export interface Keyring {
  currentVersion: string;
  currentKey: string;
  phasedOutVersion: string | null;
  phasedOutKey: string | null;
  hashKey: string;
  lastRotationFinishedAt: string;
}

function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes));
}

export class KeyVault extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS keyring (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      current_version TEXT NOT NULL, current_key TEXT NOT NULL,
      phased_out_version TEXT, phased_out_key TEXT,
      hash_key TEXT NOT NULL, last_rotation_finished_at TEXT NOT NULL)`);
  }

  /** The keyring, created on first use. */
  getKeyring(): Keyring {
    const row = this.ctx.storage.sql.exec("SELECT * FROM keyring WHERE id = 1").toArray()[0];
    if (row !== undefined) return toKeyring(row);
    const keyring: Keyring = {
      currentVersion: "A",
      currentKey: randomKey(),
      phasedOutVersion: null,
      phasedOutKey: null,
      hashKey: randomKey(),
      lastRotationFinishedAt: new Date().toISOString(),
    };
    this.ctx.storage.sql.exec(
      "INSERT INTO keyring (id, current_version, current_key, phased_out_version, phased_out_key, hash_key, last_rotation_finished_at) VALUES (1, ?, ?, NULL, NULL, ?, ?)",
      keyring.currentVersion,
      keyring.currentKey,
      keyring.hashKey,
      keyring.lastRotationFinishedAt,
    );
    return keyring;
  }
}

function toKeyring(row: Record<string, SqlStorageValue>): Keyring {
  return {
    currentVersion: String(row.current_version),
    currentKey: String(row.current_key),
    phasedOutVersion: row.phased_out_version === null ? null : String(row.phased_out_version),
    phasedOutKey: row.phased_out_key === null ? null : String(row.phased_out_key),
    hashKey: String(row.hash_key),
    lastRotationFinishedAt: String(row.last_rotation_finished_at),
  };
}
