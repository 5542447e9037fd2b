// Option values the commands take as numbers: checked when the command line is read, so that a typo
// ("-n two") stops the command with a message naming the option instead of running with NaN.
import { InvalidArgumentError } from 'commander';

/** A parser for a whole number of at least `min`. */
export function wholeNumber(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`Give a whole number of at least ${min}.`);
    return n;
  };
}

/** A parser for a share: a number from 0 to 1 ("0.2"), nothing else ("0.3abc", "20%" are refused). */
export function share(value: string): number {
  const n = Number(value);
  if (!/^\s*(0|1|0?\.\d+|1\.0*)\s*$/.test(value) || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('Give a share from 0 to 1, such as 0.2.');
  return n;
}
