// Runs one C++ benchmark binary (native, or the wasm build under node) and
// returns the object on its final `JSON {...}` line; its table goes to stderr.
import { execFileSync } from 'node:child_process';

export function runCpp(command, args, cwd) {
  console.error(`$ ${[command, ...args].join(' ')}`);
  const out = execFileSync(command, args, { cwd, encoding: 'utf8' });
  process.stderr.write(out);
  const line = out.split('\n').find((l) => l.startsWith('JSON '));
  if (!line) throw new Error(`${command}: no JSON line in its output`);
  return JSON.parse(line.slice('JSON '.length));
}
