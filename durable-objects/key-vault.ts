/**
 * KeyVault — owns the keyring: the AES-256-GCM key that encrypts values at rest (with its
 * version letter), the key being phased out during a rotation, and the HMAC key used for
 * API-key lookup hashes (never rotated). It lives here and never in `DB`, so a copy of the
 * database alone reveals nothing. One instance, named "main".
 *
 * It also owns rotation. A rotation is "in progress" exactly while a phased-out key is stored:
 * that is the lock, and it survives a crash. The work is driven by this object's alarm — one
 * batch per alarm, `batch-sleep-ms` apart — so a rotation interrupted by a crash or a restart
 * resumes by itself when workerd starts again (an overdue alarm fires at start-up). When no
 * rotation runs, the same alarm is set for the next automatic one.
 */
import { DurableObject } from "cloudflare:workers";
import { reencryptBatch } from "../workers/shared/db/reencrypt";
import { settingNumber } from "../workers/shared/db/settings";
import type { Keyring } from "../workers/shared/crypto";
import { invalidateKeyring } from "../workers/shared/keyring";

export type { Keyring };

export interface RotationStatus {
  lastRotationAt: string;
  currentVersion: string;
  isInProgress: boolean;
  nextRotationAt: string;
  rotationIntervalDays: number;
}

const DAY_MS = 86_400_000;
/** After a settings change makes the next rotation overdue, it waits this long (as the original). */
const OVERDUE_GRACE_MS = 5 * 60_000;
/** How often a running rotation prints how far it has got. */
const PROGRESS_EVERY_MS = 5_000;

function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes));
}

/** A → B → … → Z → A. */
function nextVersion(version: string): string {
  return version === "Z" ? "A" : String.fromCharCode(version.charCodeAt(0) + 1);
}

export class KeyVault extends DurableObject<Env> {
  /** Callers of rotateNow() waiting for the running rotation to finish. */
  #waiters: (() => void)[] = [];
  /** Values re-encrypted by this instance in the running rotation, for progress lines. */
  #rewritten = 0;
  #lastProgressAt = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS keyring (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      current_version TEXT NOT NULL, current_key TEXT NOT NULL,
      phased_out_version TEXT, phased_out_key TEXT,
      hash_key TEXT NOT NULL, last_rotation_finished_at TEXT NOT NULL)`);
  }

  /** The keyring, created on first use (which also schedules the first automatic rotation). */
  async getKeyring(): Promise<Keyring> {
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
    this.#store(keyring);
    await this.#scheduleNext(keyring);
    return keyring;
  }

  async status(): Promise<RotationStatus> {
    const keyring = await this.getKeyring();
    const days = await settingNumber(this.env, "encryption.key-rotation.interval-days");
    const alarm = await this.ctx.storage.getAlarm();
    return {
      lastRotationAt: keyring.lastRotationFinishedAt,
      currentVersion: keyring.currentVersion,
      isInProgress: keyring.phasedOutVersion !== null,
      nextRotationAt: new Date(alarm ?? Date.parse(keyring.lastRotationFinishedAt) + days * DAY_MS).toISOString(),
      rotationIntervalDays: days,
    };
  }

  /**
   * Starts a rotation and resolves when it has finished; answers "busy" at once if one is
   * already running. The work itself runs in alarms, so it goes on if the caller goes away.
   */
  async rotateNow(): Promise<"completed" | "busy"> {
    const keyring = await this.getKeyring();
    if (keyring.phasedOutVersion !== null) return "busy";
    const finished = new Promise<void>((resolve) => this.#waiters.push(resolve));
    await this.#begin(keyring);
    await finished;
    return "completed";
  }

  /** Re-plans the next automatic rotation after the interval setting changed. */
  async reschedule(): Promise<void> {
    const keyring = await this.getKeyring();
    if (keyring.phasedOutVersion === null) await this.#scheduleNext(keyring, OVERDUE_GRACE_MS);
  }

  override async alarm(): Promise<void> {
    const keyring = await this.getKeyring();
    if (keyring.phasedOutVersion === null) {
      const due = Date.parse(keyring.lastRotationFinishedAt) + (await this.#intervalMs());
      if (Date.now() >= due) await this.#begin(keyring);
      else await this.ctx.storage.setAlarm(due);
      return;
    }
    const batchSize = await settingNumber(this.env, "encryption.key-rotation.batch-size");
    const rewritten = await reencryptBatch(this.env, keyring, batchSize);
    this.#rewritten += rewritten;
    if (rewritten > 0 && Date.now() - this.#lastProgressAt >= PROGRESS_EVERY_MS) {
      this.#lastProgressAt = Date.now();
      console.log(`key rotation: ${this.#rewritten} value(s) re-encrypted so far`);
    }
    if (rewritten > 0) {
      const pause = await settingNumber(this.env, "encryption.key-rotation.batch-sleep-ms");
      await this.ctx.storage.setAlarm(Date.now() + pause);
      return;
    }
    await this.#finish(keyring);
  }

  async #begin(keyring: Keyring): Promise<void> {
    const next: Keyring = {
      ...keyring,
      currentVersion: nextVersion(keyring.currentVersion),
      currentKey: randomKey(),
      phasedOutVersion: keyring.currentVersion,
      phasedOutKey: keyring.currentKey,
    };
    this.#store(next);
    invalidateKeyring();
    this.#rewritten = 0;
    this.#lastProgressAt = Date.now();
    console.log(`key rotation: started, version ${keyring.currentVersion} -> ${next.currentVersion}`);
    await this.ctx.storage.setAlarm(Date.now());
  }

  async #finish(keyring: Keyring): Promise<void> {
    const done: Keyring = { ...keyring, phasedOutVersion: null, phasedOutKey: null, lastRotationFinishedAt: new Date().toISOString() };
    this.#store(done);
    invalidateKeyring();
    console.log(`key rotation: finished (${this.#rewritten} value(s) re-encrypted here), every value now sealed with version ${done.currentVersion}`);
    this.#rewritten = 0;
    await this.#scheduleNext(done);
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  async #intervalMs(): Promise<number> {
    try {
      return (await settingNumber(this.env, "encryption.key-rotation.interval-days")) * DAY_MS;
    } catch {
      // The settings table may not exist yet on the very first start; use the default.
      return 90 * DAY_MS;
    }
  }

  async #scheduleNext(keyring: Keyring, overdueGraceMs = 0): Promise<void> {
    const due = Date.parse(keyring.lastRotationFinishedAt) + (await this.#intervalMs());
    await this.ctx.storage.setAlarm(Math.max(due, Date.now() + overdueGraceMs));
  }

  #store(k: Keyring): void {
    this.ctx.storage.sql.exec(
      `INSERT OR REPLACE INTO keyring (id, current_version, current_key, phased_out_version, phased_out_key, hash_key, last_rotation_finished_at)
       VALUES (1, ?, ?, ?, ?, ?, ?)`,
      k.currentVersion,
      k.currentKey,
      k.phasedOutVersion,
      k.phasedOutKey,
      k.hashKey,
      k.lastRotationFinishedAt,
    );
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
