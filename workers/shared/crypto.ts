/**
 * Encryption at rest (spec §8.2): `<version letter>` + base64(12-byte IV ‖ AES-256-GCM
 * ciphertext ‖ 16-byte tag), and HMAC-SHA256 lookup hashes. Pure functions over a keyring.
 */

/** Raw key material, base64-encoded: what the KeyVault Durable Object owns. */
export interface Keyring {
  currentVersion: string;
  currentKey: string;
  phasedOutVersion: string | null;
  phasedOutKey: string | null;
  hashKey: string;
  lastRotationFinishedAt: string;
}

export const MAX_PLAINTEXT_BYTES = 16 * 1024;
const IV_BYTES = 12;
const MIN_DECODED_BYTES = IV_BYTES + 16;

export function base64Encode(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function base64Decode(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const aesKeys = new Map<string, Promise<CryptoKey>>();
const hmacKeys = new Map<string, Promise<CryptoKey>>();

function aesKey(raw: string): Promise<CryptoKey> {
  let key = aesKeys.get(raw);
  if (key === undefined) {
    key = crypto.subtle.importKey("raw", base64Decode(raw), "AES-GCM", false, ["encrypt", "decrypt"]);
    aesKeys.set(raw, key);
  }
  return key;
}

function hmacKey(raw: string): Promise<CryptoKey> {
  let key = hmacKeys.get(raw);
  if (key === undefined) {
    key = crypto.subtle.importKey("raw", base64Decode(raw), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    hmacKeys.set(raw, key);
  }
  return key;
}

/** Encrypts with the keyring's current key. */
export async function encrypt(plaintext: string, keyring: Keyring): Promise<string> {
  const data = new TextEncoder().encode(plaintext);
  if (data.byteLength > MAX_PLAINTEXT_BYTES) {
    throw new RangeError(`Plaintext exceeds ${MAX_PLAINTEXT_BYTES} bytes`);
  }
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await aesKey(keyring.currentKey), data),
  );
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(sealed, IV_BYTES);
  return keyring.currentVersion + base64Encode(out);
}

/** Decrypts a versioned ciphertext with the current or the phased-out key. */
export async function decrypt(ciphertext: string, keyring: Keyring): Promise<string> {
  const version = ciphertext.slice(0, 1);
  const raw =
    version === keyring.currentVersion
      ? keyring.currentKey
      : version === keyring.phasedOutVersion
        ? keyring.phasedOutKey
        : null;
  if (raw === null) throw new Error(`Unknown key version '${version}'`);
  const bytes = base64Decode(ciphertext.slice(1));
  if (bytes.byteLength < MIN_DECODED_BYTES) throw new Error("Ciphertext too short");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES) },
    await aesKey(raw),
    bytes.subarray(IV_BYTES),
  );
  return new TextDecoder().decode(plain);
}

/** HMAC-SHA256 of a value, base64 (44 characters): the lookup hash of an API key. */
export async function lookupHash(value: string, keyring: Keyring): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(keyring.hashKey), new TextEncoder().encode(value));
  return base64Encode(new Uint8Array(mac));
}

/** Equal strings, compared in time independent of where they differ (digests first, so lengths leak nothing). */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([a, b].map(async (s) => new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)))));
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= (x?.[i] ?? 0) ^ (y?.[i] ?? 0);
  return diff === 0 && a.length === b.length;
}
