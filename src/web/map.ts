// A small map of a record's spatial coverage drawn as SVG on the server: the bounding box on a grid of
// degrees, with a few cities for orientation. No tiles, no script, no request to anyone else.
import type { Envelope } from '../search/geometry.js';
import { html, type SafeHtml } from './html.js';
import { MESSAGES, type PageLang } from './i18n.js';

/** Places to find one's way by (longitude, latitude; WGS 84). */
const CITIES: [string, number, number][] = [
  ['Brussel', 4.352, 50.847],
  ['Antwerpen', 4.402, 51.219],
  ['Gent', 3.72, 51.054],
  ['Brugge', 3.225, 51.209],
  ['Leuven', 4.701, 50.879],
  ['Hasselt', 5.338, 50.931],
  ['Liège', 5.571, 50.633],
  ['Namur', 4.867, 50.465],
  ['Mons', 3.952, 50.454],
  ['Amsterdam', 4.9, 52.37],
  ['Paris', 2.352, 48.857],
  ['Luxembourg', 6.13, 49.611],
  ['Köln', 6.96, 50.938],
  ['Lille', 3.057, 50.629],
  ['Berlin', 13.405, 52.52],
  ['Madrid', -3.704, 40.417],
  ['Roma', 12.496, 41.903],
  ['London', -0.128, 51.507],
];

const WIDTH = 320;
const HEIGHT = 240;

const round = (x: number) => Math.round(x * 10) / 10;

function step(span: number): number {
  for (const s of [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 45, 90]) if (span / s <= 6) return s;
  return 90;
}

export function bboxMap(box: Envelope, lang: PageLang): SafeHtml {
  const [w, s, e, n] = box;
  // The view: the box with a margin, at least two degrees, clipped to the world.
  const spanX = Math.max(e - w, 2) * 1.6;
  const spanY = Math.max(n - s, 1.2) * 1.6;
  const cx = (w + e) / 2;
  const cy = (s + n) / 2;
  const kx = Math.cos((Math.min(Math.abs(cy), 80) * Math.PI) / 180);
  // Keep the aspect ratio of the drawing (degrees of longitude shrink with latitude).
  let vw = spanX;
  let vh = spanY;
  if ((vw * kx) / vh > WIDTH / HEIGHT) vh = (vw * kx * HEIGHT) / WIDTH;
  else vw = (vh * WIDTH) / HEIGHT / kx;
  const x0 = Math.max(-180, cx - vw / 2);
  const y1 = Math.min(90, cy + vh / 2);
  const x = (lon: number) => round(((lon - x0) / vw) * WIDTH);
  const y = (lat: number) => round(((y1 - lat) / vh) * HEIGHT);
  const gx = step(vw);
  const gy = step(vh);
  const lines: SafeHtml[] = [];
  for (let lon = Math.ceil(x0 / gx) * gx; lon <= x0 + vw; lon += gx)
    lines.push(html`<line x1="${x(lon)}" y1="0" x2="${x(lon)}" y2="${HEIGHT}"/><text x="${x(lon) + 2}" y="${HEIGHT - 4}">${round(lon)}°</text>`);
  for (let lat = Math.ceil((y1 - vh) / gy) * gy; lat <= y1; lat += gy)
    lines.push(html`<line x1="0" y1="${y(lat)}" x2="${WIDTH}" y2="${y(lat)}"/><text x="2" y="${y(lat) - 2}">${round(lat)}°</text>`);
  const cities = CITIES.filter(([, lon, lat]) => lon > x0 && lon < x0 + vw && lat < y1 && lat > y1 - vh).slice(0, 8);
  const label = MESSAGES[lang].map(round(w), round(s), round(e), round(n));
  // A point (or a box too small to see) is drawn as a marker.
  const tiny = x(e) - x(w) < 4 && y(s) - y(n) < 4;
  return html`<figure class="map-wrap">
<svg class="map" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${label}" xmlns="http://www.w3.org/2000/svg">
<g stroke="#c5d3e0" stroke-width="0.6" fill="#5b6570" font-size="9">${lines}</g>
<g fill="#1d1d1b" font-size="9">${cities.map(([name, lon, lat]) => html`<circle cx="${x(lon)}" cy="${y(lat)}" r="1.8"/><text x="${x(lon) + 3}" y="${y(lat) - 3}">${name}</text>`)}</g>
${
  tiny
    ? html`<circle cx="${x((w + e) / 2)}" cy="${y((s + n) / 2)}" r="5" fill="#0055cc" fill-opacity="0.35" stroke="#0055cc" stroke-width="2"/>`
    : html`<rect x="${x(w)}" y="${y(n)}" width="${round(x(e) - x(w))}" height="${round(y(s) - y(n))}" fill="#ffe615" fill-opacity="0.35" stroke="#0055cc" stroke-width="2"/>`
}
</svg>
<figcaption>${label}</figcaption>
</figure>`;
}
