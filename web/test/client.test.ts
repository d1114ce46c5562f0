import { describe, expect, it } from 'vitest';
import { api, ApiError, tokenStore } from '../src/api/client';
import { apiError, json, mockFetch } from './helpers';

describe('API client', () => {
  it('sends the bearer token and JSON, and parses the answer', async () => {
    tokenStore.set('tok');
    const calls = mockFetch(() => json(200, { likes: 1 }));
    await api.engage('42', 'like');
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: '/api/tweets/42/engagement',
      body: { action: 'like' },
      headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
    });
  });

  it('sends no Content-Type on requests without a body', async () => {
    const calls = mockFetch(() => json(200, {}));
    await api.archive('1');
    expect(calls[0]!.headers['content-type']).toBeUndefined();
  });

  it('turns the error envelope into an ApiError with code, field and Retry-After', async () => {
    mockFetch(() => {
      const r = apiError(429, 'rate_limited', 'slow down');
      r.headers.set('Retry-After', '3');
      return r;
    });
    const e = await api.listTweets({}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 429, code: 'rate_limited', message: 'slow down', retryAfterSeconds: 3 });

    mockFetch(() => apiError(422, 'validation_failed', 'too long', 'content'));
    await expect(api.createTweet({ content: 'x' }, 'k')).rejects.toMatchObject({ field: 'content' });

    // The document allows `"field": null`; the ApiError then names no field.
    mockFetch(() => json(404, { error: { code: 'not_found', message: 'no such tweet', field: null } }));
    const notFound = await api.getTweet('1').catch((x: unknown) => x);
    expect(notFound).toMatchObject({ code: 'not_found', field: undefined });
  });

  it('reports a network failure as code "network"', async () => {
    mockFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(api.me()).rejects.toMatchObject({ code: 'network', status: 0 });
  });

  it('answers undefined for 204', async () => {
    mockFetch(() => new Response(null, { status: 204 }));
    await expect(api.deleteTweet('1')).resolves.toBeUndefined();
  });
});
