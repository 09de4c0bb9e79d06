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
// - Memory: every session on the page shares one wasm instance, and so one
//   memory budget (MEMORY_BUDGET_BYTES below). A session that cannot start, or
//   a step that cannot run, within it is refused with an SdpError whose
//   `memory` is true and whose message names its owner; the step changes
//   nothing and the other sessions carry on. Deleting sessions frees budget.

export class SdpError extends Error {
  // memory: the failure is about memory (the budget, or the browser giving
  // no more); the owner may free some by closing other simulations.
  constructor(message, { memory = false } = {}) {
    super(message);
    this.name = 'SdpError';
    this.memory = memory;
  }
}

// The page's simulations may hold 1 GiB together (what C++ objects hold, as
// counted by the module's operator new). Why that figure:
// - the module can grow to 2 GiB (CMakeLists.txt, MAXIMUM_MEMORY), and the
//   budget is checked after each step, so a step may briefly go past it by
//   what it allocates (tens of MiB at the sims' caps: 200,000 keys are
//   29 MiB) before it is undone; half of 2 GiB leaves that room, and room
//   for fragmentation (1002 MiB in use took 1096 MiB of wasm memory), many
//   times over. At the 2 GiB wall a step is still refused cleanly almost
//   always, but not always: once the module's reserve is spent, a failure
//   inside a destructor stops the engine (wasm/memory.cpp);
// - more than 1 GiB is more than many phones and 32-bit browsers give a
//   tab; when a browser refuses to grow the memory below the budget, that
//   is handled the same way (a refused step, a named widget);
// - it fits 35 of the heaviest hash rings (50 nodes x 1000 vnodes,
//   200,000 keys: 28.6 MiB each; tests/e2e/many-widgets.test.mjs), or the
//   whole gallery (ten widgets, 2.5 MiB) hundreds of times over.
export const MEMORY_BUDGET_BYTES = 1024 * 1024 * 1024;

let moduleFactory = null;
let moduleOptions = {};
let modulePromise = null;
let loadedModule = null;
let live = 0;
let memoryBudget = MEMORY_BUDGET_BYTES;
// Set when the engine trapped (wasm/memory.cpp: only if std::terminate ran):
// its stack pointer is then not restored, so it is not used again.
let engineFailure = null;

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
      const module = await factory(options);
      module.setMemoryBudget(memoryBudget);
      loadedModule = module;
      return module;
    })();
    modulePromise.catch(() => {
      modulePromise = null; // a failed load may be retried
    });
  }
  return modulePromise;
}

// owner: a name, or a function giving it, asked only for a message.
function unwrap(envelope, owner = '') {
  if (envelope.ok) return envelope.value;
  const name = nameOf(owner);
  if (envelope.memory) throw new SdpError(name ? `${name}: ${envelope.error}` : envelope.error, { memory: true });
  throw new SdpError(envelope.error);
}

// Every call into the engine: an exception that is not an envelope becomes
// an SdpError, never a bare WebAssembly.Exception or RuntimeError.
// - A C++ exception can escape only from embind copying the arguments in
//   (every body is guarded in bindings.cpp), before the call does anything:
//   in practice std::bad_alloc, so it is reported as memory.
// - A trap (std::terminate, wasm/memory.cpp) leaves the engine's stack
//   pointer where it was: the engine is not used again.
function callEngine(owner, call) {
  if (engineFailure) throw new SdpError(`${nameOf(owner) || 'simulation'}: ${engineFailure}`);
  try {
    return call();
  } catch (error) {
    if (error instanceof SdpError) throw error;
    const who = nameOf(owner) || 'simulation';
    if (typeof WebAssembly === 'object' && error instanceof WebAssembly.RuntimeError) {
      engineFailure = `the simulation engine stopped (${error.name}: ${error.message}); reload the page`;
      throw new SdpError(`${who}: ${engineFailure}`);
    }
    if (typeof WebAssembly === 'object' && typeof WebAssembly.Exception === 'function' && error instanceof WebAssembly.Exception) {
      throw new SdpError(`${who}: out of memory: the engine could not take this call in; nothing was changed`, { memory: true });
    }
    throw new SdpError(`${who}: internal error in the simulation engine (${error?.name}: ${error?.message})`);
  }
}

