// Small HTTP helpers shared by the routers: answer with a Status, and map thrown errors to one.
import type { Response } from 'express';
import type { Status } from '../../lib/k8s/status.js';

export function sendStatus(res: Response, status: Status): void {
  res.status(status.code).type('application/json').send(JSON.stringify(status));
}

export function sendJson(res: Response, code: number, body: unknown): void {
  res.status(code).type('application/json').send(JSON.stringify(body));
}

/** Errors that already know their HTTP answer. */
export class HttpStatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
}

export function isTrue(v: unknown): boolean {
  return v === 'true' || v === '1';
}

export function queryString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
