// How requests are checked against their routes' schemas. Addresses carry only text, so query, path and
// header values are coerced to the types their schemas name ("limit=20" is the number 20, one "theme=x"
// is a list of one). A JSON body carries its own types: there "enabled": "true" or "credentials": 0 is the
// client's mistake and answers 400, where Fastify's single default would quietly convert it.
import { Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS: its function is the module's default export, or that export's own default.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

function instance(coerceTypes: 'array' | false, shared: AnySchema[]): Ajv {
  // allErrors stays off: collecting every error of a hostile body is a known way to spend a server's CPU.
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, addUsedSchema: false });
  addFormats(ajv);
  for (const s of shared) ajv.addSchema(s);
  return ajv;
}

/** A validator compiler for Fastify: strict types for bodies, coercion for the parts of the address. */
export function requestValidatorCompiler(shared: AnySchema[]): FastifySchemaCompiler<AnySchema> {
  const coercing = instance('array', shared);
  const strict = instance(false, shared);
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : coercing;
    const id = typeof schema === 'object' && schema !== null && '$id' in schema ? (schema.$id as string | undefined) : undefined;
    const known = id ? ajv.getSchema(id) : undefined;
    return (known ?? ajv.compile(schema)) as ValidateFunction;
  };
}
