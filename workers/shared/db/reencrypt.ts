/**
 * Key rotation's data work: re-encrypts, in batches, every value sealed with the phased-out
 * key — API-key values, secret values, encrypted settings, and the git token and webhook secret
 * inside code-source settings (which the original forgets). Each row is rewritten only if it
 * still holds the ciphertext that was read (optimistic), so a concurrent API write is never
 * overwritten; such a row is simply picked up again, freshly sealed, or left as it is.
 */
import { and, eq, like, or, sql } from "drizzle-orm";
import { apiKeys, codeSources, secrets, settings } from "../../../schema";
import { bumpConfigVersion } from "../config-version";
import { decrypt, encrypt, type Keyring } from "../crypto";
import { database } from "./client";

type Statement = Parameters<ReturnType<typeof database>["batch"]>[0][number];

/** Re-seals one ciphertext from the phased-out key to the current one. */
async function reseal(ciphertext: string, keyring: Keyring): Promise<string> {
  return encrypt(await decrypt(ciphertext, keyring), keyring);
}

/**
 * A value that cannot be decrypted (it was already unreadable) is left as it is: it comes back
 * as null, and a batch that rewrites nothing ends the rotation rather than looping on it.
 */
async function tryReseal(ciphertext: string, keyring: Keyring): Promise<string | null> {
  try {
    return await reseal(ciphertext, keyring);
  } catch {
    return null;
  }
}

/** Re-seals each row's `v`; `update` makes the statement writing it back only if it is unchanged. */
async function resealRows<R extends { v: string }>(rows: R[], keyring: Keyring, update: (row: R, sealed: string) => Statement): Promise<Statement[]> {
  const out: Statement[] = [];
  for (const row of rows) {
    const sealed = await tryReseal(row.v, keyring);
    if (sealed !== null) out.push(update(row, sealed));
  }
  return out;
}

/** Fields of a code source's JSON settings that hold ciphertext. */
const SEALED_FIELDS = ["authToken", "webhookSecret"] as const;

async function resealJson(json: string, keyring: Keyring, old: string): Promise<string> {
  const value = JSON.parse(json) as Record<string, unknown>;
  for (const field of SEALED_FIELDS) {
    const sealed = value[field];
    if (typeof sealed === "string" && sealed.startsWith(old)) value[field] = (await tryReseal(sealed, keyring)) ?? sealed;
  }
  return JSON.stringify(value);
}

/**
 * Re-encrypts up to `limit` values still sealed with `keyring.phasedOutVersion`. Answers how
 * many rows it rewrote; 0 means nothing is left.
 */
export async function reencryptBatch(env: Pick<Env, "DB">, keyring: Keyring, limit: number): Promise<number> {
  const old = keyring.phasedOutVersion;
  if (old === null) return 0;
  const db = database(env);
  const statements: Statement[] = [];
  const startsOld = (column: typeof apiKeys.valueEncrypted | typeof secrets.valueEncrypted | typeof settings.value) =>
    sql`substr(${column}, 1, 1) = ${old}`;

  const keyRows = await db.select({ id: apiKeys.id, v: apiKeys.valueEncrypted }).from(apiKeys).where(startsOld(apiKeys.valueEncrypted)).limit(limit).all();
  statements.push(
    ...(await resealRows(keyRows, keyring, ({ id, v }, sealed) =>
      db.update(apiKeys).set({ valueEncrypted: sealed }).where(and(eq(apiKeys.id, id), eq(apiKeys.valueEncrypted, v))),
    )),
  );
  const secretRows = await db
    .select({ id: secrets.id, v: secrets.valueEncrypted })
    .from(secrets)
    .where(startsOld(secrets.valueEncrypted))
    .limit(limit - statements.length)
    .all();
  statements.push(
    ...(await resealRows(secretRows, keyring, ({ id, v }, sealed) =>
      db.update(secrets).set({ valueEncrypted: sealed }).where(and(eq(secrets.id, id), eq(secrets.valueEncrypted, v))),
    )),
  );
  const settingRows = await db
    .select({ name: settings.name, v: settings.value })
    .from(settings)
    .where(and(eq(settings.isEncrypted, true), startsOld(settings.value)))
    .limit(limit - statements.length)
    .all();
  statements.push(
    ...(await resealRows(settingRows, keyring, ({ name, v }, sealed) =>
      db.update(settings).set({ value: sealed }).where(and(eq(settings.name, name), eq(settings.value, v))),
    )),
  );
  const sourceRows = await db
    .select({ id: codeSources.id, t: codeSources.typeSettings, s: codeSources.syncSettings })
    .from(codeSources)
    .where(or(like(codeSources.typeSettings, `%"authToken":"${old}%`), like(codeSources.syncSettings, `%"webhookSecret":"${old}%`)))
    .limit(Math.max(limit - statements.length, 0))
    .all();
  for (const { id, t, s } of sourceRows) {
    const [typeSettings, syncSettings] = [await resealJson(t, keyring, old), await resealJson(s, keyring, old)];
    if (typeSettings === t && syncSettings === s) continue;
    const update = db
      .update(codeSources)
      .set({ typeSettings, syncSettings })
      .where(and(eq(codeSources.id, id), eq(codeSources.typeSettings, t), eq(codeSources.syncSettings, s)));
    statements.push(update);
  }

  const [first, ...rest] = statements;
  if (first === undefined) return 0;
  await db.batch([first, ...rest]);
  bumpConfigVersion();
  return statements.length;
}
