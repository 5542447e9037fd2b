// A parse error that says where: line and column in the input, when the parser knows them.

/** The longest message kept. Parsers quote the token they stopped at, and that token may be the rest of
 * the document (a string literal never closed runs to the end of a 50 MB push): quoted whole, it came
 * back in the 400's detail and in every log line, as large as the document itself. */
const MAX_MESSAGE = 300;

function bounded(message: string): string {
  if (message.length <= MAX_MESSAGE) return message;
  let end = MAX_MESSAGE;
  // Not between the two halves of a surrogate pair.
  const last = message.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${message.slice(0, end)}… (${message.length - end} more characters)`;
}

export class RdfSyntaxError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(bounded(message));
    this.name = 'RdfSyntaxError';
  }

  /** "line 3, column 17" or "" when unknown. */
  get where(): string {
    if (this.line === undefined) return '';
    return this.column === undefined ? `line ${this.line}` : `line ${this.line}, column ${this.column}`;
  }
}
