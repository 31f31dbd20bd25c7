import { Problem, type ProblemFieldError } from '@streaming-companion/sdk';
import type { ZodError } from 'zod';

/** RFC 9457 body. `errors` names each field and the rule it broke. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: ProblemFieldError[];
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export function problemBody(problem: Problem, requestId?: string): ProblemBody {
  return {
    ...problem.extra,
    type: `https://streaming-companion.dev/problems/${problem.code}`,
    title: TITLES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    ...(requestId ? { instance: `urn:request:${requestId}` } : {}),
    ...(problem.errors.length ? { errors: problem.errors } : {}),
  };
}

/** A zod failure as a 400 naming every field (prefixed by where it came from: body, query, params; sockets name none). */
export function validationProblem(error: ZodError, location?: string): Problem {
  return fieldsProblem(fieldErrors(error, location));
}

/** A 400 listing every field at fault, wherever in the request each one was. */
export function fieldsProblem(errors: ProblemFieldError[]): Problem {
  const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return new Problem(400, 'validation_failed', detail, { errors });
}

export function fieldErrors(error: ZodError, location?: string): ProblemFieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [location, path].filter(Boolean).join('.') || location || '(root)';
    return { field, rule: issue.code, message: issue.message };
  });
}
