// A WHERE clause built from optional filters, each with its value as a numbered parameter.

export class Where {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];

  /** Adds a condition; each "?" in it stands for `value`. */
  add(condition: string, value: unknown): this {
    this.params.push(value);
    this.parts.push(condition.replaceAll('?', `$${this.params.length}`));
    return this;
  }

  /** The placeholder of a new parameter, for conditions whose text holds a "?" of its own. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Adds a condition without a value. */
  raw(condition: string): this {
    this.parts.push(condition);
    return this;
  }

  get clause(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}
