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
