// Parse Mermaid files with Mermaid's own parser (the package GitHub and
// GitLab render with), in Node with jsdom standing in for the browser.
// Usage: node parse.mjs FILE... ; prints "ok FILE TYPE" or "FAIL FILE: why".
import { JSDOM } from 'jsdom';
import fs from 'fs';
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window; globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser; 
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
let bad = 0;
for (const f of process.argv.slice(2)) {
  const text = fs.readFileSync(f === '-' ? 0 : f, 'utf8');
  try { const r = await mermaid.parse(text); console.log(`ok ${f} ${r.diagramType}`); }
  catch (e) { bad++; console.log(`FAIL ${f}: ${String(e.message || e).split('\n').slice(0,4).join(' | ')}`); }
}
process.exit(bad ? 1 : 0);
