// The pdfme side of bench/forms_bench.sh: the same template, the same font (BIZ UD明朝), the same
// boxes and sizes, the same strings. Prints cold (first generate, font parse included) and warm
// (median of the rest) times and writes the PDF.
import { readFileSync, writeFileSync } from 'node:fs';
import { generate } from '@pdfme/generator';
import { text } from '@pdfme/schemas';

const [, , specPath, iterations, outPdf] = process.argv;
const spec = JSON.parse(readFileSync(specPath, 'utf8'));
const font = { mincho: { data: new Uint8Array(readFileSync(spec.font)), fallback: true, subset: true } };
const schema = spec.fields.map((f) => ({
  name: f.name, type: 'text', position: { x: f.x, y: f.y }, width: f.width, height: f.height,
  fontSize: f.size, fontName: 'mincho', verticalAlignment: 'middle', content: '',
}));
const template = { basePdf: new Uint8Array(readFileSync(spec.template)), schemas: [schema] };
const inputs = [Object.fromEntries(spec.fields.map((f) => [f.name, f.text]))];

const t0 = performance.now();
let pdf = await generate({ template, inputs, options: { font }, plugins: { text } });
const coldMs = performance.now() - t0;
const warm = [];
for (let i = 0; i < Number(iterations); i++) {
  const t = performance.now();
  pdf = await generate({ template, inputs, options: { font }, plugins: { text } });
  warm.push(performance.now() - t);
}
warm.sort((a, b) => a - b);
writeFileSync(outPdf, pdf);
console.log(JSON.stringify({ coldMs, warmMedianMs: warm[Math.floor(warm.length / 2)], warmP90Ms: warm[Math.floor(warm.length * 0.9)], bytes: pdf.length }));
