// The page's pure modules, run in node (no browser): RFC 9162 inclusion proofs and signed
// note checks (web/js/verify.js) against a reference tree built here, and the search
// language (web/js/search.js) on the cases DESIGN §5 and docs/API.md name.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';

// The modules have no imports of their own, so they load from their source as data URLs
// (web/ has no package.json to tell node they are ES modules).
async function load(name) {
  const src = readFileSync(new URL(`../../web/js/${name}`, import.meta.url), 'utf8');
  return import(`data:text/javascript,${encodeURIComponent(src)}`);
}
const verify = await load('verify.js');
const search = await load('search.js');

const sha = (...parts) => new Uint8Array(createHash('sha256').update(Buffer.concat(parts.map((p) => Buffer.from(p)))).digest());
const leafHash = (b) => sha([0], b);
const nodeHash = (l, r) => sha([1], l, r);

// RFC 9162 §2.1.1 MTH and §2.1.3.1 PATH, written the recursive way as the RFC does.
function largestPowerOfTwoBelow(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
function mth(leaves) {
  if (leaves.length === 1) return leafHash(leaves[0]);
  const k = largestPowerOfTwoBelow(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function path(m, leaves) {
  if (leaves.length === 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

describe('verify.js', () => {
  const leaves = Array.from({ length: 21 }, (_, i) => Buffer.from(`{"seq":${i}}`));

  it('finds the root of every leaf of trees of 1 to 21 leaves', async () => {
    for (let size = 1; size <= leaves.length; ++size) {
      const tree = leaves.slice(0, size);
      const root = mth(tree);
      for (let i = 0; i < size; ++i) {
        const got = await verify.rootFromInclusionProof(i, size, await verify.leafHash(tree[i]), path(i, tree));
        assert.deepEqual(got, root, `leaf ${i} of ${size}`);
      }
    }
  });

  it('refuses a proof of the wrong length, index or size', async () => {
    const tree = leaves.slice(0, 13);
    const proof = path(5, tree);
    const leaf = await verify.leafHash(tree[5]);
    assert.equal(await verify.rootFromInclusionProof(5, 13, leaf, [...proof, proof[0]]), null);
    assert.notDeepEqual(await verify.rootFromInclusionProof(5, 13, leaf, proof.slice(1)), mth(tree));
    assert.notDeepEqual(await verify.rootFromInclusionProof(4, 13, leaf, proof), mth(tree));
    assert.equal(await verify.rootFromInclusionProof(13, 13, leaf, proof), null);
    assert.notDeepEqual(await verify.rootFromInclusionProof(5, 6, leaf, proof), mth(tree));
  });

  it('checks a signed note whose key contains "+" and "/", and rejects a changed one', async () => {
    // Keys until the base64 of (0x01 ‖ key) has a '+': the case a naive split gets wrong.
    let pub;
    let priv;
    let b64;
    do {
      ({ publicKey: pub, privateKey: priv } = generateKeyPairSync('ed25519'));
      b64 = Buffer.concat([Buffer.from([1]), pub.export({ format: 'der', type: 'spki' }).subarray(12)]).toString('base64');
    } while (!b64.includes('+'));
    const raw = Buffer.from(b64, 'base64');
    const keyId = sha(Buffer.from('actlog\n'), raw).subarray(0, 4);
    const vkey = `actlog+${Buffer.from(keyId).toString('hex')}+${b64}`;
    const body = `actlog/acme\n3\n${Buffer.from(mth(leaves.slice(0, 3))).toString('base64')}\n`;
    const sig = Buffer.concat([keyId, sign(null, Buffer.from(body), priv)]).toString('base64');
    const note = `${body}\n— actlog ${sig}\n`;
    const checkpoint = verify.parseCheckpoint(note);
    assert.equal(checkpoint.origin, 'actlog/acme');
    assert.equal(checkpoint.size, 3);
    assert.equal(await verify.checkSignature(checkpoint, vkey), 'valid');
    const forged = verify.parseCheckpoint(note.replace('\n3\n', '\n4\n'));
    assert.equal(await verify.checkSignature(forged, vkey), 'invalid');
    assert.throws(() => verify.parseCheckpoint('actlog/acme\nthree\n'), /signed note/);
  });
});

describe('search.js', () => {
  it('parses the example of DESIGN §5 and formats it back', () => {
    const s = search.parseSearch('code:org.member:* actor:u_7 after:2026-11-01 -outcome:success "text"');
    assert.deepEqual(s.include, [{ key: 'code', value: 'org.member:*' }, { key: 'actor', value: 'u_7' }]);
    assert.deepEqual(s.exclude, [{ key: 'outcome', value: 'success' }]);
    assert.equal(s.after, '2026-11-01');
    assert.deepEqual(s.text, ['text']);
    assert.equal(search.formatSearch(s), 'code:org.member:* actor:u_7 -outcome:success after:2026-11-01 text');
  });

  it('keeps personal terms out of the public form', () => {
    const s = search.parseSearch('email:ann@acme.test actor:u_1 "Ann Doe" target_id:m_2');
    assert.equal(search.formatSearch(s, { publicOnly: true }), 'actor:u_1 target:m_2');
    assert.equal(search.formatSearch(s), 'actor_email:ann@acme.test actor:u_1 target:m_2 "Ann Doe"');
    assert.ok(search.hasPersonalTerms(s));
  });

  it('takes a searchable field by its path, keeps its case and keeps it out of the address', () => {
    const s = search.parseSearch('metadata.Email:Ann@acme.test -context.ip:10.0.0.1 actor.email:b@x.test foo.bar:baz');
    assert.deepEqual(s.include, [{ key: 'metadata.Email', value: 'Ann@acme.test' },
      { key: 'actor_email', value: 'b@x.test' }]);
    assert.deepEqual(s.exclude, [{ key: 'context.ip', value: '10.0.0.1' }]);
    assert.deepEqual(s.text, ['foo.bar:baz']);
    assert.equal(search.formatSearch(s, { publicOnly: true }), '');
    assert.ok(search.hasPersonalTerms(s));
    assert.equal(search.formatSearch(s),
      'metadata.Email:Ann@acme.test actor_email:b@x.test -context.ip:10.0.0.1 foo.bar:baz');
  });

  it('round-trips quoting', () => {
    for (const q of ['actor:"u 7"', '"a \\"quoted\\" word"', '"http://x"', '"-1"', 'before:2026-01-05T10:00:00Z']) {
      const once = search.formatSearch(search.parseSearch(q));
      assert.equal(search.formatSearch(search.parseSearch(once)), once, q);
    }
  });

  it('names the bad term as the server does', () => {
    assert.throws(() => search.parseSearch('foo:bar'), /unknown key "foo"/);
    assert.throws(() => search.parseSearch('-word'), /only key:value filters can be negated/);
    assert.throws(() => search.parseSearch('-after:2026-01-01'), /cannot be negated/);
    assert.throws(() => search.parseSearch('after:yesterday'), /needs a date/);
    assert.throws(() => search.parseSearch('"open'), /missing closing quote/);
    assert.throws(() => search.parseSearch('actor:'), /missing value/);
  });
});
