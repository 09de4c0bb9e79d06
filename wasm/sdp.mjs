// The one JS facade over the wasm module, for widgets, tests and embedders.
//
// - loadSdp() loads the module once (a cached promise), in the browser from
//   sdp.js + sdp.wasm beside this file, in node from disk.
// - Every C++ entry point answers {ok, value | error}; failures become
//   `throw new SdpError(message)` here, never in C++ (see bindings.cpp).
// - Bulk data (column) is copied out of the heap: no live heap views leak out.
// - Ownership: whoever calls SimSession.create() owns the session and must call
//   session.delete() when done (widgets do it on disconnect). liveSessions()
//   counts them, for leak checks.

export class SdpError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SdpError';
  }
}

let moduleFactory = null;
let moduleOptions = {};
let modulePromise = null;
let live = 0;

// The embed bundle hands in its factory and wasm bytes; the site loads sdp.js.
export function useModuleFactory(factory, options = {}) {
  moduleFactory = factory;
  moduleOptions = options;
}

async function browserFactory() {
  if (!globalThis.createSdpModule) {
    const url = new URL('./sdp.js', import.meta.url).href;
    await new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = url;
      script.onload = resolve;
      script.onerror = () => reject(new SdpError(`could not load the simulation engine (${url})`));
      document.head.append(script);
    });
  }
  return { factory: globalThis.createSdpModule, options: {} };
}

async function nodeFactory() {
  // node's fetch cannot read file paths, so the wasm bytes are handed over.
  const { createRequire } = await import('node:module');
  const { readFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const dir = process.env.SDP_WASM_DIR
    ? `${process.env.SDP_WASM_DIR}/`
    : fileURLToPath(new URL('./', import.meta.url));
  const factory = createRequire(import.meta.url)(`${dir}sdp.js`);
  return { factory, options: { wasmBinary: readFileSync(`${dir}sdp.wasm`) } };
}

export function loadSdp() {
  if (!modulePromise) {
    modulePromise = (async () => {
      const isNode = typeof process !== 'undefined' && !!process.versions?.node;
      const { factory, options } = moduleFactory
        ? { factory: moduleFactory, options: moduleOptions }
        : isNode ? await nodeFactory() : await browserFactory();
      if (typeof WebAssembly !== 'object') {
        throw new SdpError('this browser has no WebAssembly support');
      }
      return factory(options);
    })();
    modulePromise.catch(() => {
      modulePromise = null; // a failed load may be retried
    });
  }
  return modulePromise;
}

function unwrap(envelope) {
  if (!envelope.ok) throw new SdpError(envelope.error);
  return envelope.value;
}

// Replays a scenario (a JSON string or object); returns the output text,
// byte-identical to `sdp run`.
export async function runScenario(scenario) {
  const module = await loadSdp();
  const text = typeof scenario === 'string' ? scenario : JSON.stringify(scenario);
  return unwrap(module.runScenario(text));
}

export async function listSims() {
  const module = await loadSdp();
  return JSON.parse(module.listSims());
}

export function liveSessions() {
  return live;
}

export class SimSession {
  #native;

  constructor(native) {
    this.#native = native;
  }

  // Opens a simulation; throws SdpError for an unknown sim or a bad config.
  static async create(sim, { seed = 1, config = {} } = {}) {
    const module = await loadSdp();
    const native = new module.Session();
    try {
      unwrap(native.open(String(sim), Number(seed), JSON.stringify(config)));
    } catch (error) {
      native.delete();
      throw error;
    }
    live += 1;
    return new SimSession(native);
  }

  // Applies one step, e.g. {op: 'add_node', id: 'A'}; returns its result or
  // throws SdpError with the message (the simulation is then unchanged).
  apply(step) {
    return JSON.parse(unwrap(this.#session().apply(JSON.stringify(step))));
  }

  snapshot({ full = false } = {}) {
    return JSON.parse(unwrap(this.#session().snapshot(full)));
  }

  column(name) {
    return this.#session().column(String(name));
  }

  get deleted() {
    return this.#native === null;
  }

  delete() {
    if (this.#native) {
      this.#native.delete();
      this.#native = null;
      live -= 1;
    }
  }

  #session() {
    if (!this.#native) throw new SdpError('this simulation session was deleted');
    return this.#native;
  }
}
