// A parse error that says where: line and column in the input, when the parser knows them.

export class RdfSyntaxError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'RdfSyntaxError';
  }

  /** "line 3, column 17" or "" when unknown. */
  get where(): string {
    if (this.line === undefined) return '';
    return this.column === undefined ? `line ${this.line}` : `line ${this.line}, column ${this.column}`;
  }
}
