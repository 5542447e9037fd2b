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

  /** Adds a condition without a value. */
  raw(condition: string): this {
    this.parts.push(condition);
    return this;
  }

  get clause(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}