function nameOf(owner) {
  return String((typeof owner === 'function' ? owner() : owner) ?? '');
}

// Changes the page's memory budget (bytes; Infinity or 0 for none), e.g.
// for an embedder that knows its page better, or for tests. Applies at once.
export function setMemoryBudget(bytes) {
  memoryBudget = Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
  loadedModule?.setMemoryBudget(memoryBudget);
}

// {inUse, budget, memory}: bytes the simulations hold, the budget (0: none)
// and the size of the wasm memory (it grows and never shrinks). Zeros
// before the engine has loaded.
export function memoryUse() {
  return {
    inUse: loadedModule ? loadedModule.liveBytes() : 0,
    budget: memoryBudget,
    memory: loadedModule ? loadedModule.HEAP8.length : 0,
  };
}

// Replays a scenario (a JSON string or object); returns the output text,
// byte-identical to `sdp run`.
export async function runScenario(scenario) {
  const module = await loadSdp();
  const text = typeof scenario === 'string' ? scenario : JSON.stringify(scenario);
  return callEngine('runScenario', () => unwrap(module.runScenario(text)));
}

// The work units one replay (a link, a scenario file) may use in all: the
// same budget `sdp run` applies (core/include/sdp/scenario.h).
export async function scenarioWorkBudget() {
  return (await loadSdp()).scenarioWorkBudget;
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
  #owner;

  constructor(native, owner) {
    this.#native = native;
    this.#owner = owner;
  }

  // Opens a simulation; throws SdpError for an unknown sim, a bad config, or
  // no room in the page's memory budget. `owner` names who asked, in memory
  // messages (a widget passes its tag and id); the sim's name by default. It
  // may be a function, asked at each message: a widget's place on the page
  // changes when others are removed.
  static async create(sim, { seed = 1, config = {}, owner = String(sim) } = {}) {
    const module = await loadSdp();
    const native = callEngine(owner, () => new module.Session());
    try {
      callEngine(owner, () => unwrap(native.open(String(sim), Number(seed), JSON.stringify(config)), owner));
    } catch (error) {
      if (!engineFailure) native.delete();
      throw error;
    }
    live += 1;
    return new SimSession(native, owner);
  }

  // Applies one step, e.g. {op: 'add_node', id: 'A'}; returns its result or
  // throws SdpError with the message (the simulation is then unchanged).
  apply(step) {
    const text = JSON.stringify(step);
    return JSON.parse(this.#call((session) => session.apply(text)));
  }

  // Time travel (core/include/sdp/sim_session.h): shows the state after the
  // first n applied steps, keeping the later ones so that goTo can move
  // forward again; the next apply() discards them (a branch). Throws
  // SdpError for n outside [0, timeline().steps]. Fast at any log length:
  // it replays from the nearest checkpoint, not from the seed.
  goTo(n) {
    return Number(this.#call((session) => session.goTo(Number(n))));
  }

  // {position, steps, checkpoints}: the sim shows the state after
  // `position` of the `steps` logged steps.
  timeline() {
    const t = callEngine(this.#owner, () => this.#session().timeline());
    return { position: t.position, steps: t.steps, checkpoints: t.checkpoints };
  }

  // The work the last apply() used, accepted or refused, in the units of
  // core/include/sdp/step_budget.h: deterministic, the same in every browser.
  lastStepUnits() {
    return callEngine(this.#owner, () => this.#session().lastStepUnits());
  }

  snapshot({ full = false } = {}) {
    return JSON.parse(this.#call((session) => session.snapshot(full)));
  }

  column(name) {
    return this.#call((session) => session.column(String(name)));
  }

  get owner() {
    return nameOf(this.#owner);
  }

  get deleted() {
    return this.#native === null;
  }

  delete() {
    if (this.#native) {
      if (!engineFailure) this.#native.delete();
      this.#native = null;
      live -= 1;
    }
  }

  #session() {
    if (!this.#native) throw new SdpError('this simulation session was deleted');
    return this.#native;
  }

  #call(body) {
    return callEngine(this.#owner, () => unwrap(body(this.#session()), this.#owner));
  }
}
