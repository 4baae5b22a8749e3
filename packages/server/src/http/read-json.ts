import type { Context } from 'hono';
import { ApiError } from '../errors/api-error.js';

/**
 * The request body parsed as JSON.
 *
 * @throws ApiError 400 `BAD_JSON` when it is not JSON.
 */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(400, 'BAD_JSON', 'the request body is not valid JSON', { cause: error });
  }
}
