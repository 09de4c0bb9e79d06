// A widget's whole state as a link: seed + config + the action log, as
// base64url JSON in the URL fragment (never sent to a server), one parameter
// per widget so that several widgets can share a page.

function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(encoded) {
  const padded = encoded.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(padded + '='.repeat((4 - (padded.length % 4)) % 4));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export function encodeState(state) {
  return toBase64Url(JSON.stringify(state));
}

// Returns the decoded state, or throws an Error saying why the link is broken.
export function decodeState(encoded) {
  let state;
  try {
    state = JSON.parse(fromBase64Url(encoded));
  } catch {
    throw new Error('the shared link is damaged (not valid state); starting fresh');
  }
  if (typeof state !== 'object' || state === null || !Array.isArray(state.steps)) {
    throw new Error('the shared link has no action log; starting fresh');
  }
  return state;
}

function fragmentParams(hash) {
  return new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
}

export function readStateParam(key, location = window.location) {
  return fragmentParams(location.hash).get(key);
}

// The current URL with this widget's parameter set to `encoded`.
export function urlWithState(key, encoded, location = window.location) {
  const params = fragmentParams(location.hash);
  params.set(key, encoded);
  const url = new URL(location.href);
  url.hash = params.toString();
  return url.href;
}
