import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractJsonSchemas } from './json-schemas';

describe(contractJsonSchemas.name, () => {
  it.each(Object.entries(contractJsonSchemas()))(
    'should match the committed libs/contracts/schemas/%s (regenerate with npm run contracts:schemas)',
    (name, schema) => {
      const committed = JSON.parse(readFileSync(join(__dirname, '..', 'schemas', name), 'utf8'));
      expect(committed).toEqual(schema);
    },
  );

  it('should describe the event message fields integrators rely on', () => {
    const schema = contractJsonSchemas()['vigil.event-2.schema.json'] as { properties: Record<string, unknown>; required: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(['schema', 'type', 'eventId', 'seq', 'site', 'before', 'after']));
    expect(schema.properties.type).toEqual({ type: 'string', enum: ['new', 'update', 'end'] });
  });
});
