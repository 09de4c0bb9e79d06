// Compiles (when stale) and runs tests/lucene/LuceneBm25.java against
// Debian's Lucene 8 jars (liblucene8-java): one JVM per call, fed a whole
// batch on stdin. Fails, never skips, when Java or Lucene is missing, and
// says how to install them.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const JAVA_DIR = '/usr/share/java';
const SOURCE = 'tests/lucene/LuceneBm25.java';
const OUT_DIR = 'build/lucene';

function luceneJars() {
  const names = fs.existsSync(JAVA_DIR) ? fs.readdirSync(JAVA_DIR) : [];
  const core = names.filter((n) => /^lucene-core-8\.[\d.]+\.jar$/.test(n)).sort();
  if (core.length === 0) {
    throw new Error(`${JAVA_DIR}/lucene-core-8.*.jar not found: the differential test needs the real ` +
      'Lucene 8; run scripts/setup.sh (it installs liblucene8-java and default-jdk-headless)');
  }
  return [path.join(JAVA_DIR, core[core.length - 1])];
}

export function luceneVersion() {
  return path.basename(luceneJars()[0]).replace(/^lucene-core-|\.jar$/g, '');
}

function classpath() {
  return [OUT_DIR, ...luceneJars()].join(':');
}

function compile() {
  const cls = path.join(OUT_DIR, 'LuceneBm25.class');
  if (fs.existsSync(cls) && fs.statSync(cls).mtimeMs >= fs.statSync(SOURCE).mtimeMs) return;
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const out = spawnSync('javac', ['-nowarn', '-d', OUT_DIR, '-cp', classpath(), SOURCE], { encoding: 'utf8' });
  if (out.error || out.status !== 0) {
    throw new Error(`javac failed (install default-jdk-headless: scripts/setup.sh): ${out.error ?? out.stderr}`);
  }
}

// Runs the lines (strings, tab-separated fields) through Lucene; returns stdout lines.
export function runLucene(lines) {
  compile();
  // C1 only and the serial collector: this short batch is over before C2
  // would pay off, and the JIT threads would compete with the tests.
  const out = spawnSync('java', ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xss8m', '-cp', classpath(), 'LuceneBm25'], {
    input: `${lines.join('\n')}\n`,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (out.error || out.status !== 0) throw new Error(`java LuceneBm25 failed: ${out.error ?? out.stderr}`);
  return out.stdout.split('\n').filter((l) => l.length > 0);
}

export const enc = (s) => encodeURIComponent(s);
