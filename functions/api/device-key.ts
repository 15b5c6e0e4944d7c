import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { HttpEvent } from './http.js';

/**
 * The device id the web app generates once and keeps (a random UUID, nothing personal). It
 * travels in the JSON body of the two calls that start liveness attempts, so the browser needs
 * no extra CORS header.
 */
export const deviceIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/, 'expected 16-64 characters [A-Za-z0-9_-]');

/**
 * What the liveness limits count a device by: the hash of its device id or, when the client
 * sends none, of the source IP. Only the hash is stored.
 */
export function deviceKeyOf(event: HttpEvent, deviceId: string | undefined): string {
  const source = deviceId
    ? `device:${deviceId}`
    : `ip:${event.requestContext.http?.sourceIp ?? 'unknown'}`;
  return createHash('sha256').update(source, 'utf8').digest('hex');
}
