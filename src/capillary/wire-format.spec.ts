import { Request } from 'express';
import { isTillPath, replyFormat } from './wire-format';

const req = (path: string, query: Record<string, unknown>, accept?: string): Request =>
  ({ path, query, headers: accept === undefined ? {} : { accept } }) as unknown as Request;

describe('replyFormat', () => {
  it.each([
    [{}, undefined, 'json'],
    [{ format: 'xml' }, undefined, 'xml'],
    [{ format: ' XML ' }, undefined, 'xml'],
    [{ format: ['xml', 'json'] }, undefined, 'xml'],
    [{ format: 'json' }, 'application/xml', 'json'],
    [{ format: 'yaml' }, 'application/xml', 'json'],
    [{ format: '' }, 'text/xml', 'xml'],
    [{}, 'text/xml', 'xml'],
    [{}, 'application/xml; charset=utf-8', 'xml'],
    [{}, 'text/html, application/xml;q=0.9, */*;q=0.8', 'xml'],
    [{}, 'application/json, text/xml', 'json'],
    [{}, 'text/xml, application/json', 'xml'],
    [{}, 'application/xml;q=0.2, application/json;q=0.9', 'json'],
    [{}, 'application/xml;q=0', 'json'],
    [{}, '*/*', 'json'],
    [{}, 'application/xml;q=0.5, */*', 'json'],
    [{}, 'text/xml, */*', 'xml'],
  ])('query %j, Accept %s → %s', (query, accept, expected) => {
    expect(replyFormat(req('/v1.1/customer/get', query, accept))).toBe(expected);
  });

  it('answers JSON outside the till API whatever is asked', () => {
    for (const path of ['/admin/config', '/health', '/metrics', '/v3/x']) {
      expect(replyFormat(req(path, { format: 'xml' }, 'application/xml'))).toBe('json');
    }
  });

  it('knows the till API by its prefix', () => {
    expect(isTillPath('/v1.1/points/redeem')).toBe(true);
    expect(isTillPath('/v2/points/reverse')).toBe(true);
    expect(isTillPath('/V1.1/points/redeem')).toBe(true);
    expect(isTillPath('/v1.10/points')).toBe(false);
    expect(isTillPath('/admin/v2/x')).toBe(false);
  });
});
