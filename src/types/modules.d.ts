// Type declarations for dependencies that ship none.
declare module 'rdf-canonize' {
  const canonize: {
    canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
  };
  export default canonize;
}
