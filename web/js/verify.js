// Checks in the browser, with WebCrypto, that an event is in its org's log (DESIGN §6,
// docs/INTEGRITY.md): the inclusion proof of RFC 9162 §2.1.3.2 against the root of the
// latest signed checkpoint, and the checkpoint's Ed25519 signature against the server's
// public key where the browser has Ed25519. Nothing here trusts the server's word: the
// leaf hash is computed from the leaf bytes, the root from the proof.

const subtle = globalThis.crypto && globalThis.crypto.subtle;

async function sha256(...parts) {
  let length = 0;
  for (const p of parts) length += p.length;
  const buf = new Uint8Array(length);
  let at = 0;
  for (const p of parts) { buf.set(p, at); at += p.length; }
  return new Uint8Array(await subtle.digest('SHA-256', buf));
}

export function fromBase64(s) {
  const bin = atob(s.trim());
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; ++i) out[i] = bin.charCodeAt(i);
  return out;
}

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function equal(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; ++i) d |= a[i] ^ b[i];
  return d === 0;
}

export const leafHash = (leaf) => sha256(Uint8Array.of(0), leaf);
const nodeHash = (l, r) => sha256(Uint8Array.of(1), l, r);

// RFC 9162 §2.1.3.2: the root that `proof` (sibling hashes, leaf to root) gives for
// leaf `index` in a tree of `size` leaves, or null when the proof has the wrong shape.
// Integer halving instead of bit operations: indexes may exceed 32 bits.
export async function rootFromInclusionProof(index, size, leaf, proof) {
  if (!(index >= 0 && index < size)) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

// A C2SP signed note: "origin\nsize\nbase64 root\n[extensions]\n\n— name base64sig\n…".
export function parseCheckpoint(text) {
  const split = text.indexOf('\n\n');
  if (split < 0) throw new Error('the checkpoint is not a signed note');
  const body = text.slice(0, split + 1);
  const lines = body.split('\n');
  const size = Number(lines[1]);
  if (!lines[0] || !/^\d+$/.test(lines[1] || '') || !Number.isSafeInteger(size)) {
    throw new Error('the checkpoint has no origin or tree size');
  }
  const root = fromBase64(lines[2] || '');
  if (root.length !== 32) throw new Error('the checkpoint root is not a SHA-256 hash');
  const signatures = text.slice(split + 2).split('\n').filter((l) => l.startsWith('— '))
    .map((l) => {
      const [name, sig] = l.slice(2).split(' ');
      return { name, bytes: fromBase64(sig) };
    });
  return { origin: lines[0], size, root, body, signatures };
}

// Verifies the checkpoint's signature by the signed-note verifier key
// "name+hexkeyid+base64(0x01 ‖ Ed25519 public key)". Returns 'valid', 'invalid' or
// 'unsupported' (this browser's WebCrypto has no Ed25519).
export async function checkSignature(checkpoint, vkey) {
  // Split at the first two '+' only: the base64 key may itself contain '+'.
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+(\S+)$/.exec(vkey.trim());
  if (!m) return 'invalid';
  const [, name, keyIdHex, keyB64] = m;
  const key = fromBase64(keyB64);
  if (key.length !== 33 || key[0] !== 1) return 'invalid';
  const keyId = Uint8Array.from((keyIdHex || '').match(/../g) || [], (h) => parseInt(h, 16));
  const sig = checkpoint.signatures.find((s) => s.name === name && s.bytes.length === 68 &&
    equal(s.bytes.slice(0, 4), keyId));
  if (!sig) return 'invalid';
  let publicKey;
  try {
    publicKey = await subtle.importKey('raw', key.slice(1), { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return 'unsupported';
  }
  const ok = await subtle.verify({ name: 'Ed25519' }, publicKey, sig.bytes.slice(4),
    new TextEncoder().encode(checkpoint.body));
  return ok ? 'valid' : 'invalid';
}

// The whole check for one event. Returns {state, …}: state 'verified' (included in the
// checkpoint's tree; `signature` says whether the checkpoint's signature was checked),
// 'pending' (the event is newer than the latest checkpoint), 'failed' (with `reason`),
// or 'unavailable' (no WebCrypto, or the server does not serve proofs).
export async function verifyEvent(api, event) {
  if (!subtle) return { state: 'unavailable', reason: 'this browser has no WebCrypto here (it needs HTTPS or localhost)' };
  const checkpoint = parseCheckpoint(await api.text(`/v1/orgs/${encodeURIComponent(event.org)}/checkpoint`));
  if (!checkpoint.origin.endsWith(`/${event.org}`)) {
    return { state: 'failed', reason: `the checkpoint is for ${checkpoint.origin}, not ${event.org}` };
  }
  if (event.seq >= checkpoint.size) return { state: 'pending', checkpoint };
  const proof = await api.json(`/v1/events/${encodeURIComponent(event.id)}/proof`, { size: checkpoint.size });
  const leaf = fromBase64(proof.leaf);
  const claims = JSON.parse(new TextDecoder().decode(leaf));
  for (const field of ['id', 'seq', 'code', 'occurred_at', 'org']) {
    if (claims[field] !== event[field]) {
      return { state: 'failed', reason: `the proven leaf's ${field} differs from the event shown` };
    }
  }
  if (proof.leaf_index !== event.seq || proof.tree_size !== checkpoint.size) {
    return { state: 'failed', reason: 'the proof is for another position or tree size' };
  }
  const root = await rootFromInclusionProof(proof.leaf_index, proof.tree_size,
    await leafHash(leaf), proof.hashes.map(fromBase64));
  if (!root || !equal(root, checkpoint.root)) {
    return { state: 'failed', reason: 'the inclusion proof does not lead to the checkpoint root' };
  }
  let signature = 'unchecked';
  let signatureProblem = '';
  try {
    signature = await checkSignature(checkpoint, await api.text('/v1/public-key'));
  } catch (e) {
    signatureProblem = e.message;
  }
  if (signature === 'invalid') {
    return { state: 'failed', reason: 'the checkpoint signature does not verify with the server key' };
  }
  return { state: 'verified', checkpoint, signature, signatureProblem, rootHex: toHex(root) };
}
