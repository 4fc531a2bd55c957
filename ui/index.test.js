// index.html preloads exactly the modules app.js imports statically, so that the first paint does not
// wait for one import level after another (run by `node --test ui/`).

import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ui = dirname(fileURLToPath(import.meta.url));

/** Every module reachable from `file` through static imports (`import … from '…'` at a line's start). */
function staticGraph(file, seen = new Set()) {
  for (const m of readFileSync(file, 'utf8').matchAll(/^import\s+(?:[^'"]*?from\s+)?['"]([^'"]+)['"]/gm)) {
    const dep = normalize(join(dirname(file), m[1]));
    if (!seen.has(dep)) {
      seen.add(dep);
      staticGraph(dep, seen);
    }
  }
  return seen;
}

test('index.html preloads the static import graph of app.js, and nothing else', () => {
  const graph = [...staticGraph(join(ui, 'app.js'))].map((f) => relative(ui, f)).sort();
  const html = readFileSync(join(ui, 'index.html'), 'utf8');
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]).sort();
  assert.deepEqual(preloaded, graph);
});

test('no stage screen is loaded before the first paint', () => {
  const graph = [...staticGraph(join(ui, 'app.js'))].map((f) => relative(ui, f));
  for (const view of ['plan-view', 'org-view', 'meetings-view', 'tracking-view', 'gantt-chart']) {
    assert.ok(!graph.includes(`components/${view}.js`), view);
  }
});

test('a module that creates a custom element imports the module defining it', () => {
  const defined = new Map();
  const files = ['app.js', ...readdirSync(join(ui, 'components')).filter((f) => f.endsWith('.js')).map((f) => `components/${f}`)];
  for (const f of files) {
    for (const m of readFileSync(join(ui, f), 'utf8').matchAll(/customElements\.define\('([a-z-]+)'/g)) defined.set(m[1], f);
  }
  for (const f of files) {
    const graph = new Set([...staticGraph(join(ui, f))].map((p) => relative(ui, p)));
    for (const m of readFileSync(join(ui, f), 'utf8').matchAll(/h\('(liaison-[a-z-]+)'/g)) {
      const home = defined.get(m[1]);
      // app.js creates the stage screens after importing their modules itself (VIEWS).
      if (!home || home === f || (f === 'app.js' && !graph.has(home))) continue;
      assert.ok(graph.has(home), `${f} creates <${m[1]}> but does not import ${home}`);
    }
  }
});
