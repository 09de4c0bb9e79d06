// Widget attributes, checked before a widget starts. Each widget declares its
// attributes (static attributes = {name: declaration}); a value that is not
// allowed is refused with a message naming the attribute, the value given and
// what is allowed, and the widget starts with its default instead.
//
// A declaration says where the value goes and so which field spec checks it:
//   {config: 'vnodes'}                  a field of the sim's config
//   {op: 'add_keys', field: 'count'}    a field of one of the sim's ops
//   {type: 'integer', min: 0, max: 50}  the widget's own range
// plus optional `min` / `max` narrowing a sim field, and `default` (the value
// the widget uses without the attribute; config fields default to the
// widget's base config, else the sim's own default).
// A sim field's "allowed" text is the sim's own (listSims(), as `sdp list`
// prints it); only ranges the widget declares or narrows are worded here.

export const MAX_SEED = 4294967295;
const SEED_SPEC = { type: 'integer', min: 0, max: MAX_SEED };

const SHOWN_MAX = 40;
// Decimal notation only (1000, 2.5, 1e3): not hex, not Infinity, not blank.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

// A value as the message shows it: the attribute's text, cut like the sim cuts it.
export function shown(text) {
  const s = String(text);
  return s.length > SHOWN_MAX ? `${s.slice(0, SHOWN_MAX - 3)}...` : s;
}

function rangeText({ type, min, max }) {
  if (type === 'integer') return `an integer in [${min}, ${max}]`;
  if (type === 'number') return `a number in [${min}, ${max}]`;
  throw new Error(`a widget's own attribute range must be an integer or a number (got ${type})`);
}

// The field spec that checks an attribute, with its "allowed" text. `info`
// is the sim's entry in listSims().sims. A declaration that names no field of
// the sim is a bug in the widget: it throws.
export function attributeSpec(name, declaration, info) {
  let field = declaration;
  if (declaration.config) {
    field = info.config.find((f) => f.name === declaration.config);
  } else if (declaration.op) {
    field = info.ops.find((o) => o.op === declaration.op)?.fields.find((f) => f.name === declaration.field);
  }
  if (!field) throw new Error(`attribute ${name}: ${info.sim} has no such field`);
  const narrowed = 'min' in declaration || 'max' in declaration;
  const spec = { ...field };
  if ('min' in declaration) spec.min = declaration.min;
  if ('max' in declaration) spec.max = declaration.max;
  if (narrowed || !spec.allowed) spec.allowed = rangeText(spec);
  return spec;
}

function utf8Length(text) {
  return new TextEncoder().encode(text).length;
}

// An attribute's text as the JSON value the sim expects, or null when the
// spec does not allow it. Mirrors the sim's checks, so that a refused value
// never reaches it; the sim checks again anyway.
export function parseAttribute(text, spec) {
  const trimmed = text.trim();
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const n = Number(trimmed);
      if (!DECIMAL.test(trimmed) || !Number.isFinite(n) || n < spec.min || n > spec.max) return null;
      return spec.type === 'integer' && !Number.isSafeInteger(n) ? null : n;
    }
    case 'boolean':
      return trimmed === 'true' ? true : trimmed === 'false' ? false : null;
    case 'string': {
      if (spec.one_of) return spec.one_of.includes(text) ? text : null;
      const bytes = utf8Length(text);
      if (bytes < spec.min_length || bytes > spec.max_length || /[\u0000-\u001f\u007f]/.test(text)) return null;
      return text;
    }
    default:
      return null;
  }
}

// A seed from an attribute (text) or a link (any JSON value): the integer, or
// null when it is not an integer in [0, MAX_SEED].
export function parseSeed(value) {
  if (typeof value === 'string') return parseAttribute(value, SEED_SPEC);
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_SEED ? value : null;
}

export const SEED_ALLOWED = rangeText(SEED_SPEC);

// "using the default (4)" or, when only the sim knows it, "using the default".
export function fallbackText(value) {
  return value === undefined ? 'using the default' : `using the default (${value})`;
}

// The one message shape for every refused attribute.
export function refusedMessage(name, text, why, fallback) {
  return `${name}="${shown(text)}" refused: ${why}; ${fallback}.`;
}
