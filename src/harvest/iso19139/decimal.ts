// Exact decimal arithmetic on numbers as written in a record. Going through binary floating point
// would turn 0.213701 MB into 213701.00000000003 bytes and print large or small values in exponent
// notation, which xsd:decimal does not allow.

interface Decimal {
  /** The digits, as an integer. */
  m: bigint;
  /** How many of them are fraction digits. */
  scale: number;
}

export function parseDecimal(s: string): Decimal | null {
  const t = s.trim();
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(t);
  if (!match || (match[2] === '' && !match[3])) return null;
  const fraction = match[3] ?? '';
  const m = BigInt(`${match[2] || '0'}${fraction}`);
  return { m: match[1] === '-' ? -m : m, scale: fraction.length };
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return { m: a.m * b.m, scale: a.scale + b.scale };
}

/** Canonical xsd:decimal text: no exponent, no trailing fraction zeros. */
export function formatDecimal(d: Decimal): string {
  const negative = d.m < 0n;
  let digits = (negative ? -d.m : d.m).toString().padStart(d.scale + 1, '0');
  let scale = d.scale;
  while (scale > 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    scale--;
  }
  const whole = digits.slice(0, digits.length - scale);
  const out = scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole;
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}

/** Rounds half away from zero to a whole number. */
export function roundToInteger(d: Decimal): bigint {
  if (d.scale === 0) return d.m;
  const unit = 10n ** BigInt(d.scale);
  const half = unit / 2n;
  return d.m >= 0n ? (d.m + half) / unit : -((-d.m + half) / unit);
}

/** 1/n with up to `digits` fraction digits, rounded, as xsd:decimal text; null for 0 or non-integers. */
export function reciprocal(n: string, digits = 24): string | null {
  const d = parseDecimal(n);
  if (!d || d.scale !== 0 || d.m === 0n) return null;
  const unit = 10n ** BigInt(digits);
  const q = roundToInteger({ m: (unit * 10n) / d.m, scale: 1 });
  return formatDecimal({ m: q, scale: digits });
}

export function scaled(s: string, factor: string): string | null {
  const a = parseDecimal(s);
  const b = parseDecimal(factor);
  return a && b ? formatDecimal(multiply(a, b)) : null;
}
