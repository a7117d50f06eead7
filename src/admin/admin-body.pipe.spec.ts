import { parseWireJson } from '../capillary/wire-json';
import { AdminBodyPipe, plainNumbers } from './admin-body.pipe';

describe('plainNumbers', () => {
  it('makes a number only of a literal that the number writes back unchanged', () => {
    const body = parseWireJson(
      '{"a":4.9999999999999999,"b":1.0000000000000001,"c":1e0,"d":1.0,"e":5,"f":0.1,"g":-0,"h":[7,7.0]}',
    );
    expect(plainNumbers(body)).toEqual({
      a: '4.9999999999999999',
      b: '1.0000000000000001',
      c: '1e0',
      d: '1.0',
      e: 5,
      f: 0.1,
      g: '-0',
      h: [7, '7.0'],
    });
  });
});

describe('AdminBodyPipe on numeric path parameters', () => {
  const pipe = new AdminBodyPipe();
  const param = { type: 'param', metatype: Number, data: 'id' } as const;

  it('passes digits through as text for the route to convert', () => {
    expect(pipe.transform('42', param)).toBe('42');
  });

  it.each(['5.0', '5e0', '0x5', '+5', ' 5', '05', '4.9999999999999999', ''])(
    'refuses %p with a 400 naming the parameter',
    (text) => {
      expect(() => pipe.transform(text, param)).toThrow(
        expect.objectContaining({
          httpStatus: 400,
          fieldErrors: [expect.objectContaining({ field: 'id' })],
        }),
      );
    },
  );
});
