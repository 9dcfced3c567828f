// fetch with the bearer token; problem+json answers become ApiError.
import * as auth from './auth.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
  get code() { return this.problem.code; }
  get errors() { return this.problem.errors || []; }
}

export function withQuery(path, query = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    for (const item of Array.isArray(v) ? v : [v]) q.append(k, item);
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export async function api(method, path, { body, etag, query, idempotencyKey } = {}) {
  const headers = { Accept: 'application/json' };
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const t = auth.token();
  if (t) headers.Authorization = `Bearer ${t}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (etag) headers['If-Match'] = etag;
  const res = await fetch(withQuery(path, query), {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    if (res.status === 401) auth.expired();
    throw new ApiError(res.status, data);
  }
  return { data, etag: res.headers.get('ETag') };
}

export const get = (path, query) => api('GET', path, { query });

// Every page of a list (bounded: the catalog and customer pickers).
export async function all(path, query = {}, maxPages = 20) {
  const items = [];
  let cursor;
  for (let i = 0; i < maxPages; i++) {
    const { data } = await api('GET', path, { query: { ...query, limit: 100, cursor } });
    items.push(...data.items);
    cursor = data.next_cursor;
    if (!cursor) break;
  }
  return items;
}

// An Idempotency-Key for creating `body` from one form: a retry of the same body (a lost answer)
// replays the first creation instead of making a second; a changed body is a new request.
export function idempotencyKey(formKey, body) {
  let h = 0x811c9dc5;
  for (const ch of JSON.stringify(body)) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
  return `${formKey}-${h.toString(16)}`;
}
