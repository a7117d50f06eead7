import { createHash } from 'node:crypto';

export const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** Basic auth as Capillary clients send it: username and MD5 hex of the password. */
export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${md5(password)}`).toString('base64')}`;
}

export const DEMO_TILL = basic('demo.till', 'demo.pass');
export const READONLY_TILL = basic('readonly.till', 'readonly.pass');
export const DEMO_ADMIN = basic('demo.admin', 'admin.pass');
export const OTHER_TILL = basic('other.till', 'other.pass');
export const OTHER_ADMIN = basic('other.admin', 'other.admin.pass');
export const DEMO_MOBILE = '919900000001';
