/**
 * Department connectors (核对平台实时接口, DOMAIN §3.1): one POST per source and batch of subjects, through
 * cockatiel policies kept per source in this process — retry (exponential backoff) → circuit breaker
 * (consecutive failures, half-open after a cooldown) → timeout (aggressive, aborting the fetch). The URL
 * `sim:` reaches the built-in simulator in-process through the same policies, so the CLI, the tests and the
 * demo work without a listening port. Wire protocol: docs/department-interface.md.
 */
import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleAll,
  handleWhen,
  type IPolicy,
  isBrokenCircuitError,
  retry,
  type TimeoutPolicy,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import type { SourceCode } from '../../domain/verification/sources.ts';
import { answerSimQuery } from './simulator/simulator.ts';

export const SIM_URL = 'sim:';
export const LAYOUT_VERSION = 'v1';

export interface ConnectorSettings {
  timeoutMs: number;
  maxRetries: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
}

export interface ConnectorSubject {
  idNumber: string;
  name: string;
  authorisationId: number | null;
  authorisedOn: string | null;
}

export interface ConnectorRequest {
  requestId: string;
  source: SourceCode;
  layoutVersion: typeof LAYOUT_VERSION;
  purpose: string;
  basis: 'authorisation' | 'periodic_recheck';
  subjects: ConnectorSubject[];
}

const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const ConnectorResponseSchema = z.object({
  source: z.string(),
  results: z.array(
    z.object({
      idNumber: z.string(),
      found: z.boolean(),
      rows: z.array(z.record(z.string(), Cell)).default([]),
    }),
  ),
});
export type ConnectorResponse = z.infer<typeof ConnectorResponseSchema>;

export type ConnectorOutcome =
  | { status: 'ok'; response: ConnectorResponse; attempts: number; durationMs: number }
  | {
      status: 'error' | 'timeout' | 'circuit_open';
      error: string;
      attempts: number;
      durationMs: number;
    };

/** A reply the department gave but that breaks the protocol: retrying will not help. */
export class ProtocolError extends Error {}
/** The department answered with an HTTP error status. 5xx and 429 are worth a retry; other 4xx are not. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const retryable = (e: unknown) =>
  !isBrokenCircuitError(e) &&
  !(e instanceof ProtocolError) &&
  !(e instanceof HttpStatusError && e.status < 500 && e.status !== 429);

interface SourcePolicy {
  fingerprint: string;
  breaker: CircuitBreakerPolicy;
  /** retry → breaker; each attempt runs inside `timeout` so that every failure, a timeout included, is seen. */
  policy: IPolicy;
  timeout: TimeoutPolicy;
}

/** The policies of each source, kept for the life of the process (a settings change rebuilds them). */
const POLICIES = new Map<string, SourcePolicy>();
/** First backoff delay; exponential (×2, jittered) up to BACKOFF_MAX_MS. */
let backoffInitialMs = 200;
const BACKOFF_MAX_MS = 5000;

/** Tests shorten the backoff and start from closed breakers. */
export function resetConnectors(options: { backoffInitialMs?: number } = {}): void {
  POLICIES.clear();
  backoffInitialMs = options.backoffInitialMs ?? 200;
}

function policyOf(source: string, s: ConnectorSettings): SourcePolicy {
  const fingerprint = `${s.timeoutMs}/${s.maxRetries}/${s.breakerThreshold}/${s.breakerCooldownMs}`;
  const existing = POLICIES.get(source);
  if (existing && existing.fingerprint === fingerprint) return existing;
  const retryPolicy = retry(handleWhen(retryable), {
    maxAttempts: s.maxRetries,
    backoff: new ExponentialBackoff({ initialDelay: backoffInitialMs, maxDelay: BACKOFF_MAX_MS }),
  });
  const breaker = circuitBreaker(handleAll, {
    halfOpenAfter: s.breakerCooldownMs,
    breaker: new ConsecutiveBreaker(s.breakerThreshold),
  });
  const made: SourcePolicy = {
    fingerprint,
    breaker,
    policy: wrap(retryPolicy, breaker),
    timeout: timeout(s.timeoutMs, TimeoutStrategy.Aggressive),
  };
  POLICIES.set(source, made);
  return made;
}

