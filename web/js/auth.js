// Where the page's credential comes from and where it is kept (docs/WEB.md "Tokens").
//
// A viewer token arrives in the URL fragment (/#token=actlog_vt_…), which browsers never
// send to a server; the page moves it to sessionStorage at once and removes it from the
// address, so it is neither in the history nor in a copied link. A pasted read key is
// kept the same way. sessionStorage lives only as long as the tab.

const CREDENTIAL = 'actlog.credential';
const ORG = 'actlog.org';

// Reads a token from the fragment (and removes it from the address), else the stored one.
export function takeCredential() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('token');
  if (token) {
    fragment.delete('token');
    sessionStorage.setItem(CREDENTIAL, token);
    sessionStorage.removeItem(ORG);
    const rest = fragment.toString();
    history.replaceState(null, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
  }
  const credential = sessionStorage.getItem(CREDENTIAL);
  if (!credential) return null;
  return { credential, org: sessionStorage.getItem(ORG) || tokenClaims(credential).org || null };
}

export function storeCredential(credential, org) {
  sessionStorage.setItem(CREDENTIAL, credential);
  if (org) sessionStorage.setItem(ORG, org); else sessionStorage.removeItem(ORG);
}

export function forgetCredential() {
  sessionStorage.removeItem(CREDENTIAL);
  sessionStorage.removeItem(ORG);
}

// The readable part of a viewer token (actlog_vt_<base64url JSON>.<mac>): its org, actor
// and expiry. Only for display and defaults: the server checks the signature.
export function tokenClaims(credential) {
  if (!credential.startsWith('actlog_vt_')) return {};
  try {
    const payload = credential.slice('actlog_vt_'.length).split('.')[0];
    const b64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)));
  } catch {
    return {};
  }
}
