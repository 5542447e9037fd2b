// Charts drawn on the server as SVG: no script, no third party, readable by screen readers through a
// label and a title on each part, and scaled by the browser.
import { html, type SafeHtml } from './html.js';

export interface Part {
  label: string;
  value: number;
  /** A CSS class naming its colour (see site.css: band-bad, band-good, ...). */
  className: string;
}

/** One horizontal bar divided into parts by their share. */
export function stackedBar(parts: Part[], label: string, width = 320, height = 16): SafeHtml {
  const total = parts.reduce((s, p) => s + p.value, 0);
  let x = 0;
  const rects = parts
    .filter((p) => p.value > 0)
    .map((p) => {
      const w = total ? (width * p.value) / total : 0;
      const r = html`<rect x="${x.toFixed(1)}" width="${w.toFixed(1)}" height="${height}" class="${p.className}"><title>${p.label}: ${p.value}</title></rect>`;
      x += w;
      return r;
    });
  return html`<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}: ${parts.map((p) => `${p.label} ${p.value}`).join(', ')}"><rect width="${width}" height="${height}" class="chart-bg"/>${rects}</svg>`;
}

/** A line over months (oldest first), from 0 to `max`, with its first and last values written out. */
export function trendLine(points: { label: string; value: number }[], max: number, label: string, format: (v: number) => string, width = 320, height = 90): SafeHtml {
  if (points.length === 0) return html``;
  const pad = 4;
  const step = points.length > 1 ? (width - 2 * pad) / (points.length - 1) : 0;
  const y = (v: number) => height - 18 - ((height - 26) * Math.min(v, max)) / (max || 1);
  const xy = points.map((p, i) => [pad + i * step, y(p.value)] as const);
  const first = points[0];
  const last = points[points.length - 1];
  return html`<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}: ${points.map((p) => `${p.label} ${format(p.value)}`).join(', ')}">
<rect width="${width}" height="${height - 14}" class="chart-bg"/>
${points.length > 1 ? html`<polyline points="${xy.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}" class="chart-line" fill="none"/>` : ''}
${xy.map(([a, b], i) => html`<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="3" class="chart-dot"><title>${points[i].label}: ${format(points[i].value)}</title></circle>`)}
<text x="${pad}" y="${height - 2}" class="chart-text">${first.label}</text>
${points.length > 1 ? html`<text x="${width - pad}" y="${height - 2}" text-anchor="end" class="chart-text">${last.label}: ${format(last.value)}</text>` : html`<text x="${width - pad}" y="${height - 2}" text-anchor="end" class="chart-text">${format(last.value)}</text>`}
</svg>`;
}