/** Drops a source's policies (its settings changed): the next call starts with a closed breaker. */
export function forgetConnector(source: string): void {
  POLICIES.delete(source);
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/** The breaker of a source as this process sees it ('closed' before its first call). */
export function breakerState(source: string): BreakerState {
  const p = POLICIES.get(source);
  if (!p) return 'closed';
  switch (p.breaker.state) {
    case CircuitState.Open:
    case CircuitState.Isolated:
      return 'open';
    case CircuitState.HalfOpen:
      return 'half_open';
    default:
      return 'closed';
  }
}

async function httpTransport(url: string, body: ConnectorRequest, signal: AbortSignal): Promise<unknown> {
  const res = await fetch(`${url.replace(/\/+$/, '')}/${body.source}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    throw new HttpStatusError(
      res.status,
      `部门接口返回 HTTP ${res.status}${text ? `：${text.slice(0, 200)}` : ''}`,
    );
  }
  try {
    return await res.json();
  } catch {
    throw new ProtocolError('部门接口的应答不是有效的 JSON');
  }
}

function parseResponse(source: string, raw: unknown): ConnectorResponse {
  const parsed = ConnectorResponseSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProtocolError(
      `部门接口的应答不符合接口规范（${issue ? `${issue.path.join('.') || '应答'}：${issue.message}` : '格式有误'}）`,
    );
  }
  if (parsed.data.source !== source) {
    throw new ProtocolError(`部门接口应答的数据源为 ${parsed.data.source}，应为 ${source}`);
  }
  return parsed.data;
}

/**
 * A cockatiel timeout. (cockatiel 3.2's own isTaskCancelledError tests the wrong property, so the flag the
 * error class sets is checked here.)
 */
function isTimeout(e: unknown): boolean {
  return e instanceof Error && (e as { isTaskCancelledError?: unknown }).isTaskCancelledError === true;
}

function messageOf(e: unknown): string {
  if (isTimeout(e)) return '部门接口超时';
  if (e instanceof BrokenCircuitError) return '该部门接口连续失败，已暂停调用（熔断）';
  if (e instanceof ProtocolError || e instanceof HttpStatusError) return e.message;
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return `无法连接部门接口${cause?.code ? `（${cause.code}）` : e instanceof Error ? `（${e.message}）` : ''}`;
}

/**
 * Calls one source's connector. Never throws: the outcome says ok, error, timeout or circuit_open, with
 * the number of calls actually made (0 when the breaker was open) and the time spent.
 */
export async function callConnector(
  db: Kysely<Database>,
  url: string,
  settings: ConnectorSettings,
  body: ConnectorRequest,
): Promise<ConnectorOutcome> {
  const { policy, timeout: timeoutPolicy } = policyOf(body.source, settings);
  const started = Date.now();
  let attempts = 0;
  let lastError: unknown = null;
  try {
    const response = await policy.execute(async () => {
      attempts++;
      try {
        return await timeoutPolicy.execute(async (_ctx, signal) => {
          const raw =
            url === SIM_URL
              ? await answerSimQuery(db, body.source, body)
              : await httpTransport(url, body, signal);
          return parseResponse(body.source, raw);
        });
      } catch (e) {
        lastError = e;
        throw e;
      }
    });
    return { status: 'ok', response, attempts, durationMs: Date.now() - started };
  } catch (e) {
    // The breaker may open on the last failure and refuse the next retry: the failure is the cause then.
    const cause = isBrokenCircuitError(e) && attempts > 0 ? (lastError ?? e) : e;
    const status = isBrokenCircuitError(cause) ? 'circuit_open' : isTimeout(cause) ? 'timeout' : 'error';
    return { status, error: messageOf(cause), attempts, durationMs: Date.now() - started };
  }
}
