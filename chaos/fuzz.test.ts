/**
 * Chaos suite: every route of the OpenAPI document and every `/streaming` command, fuzzed with
 * input that must be refused (fast-check, fixed seed: a failure replays). Wrong types, 1 MB
 * strings, 10,000 levels of nesting, `__proto__`/`constructor` keys, NaN and 1e309 as raw
 * text, bad JSON, wrong content types, path parameters that are not UUIDs (or no one's), huge
 * query strings. Every answer must be below 500; every 4xx a problem+json with `status` and
 * `code` (`errors` naming fields for a validation failure); no fuzzed write may succeed, and the
 * database must be exactly what it was before.
 *
 * Replay: CHAOS_FUZZ_SEED (default below) and CHAOS_FUZZ_RUNS (per route / command).
 */
import { connect as tcpConnect } from 'node:net';
import { createHmac, randomUUID } from 'node:crypto';
import type { TestKernel } from '@streaming-companion/testing';
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  databaseSnapshot,
  fillPath,
  loadOperations,
  opName,
  problemFaults,
  RawSocketIo,
  resourceOf,
  PNG_1X1,
  send,
  snapshotDiff,
  startFullKernel,
  streamingCommands,
  upload,
  WAV_HEADER,
  type Answer,
  type JsonSchema,
  type LogLine,
  type Operation,
} from './api-surface.ts';

const SEED = Number(process.env.CHAOS_FUZZ_SEED ?? 20_260_415);
const RUNS_PER_ROUTE = Number(process.env.CHAOS_FUZZ_RUNS ?? 100);
const RUNS_PER_COMMAND = RUNS_PER_ROUTE * 2;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const MB = 1 << 20;

// ---------- JSON with raw tokens ----------

/** Text put into a JSON document as is: NaN, 1e309, a 10,000-level nesting, a broken token. */
class Raw {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}
/** An object as a list of entries, so keys like `__proto__` stay plain keys. */
class Entries {
  readonly list: Array<[string, Value]>;
  constructor(list: Array<[string, Value]>) {
    this.list = list;
  }
}
type Value = Raw | Entries | Value[] | string | number | boolean | null;

function toJson(value: Value): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Entries) return `{${value.list.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  return JSON.stringify(value);
}

/** `value` with the member at `path` set (objects along the path created or replaced). */
function setAt(value: Value, path: string[], leaf: Value): Value {
  if (!path.length) return leaf;
  const base = value instanceof Entries ? value.list : [];
  const [key, ...rest] = path as [string, ...string[]];
  const existing = base.find(([k]) => k === key)?.[1];
  return new Entries([...base.filter(([k]) => k !== key), [key, setAt(existing instanceof Entries ? existing : new Entries([]), rest, leaf)]]);
}

const deepArray = (levels: number) => new Raw('['.repeat(levels) + ']'.repeat(levels));
const deepObject = (levels: number) => new Raw('{"a":'.repeat(levels) + '0' + '}'.repeat(levels));
const INFINITIES = [new Raw('1e309'), new Raw('-1e309')];

// ---------- what a schema takes, and what it must refuse ----------

/** The JSON types a schema accepts; 'any' when it does not say. */
function acceptedTypes(s: JsonSchema): Set<string> | 'any' {
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    const all = new Set<string>();
    for (const branch of branches) {
      const types = acceptedTypes(branch);
      if (types === 'any') return 'any';
      types.forEach((t) => all.add(t));
    }
    return all;
  }
  if (s.enum) return new Set(s.enum.map(jsonType));
  if ('const' in s) return new Set([jsonType(s.const)]);
  if (s.type) {
    const types = new Set(Array.isArray(s.type) ? s.type : [s.type]);
    if (types.has('number')) types.add('integer');
    return types;
  }
  return 'any';
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const SAMPLES_BY_TYPE: Record<string, Value[]> = {
  string: ['', 'x', '1', 'true', 'null', '__proto__', 'x'.repeat(3000)],
  integer: [0, 1, -1, 2 ** 53, -(2 ** 63)],
  number: [1.5, -0.25, 1e300],
  boolean: [true, false],
  null: [null],
  object: [
    new Entries([]),
    new Entries([['a', 1]]),
    new Entries([['constructor', new Entries([['prototype', new Entries([['polluted', true]])]])]]),
    deepObject(10_000),
  ],
  array: [[], [1, 'x'], [new Entries([])], deepArray(10_000)],
};

/** Values a schema must refuse: another JSON type, ±Infinity (1e309), out of range, too long, not in the enum; none for 'any'. */
function refusedValues(s: JsonSchema): Value[] {
  const accepted = acceptedTypes(s);
  if (accepted === 'any') return [];
  const values: Value[] = [...INFINITIES];
  for (const [type, samples] of Object.entries(SAMPLES_BY_TYPE)) {
    if (accepted.has(type)) continue;
    // An integer is a number too.
    if (type === 'integer' && accepted.has('number')) continue;
    values.push(...samples);
  }
  if (accepted.has('integer') && !accepted.has('number')) values.push(1.5, 0.1);
  const plain = s.anyOf || s.oneOf ? undefined : s;
  if (plain?.enum && plain.enum.every((v) => typeof v === 'string')) values.push('not-one-of-them', (plain.enum[0] as string).toUpperCase() + '!');
  if (plain?.type === 'string') {
    if (plain.maxLength !== undefined && plain.maxLength < 50_000) values.push('y'.repeat(plain.maxLength + 1));
    if ((plain.minLength ?? 0) >= 1) values.push('');
    if (plain.format === 'uuid') values.push('not-a-uuid', '00000000-0000-0000-0000-00000000000g', randomUUID() + 'x');
    if (plain.format === 'email') values.push('no-at-sign', '@example.test');
  }
  if (plain?.type === 'integer' || plain?.type === 'number') {
    if (plain.maximum !== undefined) values.push(plain.maximum + 1);
    if (plain.minimum !== undefined) values.push(plain.minimum - 1);
    if (plain.exclusiveMinimum !== undefined) values.push(plain.exclusiveMinimum);
  }
  if (plain?.type === 'array' && plain.maxItems !== undefined && plain.maxItems < 2_000 && plain.items) {
    values.push(Array.from({ length: plain.maxItems + 1 }, () => randomUUID()));
  }
  return values;
}

/** A refused value at some member of an object schema (nested objects too): the path and the value. */
function fieldFaultArb(s: JsonSchema): fc.Arbitrary<{ path: string[]; value: Value }> | undefined {
  const options: Array<fc.Arbitrary<{ path: string[]; value: Value }>> = [];
  for (const [key, prop] of Object.entries(s.properties ?? {})) {
    const values = refusedValues(prop);
    if (values.length) options.push(fc.constantFrom(...values).map((value) => ({ path: [key], value })));
    const nested = prop.properties ? fieldFaultArb(prop) : undefined;
    if (nested) options.push(nested.map((f) => ({ path: [key, ...f.path], value: f.value })));
  }
  return options.length ? fc.oneof(...options) : undefined;
}

/** Odd but harmless text: what a plausible string sometimes is. */
const ODD_STRINGS = ['\u0000', 'a\u0000b', '\uD800', '\u202Eevil', '<script>alert(1)</script>', "'; drop table core_creators; --", '😀', '   ', '%00', '${7*7}'];

/** Values a schema would plausibly take (not always valid: refines, references): the body around a fault. */
function plausibleArb(s: JsonSchema, ids: string[], depth = 0): fc.Arbitrary<Value> {
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return fc.oneof(...branches.map((b) => plausibleArb(b, ids, depth)));
  if (s.enum) return fc.constantFrom(...(s.enum as Value[]));
  if ('const' in s) return fc.constant(s.const as Value);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string': {
      if (s.format === 'uuid') return fc.oneof(fc.constantFrom(...ids), fc.uuid());
      if (s.format === 'email') return fc.constant(`fuzz-${randomUUID().slice(0, 8)}@example.test`);
      const max = Math.min(s.maxLength ?? 24, 24);
      const min = Math.min(Math.max(s.minLength ?? 0, 1), max);
      return fc.oneof(
        { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: max }), weight: 4 },
        { arbitrary: fc.constantFrom(...ODD_STRINGS), weight: 1 },
      );
    }
    case 'integer': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
      return fc.integer({ min, max: Math.min(s.maximum ?? min + 1_000, min + 1_000) });
    }
    case 'number':
      return fc.double({ min: s.minimum ?? 0, max: s.maximum ?? 1_000, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(plausibleArb(s.items ?? {}, ids, depth + 1), { maxLength: 3 });
    case 'object': {
      if (depth > 3) return fc.constant(new Entries([]));
      const props = Object.entries(s.properties ?? {});
      const required = new Set(s.required ?? []);
      const open = s.additionalProperties !== false && !s.properties;
      return fc
        .tuple(
          ...props.map(([key, prop]) =>
            required.has(key) ? plausibleArb(prop, ids, depth + 1).map((v) => [key, v] as [string, Value]) : fc.option(plausibleArb(prop, ids, depth + 1).map((v) => [key, v] as [string, Value]), { nil: undefined }),
          ),
          // An open object (metadata) gets arbitrary members, sometimes 10,000 levels deep.
          open ? fc.array(fc.tuple(fc.string({ maxLength: 8 }), anyJsonArb), { maxLength: 3 }) : fc.constant([] as Array<[string, Value]>),
        )
        .map((parts) => {
          const extra = parts.pop() as Array<[string, Value]>;
          return new Entries([...(parts as Array<[string, Value] | undefined>).filter((p): p is [string, Value] => p !== undefined), ...extra]);
        });
    }
    default:
      return anyJsonArb;
  }
}

const fromJson = (v: unknown): Value =>
  v === null || typeof v !== 'object' ? (v as Value) : Array.isArray(v) ? v.map(fromJson) : new Entries(Object.entries(v).map(([k, x]) => [k, fromJson(x)]));

/** Any JSON value, now and then one nested 10,000 levels deep or carrying ±Infinity. */
const anyJsonArb: fc.Arbitrary<Value> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }).map(fromJson), weight: 6 },
  { arbitrary: fc.constantFrom(deepArray(10_000), deepObject(10_000), deepArray(2_000), ...INFINITIES), weight: 1 },
);

// ---------- a fuzz case ----------

type Fault = 'param' | 'query' | 'field' | 'shape' | 'syntax' | 'size' | 'encoding' | 'contentType';
const PARSER_FAULTS: Fault[] = ['shape', 'syntax', 'size', 'encoding', 'contentType'];

interface FuzzCase {
  faults: Fault[];
  params: Record<string, string>;
  query: string;
  body?: string;
  /** undefined: application/json; null: no content-type header at all. */
  contentType?: string | null;
  /** A Content-Encoding the body is not in. */
  contentEncoding?: string;
  /** Fields a validation failure must name. */
  named: string[];
  /** Members the JSON parser refuses before validation (`__proto__`). */
  parserNoise: boolean;
  /** A path parameter that normalises away (`..`): the request may reach another route. */
  dotSegment: boolean;
  /** The body fault actually applied (the first of syntax, size, encoding, contentType, shape, field). */
  bodyFault?: Fault;
}

/** Percent-encoding of every byte but the unreserved ones (lone surrogates become U+FFFD, as UTF-8 does). */
const pct = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

const GARBAGE_SEGMENTS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  '%',
  '%zz',
  '%E0%A4%A',
  '%00',
  '%2F',
  '%C0%AE',
  '%F0%9F%98%80',
  '%27%3B%20drop%20table%20core_creators%3B--',
  '00000000-0000-0000-0000-00000000000g',
  '0000000000000000000000000000000g',
  'a'.repeat(5_000),
];
const DOT_SEGMENTS = ['.', '..', '%2e%2e', '%2E'];

const NOISE_QUERY_KEYS = ['__proto__', '__proto__[polluted]', 'constructor', 'constructor[prototype][polluted]', 'hasOwnProperty', 'toString', 'a[b][c]', 'x[]', 'x%00'];
const NOISE_BODY_MEMBERS: Array<[string, Value]> = [
  ['constructor', new Entries([['prototype', new Entries([['polluted', true]])]])],
  ['prototype', new Entries([['polluted', true]])],
  ['hasOwnProperty', 1],
  ['toString', 'x'],
  ['valueOf', deepArray(10_000)],
  ['unknownMember', 'x'.repeat(10_000)],
];

const WRONG_CONTENT_TYPES: Array<string | null> = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', null];

interface Fixture {
  /** Real ids by the resource a path names (`sessions`, `goals`, …). */
  idsByResource: Record<string, string[]>;
  /** Every id the creator owns, for uuid-shaped members. */
  allIds: string[];
}

/** Invalid values for a declared query parameter (each one refused, whatever the route). */
function refusedQueryValues(name: string, s: JsonSchema): string[] {
  const values = [`1&${name}=2`]; // the parameter twice (an array)
  const accepted = acceptedTypes(s);
  if (accepted !== 'any' && accepted.has('integer')) values.push('abc', '1.5', 'NaN', 'Infinity', '1e309', '-1', '9'.repeat(400));
  if (s.maximum !== undefined) values.push(String(s.maximum + 1));
  if (s.enum) values.push('bogus');
  if (s.format === 'uuid') values.push('not-a-uuid', pct('__proto__'));
  if (s.maxLength !== undefined) values.push('q'.repeat(s.maxLength + 1));
  if (/ISO 8601/.test(String(s.description ?? ''))) values.push('not-a-date', '2026-02-30', '10000-01-01', '1969-12-31T23:59:59Z', '2026-01-01T25:00:00Z');
  return values;
}

/** Edge values a declared query parameter takes (valid ones, mostly): the rest of a query around its faults. */
function edgeQueryValues(name: string, s: JsonSchema, ids: string[]): string[] {
  if (s.enum) return s.enum.map(String);
  if (s.format === 'uuid') return [...ids, randomUUID()];
  if (s.type === 'integer' || s.type === 'number') return [s.minimum, s.maximum, (s.minimum ?? 0) + 1, s.default].filter((v) => v !== undefined).map(String);
  if (name === 'tz') return ['UTC', 'Etc/GMT-14', 'Etc/GMT%2B12', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Europe/London'];
  if (/ISO 8601/.test(String(s.description ?? '')) || name === 'from' || name === 'to') {
    return ['1970-01-01', '9999-12-31', '9999-12-31T23:59:59.999Z', '2026-03-08T02:30:00', '2024-02-29', '2026-03-29T01:00:00%2B14:00', '2026-10-25T01:30:00-09:30'];
  }
  return ['x', 'x'.repeat(Math.min(s.maxLength ?? 64, 64)), pct('Ana Ñ 😀')];
}

function caseArb(op: Operation, fixture: Fixture): fc.Arbitrary<FuzzCase> {
  const parsed = op.method === 'POST' || op.method === 'PUT' || op.method === 'PATCH';
  const isRead = op.method === 'GET';
  const realIds = (param: string) => fixture.idsByResource[resourceOf(op.path, param) ?? ''] ?? [];
  const bodySchema = op.body?.schema;
  const fieldArb = parsed && bodySchema ? fieldFaultArb(bodySchema) : undefined;
  const declaredQuery = op.query.map((q) => ({ name: q.name, values: refusedQueryValues(q.name, q.schema) }));

  const applicable: Fault[] = [];
  if (op.pathParams.length) applicable.push('param');
  if (declaredQuery.length) applicable.push('query');
  if (fieldArb) applicable.push('field');
  if (parsed && bodySchema) applicable.push('shape');
  if (parsed) applicable.push('syntax', 'size', 'encoding');
  // An upload takes only its media types: JSON, text, a form or no Content-Type at all is a 415.
  if (parsed && (op.body?.required || op.upload)) applicable.push('contentType');
  // Without a real id to put there, a path parameter is always a fault.
  const forced: Fault[] = op.pathParams.some((p) => !realIds(p).length) ? ['param'] : [];
  if (!isRead && !applicable.length) throw new Error(`${opName(op)}: no input of it can be made to be refused; fuzz it another way`);

  const faultsArb: fc.Arbitrary<Fault[]> = (
    applicable.length
      ? fc.oneof(
          { arbitrary: fc.constantFrom(...applicable).map((f) => [f]), weight: 3 },
          { arbitrary: fc.subarray(applicable, { minLength: isRead ? 0 : 1 }), weight: 1 },
        )
      : fc.constant([] as Fault[])
  ).map((faults) => [...new Set([...faults, ...forced])]);

  const plausibleBody = bodySchema ? plausibleArb(bodySchema, fixture.allIds) : fc.constant(new Entries([]) as Value);

  return faultsArb.chain((faults) => {
    const has = (f: Fault) => faults.includes(f);
    const paramArb = fc.record(
      Object.fromEntries(
        op.pathParams.map((p) => [
          p,
          has('param')
            ? fc.oneof(
                fc.uuid().map((u) => ({ value: u, dot: false })),
                fc.constantFrom(...GARBAGE_SEGMENTS, ...(isRead ? [] : DOT_SEGMENTS)).map((g) => ({ value: g, dot: DOT_SEGMENTS.includes(g) })),
                fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !UUID.test(s)).map((s) => ({ value: pct(s), dot: /^\.{1,2}$/.test(s) })),
              )
            : fc.constantFrom(...realIds(p)).map((value) => ({ value, dot: false })),
        ]),
      ) as Record<string, fc.Arbitrary<{ value: string; dot: boolean }>>,
    );
    const queryFaultArb = has('query')
      ? fc.subarray(declaredQuery, { minLength: 1 }).chain((chosen) =>
          fc.tuple(
            ...chosen.map((q) =>
              // A NUL is refused only once the rest of the query is valid, so it is named only when alone.
              fc.oneof({ arbitrary: fc.constantFrom(...q.values).map((v) => [q.name, v, true] as [string, string, boolean]), weight: 5 }, { arbitrary: fc.constant([q.name, 'x%00', chosen.length === 1] as [string, string, boolean]), weight: 1 }),
            ),
          ),
        )
      : fc.constant([] as Array<[string, string, boolean]>);
    // Declared parameters left without a fault get edge values (or none): 1970 to 9999, DST days, odd zones.
    const queryEdgeArb = fc.tuple(
      ...op.query.map((q) => fc.option(fc.constantFrom(...edgeQueryValues(q.name, q.schema, fixture.allIds)).map((v) => [q.name, v] as [string, string]), { nil: undefined, freq: 2 })),
    );
    const queryNoiseArb = fc
      .tuple(
        fc.array(fc.tuple(fc.constantFrom(...NOISE_QUERY_KEYS), fc.constantFrom('1', '', '%00', 'x'.repeat(200))), { maxLength: 3 }),
        // A big query string, still under the 16 KB request-line limit (the bigger ones have a test of their own).
        fc.boolean(),
      )
      .map(([noise, huge]) => [...noise, ...(huge ? [['huge', 'h'.repeat(12_000)] as [string, string]] : [])]);
    const bodyFault = (['syntax', 'size', 'encoding', 'contentType', 'shape', 'field'] as Fault[]).find(has);
    const bodyArb: fc.Arbitrary<{ body?: string; contentType?: string | null; contentEncoding?: string; named: string[]; parserNoise: boolean }> = (() => {
      if (has('syntax')) {
        return fc.oneof(
          fc.constantFrom('{', '{"a":', '[1,]', '{"a":1}}', "{'a':1}", '{"a":01}', '{"a":.5}', '{"a":+1}', '{"a":0x10}', '\u0000', '"just a string"', '42', 'true', 'null', '{"a":"\\x"}'),
          fc.tuple(plausibleBody, fc.constantFrom('NaN', 'Infinity', '-Infinity', 'undefined', "'single'", '-NaN')).map(([b, token]) => toJson(setAt(b, [Object.keys(bodySchema?.properties ?? { a: 0 })[0] ?? 'a'], new Raw(token)))),
          plausibleBody.map((b) => toJson(b).slice(0, -1)),
        ).map((body) => ({ body, named: [], parserNoise: false }));
      }
      if (has('size')) {
        return fc
          .tuple(plausibleBody, fc.constantFrom(MB, 2 * MB))
          .map(([b, size]) => ({ body: toJson(setAt(b, [Object.keys(bodySchema?.properties ?? {})[0] ?? 'padding'], 'x'.repeat(size))), named: [], parserNoise: false }));
      }
      if (has('encoding')) {
        // Plain JSON that says it is compressed (or in an encoding no one knows).
        return fc
          .tuple(plausibleBody, fc.constantFrom('gzip', 'deflate', 'br', 'x-gzip', 'bogus', 'gzip, identity'))
          .map(([b, contentEncoding]) => ({ body: toJson(b), contentEncoding, named: [], parserNoise: false }));
      }
      if (has('contentType')) {
        return fc.tuple(plausibleBody, fc.constantFrom(...WRONG_CONTENT_TYPES)).map(([b, contentType]) => ({ body: toJson(b), contentType, named: [], parserNoise: false }));
      }
      if (has('shape')) {
        return fc
          .oneof(fc.constantFrom('[]', '[{}]', '[null]', toJson(deepArray(10_000)), toJson(deepArray(40_000))), plausibleBody.map((b) => `[${toJson(b)}]`))
          .map((body) => ({ body, named: [], parserNoise: false }));
      }
      const noiseArb = fc.array(fc.constantFrom(...NOISE_BODY_MEMBERS, ['__proto__', new Entries([['polluted', true]])] as [string, Value]), { maxLength: 2 });
      if (has('field')) {
        return fc.tuple(plausibleBody, fieldArb!, noiseArb).map(([b, fault, noise]) => {
          const body = setAt(b, fault.path, fault.value);
          const list = body instanceof Entries ? [...body.list, ...noise] : [];
          return { body: toJson(new Entries(list)), named: [`body.${fault.path.join('.')}`], parserNoise: noise.some(([k]) => k === '__proto__') };
        });
      }
      if (!bodySchema && !parsed) return fc.constant({ named: [], parserNoise: false });
      return fc.tuple(plausibleBody, noiseArb).map(([b, noise]) => ({
        body: toJson(b instanceof Entries ? new Entries([...b.list, ...noise]) : b),
        named: [],
        parserNoise: noise.some(([k]) => k === '__proto__'),
      }));
    })();
    return fc.record({ params: paramArb, queryFaults: queryFaultArb, queryEdge: queryEdgeArb, queryNoise: queryNoiseArb, body: bodyArb }).map(({ params, queryFaults, queryEdge, queryNoise, body }) => ({
      faults,
      params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.value])),
      dotSegment: Object.values(params).some((v) => v.dot),
      query: [...queryFaults, ...queryEdge.filter((e): e is [string, string] => e !== undefined && !queryFaults.some(([k]) => k === e[0])), ...queryNoise]
        .map(([k, v]) => `${k}=${v}`)
        .join('&'),
      body: body.body,
      contentType: body.contentType,
      contentEncoding: body.contentEncoding,
      named: [...body.named, ...queryFaults.filter(([, , named]) => named).map(([k]) => `query.${k}`)],
      parserNoise: body.parserNoise,
      bodyFault,
    }));
  });
}

/**
 * Cases every run makes, before the random ones: each member that takes any JSON (metadata) nested
 * 10,000 levels deep, as arrays and as objects, next to a fault that makes the request one to
 * refuse (an id of no one's in the path, or a wrong type in another member).
 */
function hazardCases(op: Operation): FuzzCase[] {
  const props = Object.entries(op.body?.schema.properties ?? {});
  if (!(op.method === 'POST' || op.method === 'PUT' || op.method === 'PATCH')) return [];
  const cases: FuzzCase[] = [];
  for (const [key, prop] of props) {
    const accepted = acceptedTypes(prop);
    if (accepted !== 'any' && !accepted.has('object') && !accepted.has('array')) continue;
    const other = props.find(([k, p]) => k !== key && refusedValues(p).length);
    if (!op.pathParams.length && !other) continue;
    for (const deep of [deepArray(10_000), deepObject(10_000), deepArray(3_000)]) {
      const value = accepted === 'any' || accepted.has('object') ? new Entries([['deep', deep]]) : deep;
      const members: Array<[string, Value]> = [[key, value]];
      if (other) members.push([other[0], refusedValues(other[1])[0]!]);
      cases.push({
        faults: [...(op.pathParams.length ? (['param'] as Fault[]) : []), ...(other ? (['field'] as Fault[]) : [])],
        params: Object.fromEntries(op.pathParams.map((p) => [p, randomUUID()])),
        query: '',
        body: toJson(new Entries(members)),
        named: other ? [`body.${other[0]}`] : [],
        parserNoise: false,
        dotSegment: false,
        bodyFault: other ? 'field' : undefined,
      });
    }
  }
  return cases;
}

/** Why an answer to a case breaks the rules; empty when it does not. */
function judge(op: Operation, c: FuzzCase, answer: Answer, counts: Record<string, number>): string[] {
  if (answer.networkError) return [`no answer: ${answer.networkError}`];
  const faults: string[] = [];
  if (answer.status >= 500) faults.push(`answered ${answer.status}`);
  if (answer.status >= 400) faults.push(...problemFaults(answer).faults);
  // Refused for sure: any fault but a path parameter; on a write, an id of no one's too (only garbage on a read: a public read may answer for any id).
  const garbageParam = Object.values(c.params).some((v) => !UUID.test(v) && !DOT_SEGMENTS.includes(v));
  const mustRefuse = c.faults.some((f) => f !== 'param') || (c.faults.includes('param') && (op.method !== 'GET' || garbageParam));
  if (mustRefuse && answer.status < 400) faults.push(`bad input accepted: ${answer.status} ${answer.text.slice(0, 200)}`);
  // A validation failure must name what was wrong (unless the JSON parser, the router or a rate limit answered first).
  const parserFirst = c.parserNoise || (c.bodyFault !== undefined && PARSER_FAULTS.includes(c.bodyFault)) || c.dotSegment;
  if (c.named.length && !parserFirst && answer.status !== 429 && answer.status !== 404) {
    counts['named fields checked'] = (counts['named fields checked'] ?? 0) + 1;
    const { problem } = problemFaults(answer);
    if (answer.status !== 400 || problem?.code !== 'validation_failed') faults.push(`expected 400 validation_failed naming ${c.named.join(', ')}; got ${answer.status} ${problem?.code}`);
    else {
      const fields = (problem.errors ?? []).map((e) => String(e.field));
      for (const name of c.named) if (!fields.some((f) => f === name || f.startsWith(`${name}.`))) faults.push(`errors do not name ${name}: ${fields.join(', ')}`);
    }
  }
  if (c.bodyFault === 'size' && answer.status !== 413) faults.push(`a body over the limit answered ${answer.status}, not 413`);
  return faults;
}

function describeCase(op: Operation, c: FuzzCase): string {
  const short = (s: string | undefined) => (s === undefined ? '(none)' : s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s);
  return `${op.method} ${fillPath(op.path, c.params).slice(0, 200)}?${short(c.query)} faults=[${c.faults}] content-type=${c.contentType === undefined ? 'application/json' : c.contentType}${c.contentEncoding ? ` content-encoding=${c.contentEncoding}` : ''} body=${short(c.body)}`;
}

// ---------- the kernel, the creator, their data ----------

let t: TestKernel;
let errors: LogLine[];
let token: string;
let fixture: Fixture;
let activeSessionId: string;
let before: Record<string, string[]>;
const outcomes: Record<string, Record<string, number>> = {};

const booted = await startFullKernel();
t = booted.t;
errors = booted.errors;
const operations = await loadOperations(t);
const commands = streamingCommands(t);

beforeAll(async () => {
  const a = await t.createCreator();
  token = a.token;
  const ok = async (method: 'post' | 'put' | 'patch', path: string, body: unknown) => {
    const res = await t.http[method](path, { token, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const ended = await ok('post', '/api/sessions', { platform: 'chaturbate', title: 'yesterday' });
  await ok('post', `/api/sessions/${ended.id}/notes`, { text: 'a note' });
  await ok('post', `/api/sessions/${ended.id}/end`, {});
  // A rehearsal needs no session live, so it comes before the live one; stopped, its jobs only end it.
  const rehearsal = await ok('post', '/api/rehearsals', { simulate: { tipCount: 1, durationSeconds: 5 }, speed: 5 });
  await ok('post', `/api/rehearsals/${rehearsal.id}/stop`, {});
  await ok('put', '/api/connectors/chaturbate', { eventsUrl: 'https://eventsapi.chaturbate.com/events/fuzzroom/fuzztoken123/' });
  const session = await ok('post', '/api/sessions', { platform: 'stripchat', title: 'live', metadata: { lang: 'en' } });
  activeSessionId = session.id;
  await ok('post', `/api/sessions/${session.id}/notes`, { text: 'live note' });
  const goal = await ok('post', '/api/goals', { sessionId: session.id, title: 'Goal', targetCents: 10_000 });
  const item = await ok('post', '/api/menu', { title: 'Dance', priceCents: 500 });
  const rule = await ok('post', '/api/animations/rules', { minAmountCents: 100, type: 'confetti' });
  const persona = await ok('post', '/api/chatbot/personas', { name: 'Bot', triggers: [{ type: 'command', command: '!menu' }] });
  const template = await ok('post', `/api/chatbot/personas/${persona.id}/templates`, { text: 'Hi {senderName}' });
  await ok('put', '/api/animations/settings', { cooldownMs: 1_000, maxConcurrent: 2, effectMs: 3_000 });
  const tip = await ok('post', '/api/tips', { sessionId: session.id, amountCents: 700, tipperName: 'fan', message: 'hi' });
  const apiToken = await ok('post', '/api/auth/tokens', { name: 'bot' });
  const image = await upload(t, token, 'image', PNG_1X1, 'image/png');
  const sound = await upload(t, token, 'sound', WAV_HEADER, 'audio/wav');
  await ok('put', '/api/widgets/settings/alerts', { soundId: sound.id, imageId: image.id, variations: [{ minAmountCents: 5_000, template: 'Big {amount}!' }] });
  await ok('put', '/api/widgets/settings/display', { kind: 'tokens', centsPerToken: 5 });
  await t.http.get('/api/overlay-key', { token });
  const webhook = await ok('post', '/api/webhooks', { url: 'http://127.0.0.1:9/hooks', events: ['streaming.tip.received'] });
  const webhookPing = await ok('post', `/api/webhooks/${webhook.id}/test`, {});
  fixture = {
    idsByResource: {
      sessions: [session.id, ended.id],
      goals: [goal.id],
      tips: [tip.id],
      menu: [item.id],
      rules: [rule.id],
      tokens: [apiToken.id],
      rehearsals: [rehearsal.id],
      personas: [persona.id],
      templates: [template.id],
      media: [image.id, sound.id],
      public: [a.creator.id],
      webhooks: [webhook.id],
      deliveries: [webhookPing.id],
    },
    allIds: [session.id, ended.id, goal.id, item.id, rule.id, tip.id, apiToken.id, rehearsal.id, persona.id, template.id, image.id, sound.id, a.creator.id, webhook.id, webhookPing.id],
  };
  await t.drain();
  before = await databaseSnapshot(t);
});

afterAll(async () => {
  // eslint-disable-next-line no-console
  console.log(
    `fuzz outcomes (status: count) per route, seed ${SEED}, ${RUNS_PER_ROUTE} runs each:\n` +
      Object.entries(outcomes)
        .map(([route, counts]) => `  ${route}  ${Object.entries(counts).map(([s, n]) => `${s}:${n}`).join(' ')}`)
        .join('\n'),
  );
  await t?.stop();
});

describe('every route of the OpenAPI document, fuzzed', () => {
  it('the document lists the routes of every plugin, and /streaming its commands', () => {
    const paths = new Set(operations.map((op) => op.path));
    for (const prefix of ['/api/auth', '/api/sessions', '/api/tips', '/api/goals', '/api/menu', '/api/animations', '/api/analytics', '/api/rehearsals', '/api/connectors', '/api/chatbot', '/api/tts', '/api/widgets', '/api/webhooks']) {
      expect([...paths].some((p) => p.startsWith(prefix)), prefix).toBe(true);
    }
    expect(commands.map((c) => c.name)).toEqual(expect.arrayContaining(['join_session', 'leave_session', 'update_viewers', 'add_tip']));
  });

  // A DELETE of no id and no query (`DELETE /api/connectors/chaturbate`: the caller's own) has no input to get wrong.
  const takesInput = (op: Operation) => op.method !== 'DELETE' || op.pathParams.length > 0 || op.query.length > 0;
  it('only a DELETE that takes no input at all is left out', () => {
    expect(operations.filter((op) => !takesInput(op)).map(opName)).toEqual(['DELETE /api/connectors/chaturbate']);
  });

  for (const op of operations.filter(takesInput)) {
    it(`${opName(op)}: refuses bad input as problem+json, never 5xx`, async () => {
      const counts: Record<string, number> = (outcomes[opName(op)] = {});
      const errorsBefore = errors.length;
      await fc.assert(
        fc.asyncProperty(caseArb(op, fixture), async (c) => {
          const path = fillPath(op.path, c.params) + (c.query ? `?${c.query}` : '');
          const answer = await send(t, op.method, path, {
            token: op.auth ? token : undefined,
            body: c.body,
            contentType: c.body === undefined ? undefined : c.contentType === undefined ? 'application/json' : c.contentType,
            headers: c.contentEncoding ? { 'content-encoding': c.contentEncoding } : undefined,
          });
          counts[answer.status] = (counts[answer.status] ?? 0) + 1;
          const faults = judge(op, c, answer, counts);
          if (faults.length) throw new Error(`${faults.join('; ')}\n  request: ${describeCase(op, c)}\n  answer: ${answer.status} ${answer.text.slice(0, 300)}`);
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true, examples: hazardCases(op).map((c) => [c] as [FuzzCase]) },
      );
      expect(errors.slice(errorsBefore).map((e) => `${e.msg}: ${JSON.stringify(e.err ?? e).slice(0, 300)}`)).toEqual([]);
    });
  }

  it('a request line or header over the server limit is answered as problem+json (431), a malformed request as problem+json (400)', async () => {
    for (const path of [`/api/tips?tipperName=${'a'.repeat(100_000)}`, `/api/sessions?${Array.from({ length: 3_000 }, (_, i) => `page=${i}`).join('&')}`]) {
      const answer = await send(t, 'GET', path, { token });
      expect(answer.networkError).toBeUndefined();
      expect(answer.status).toBe(431);
      expect(problemFaults(answer).faults).toEqual([]);
    }
    const bigHeader = await send(t, 'GET', '/api/auth/me', { token, headers: { 'x-filler': 'f'.repeat(64_000) } });
    expect(bigHeader.status).toBe(431);
    expect(problemFaults(bigHeader).faults).toEqual([]);
    for (const raw of ['GARBAGE\r\n\r\n', 'GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 'GET /api/health HTTP/9.9\r\n\r\n']) {
      const reply = await rawExchange(t.url, raw);
      const [head = '', body = ''] = reply.split('\r\n\r\n');
      expect(head, JSON.stringify(raw)).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(head.toLowerCase()).toContain('content-type: application/problem+json');
      expect(JSON.parse(body)).toMatchObject({ status: Number(head.split(' ')[1]), code: expect.any(String) });
    }
    expect((await t.http.get('/api/health')).status).toBe(200);
  });
});

describe('forged and malformed bearer tokens', () => {
  it('every creator route answers 401 problem+json to a token that is not one, and does nothing', async () => {
    const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
    const sub = fixture.idsByResource.public![0]!;
    const claims = { iss: 'streaming-companion', sub, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 };
    const hs256 = (key: string, payload: unknown) => {
      const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
      return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
    };
    const [head, , signature] = token.split('.') as [string, string, string];
    const forged = fc.constantFrom(
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
      hs256('secret', claims),
      hs256('', claims),
      `${head}.${b64({ ...claims, sub: randomUUID() })}.${signature}`, // A's signature on another subject
      `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`, // A's token, signature changed
      `${head}.${b64({ ...claims, sub: "' or 1=1 --" })}.${signature}`,
      'scp_' + 'x'.repeat(43),
      'scp_',
      'scp_' + 'y'.repeat(8_000),
      'a.b.c',
      '.',
      'null',
      'undefined',
      '__proto__',
      'x'.repeat(12_000),
    );
    const scheme = fc.constantFrom('Bearer ', 'bearer ', 'Bearer  ', 'Basic ', '', 'Bearer\t');
    const creatorRoutes = operations.filter((op) => op.auth);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...creatorRoutes), scheme, forged, async (op, prefix, forgedToken) => {
        const path = fillPath(op.path, Object.fromEntries(op.pathParams.map((p) => [p, fixture.idsByResource[resourceOf(op.path, p) ?? '']?.[0] ?? randomUUID()])));
        const answer = await send(t, op.method, path, { headers: { authorization: `${prefix}${forgedToken}` }, body: op.body ? '{}' : undefined, contentType: op.body ? 'application/json' : undefined });
        if (answer.status !== 401) throw new Error(`${op.method} ${path} with "${prefix}${forgedToken.slice(0, 80)}" answered ${answer.status} ${answer.text.slice(0, 200)}`);
        const { faults } = problemFaults(answer);
        if (faults.length) throw new Error(faults.join('; '));
      }),
      { seed: SEED, numRuns: RUNS_PER_COMMAND, endOnFailure: true },
    );
  });
});

describe('regressions the fuzzing found', () => {
  it('session metadata nested 10,000 levels deep (otherwise valid) is a 400 naming body.metadata, not a 500 from a stack overflow', async () => {
    const deep = `{"a":${toJson(deepArray(10_000))}}`;
    for (const [method, path] of [
      ['POST', '/api/sessions'],
      ['PATCH', `/api/sessions/${activeSessionId}`],
    ] as const) {
      const answer = await send(t, method, path, { token, body: `{"platform":"other","title":"x","metadata":${deep}}`.replace(method === 'PATCH' ? '"platform":"other",' : '', ''), contentType: 'application/json' });
      expect(answer.status, `${method} ${path}: ${answer.text.slice(0, 200)}`).toBe(400);
      const { faults, problem } = problemFaults(answer);
      expect(faults).toEqual([]);
      expect(problem?.errors?.map((e) => e.field)).toContain('body.metadata');
    }
  });

  it('a body that says it is gzip (or deflate, br) and is not is a 400, not a 500', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const answer = await send(t, 'POST', '/api/tips', { token, body: JSON.stringify({ sessionId: activeSessionId, amountCents: 100 }), contentType: 'application/json', headers: { 'content-encoding': encoding } });
      expect(answer.status, encoding).toBe(400);
      expect(problemFaults(answer).faults).toEqual([]);
    }
  });
});

/** Bytes to the server over TCP, and everything it answers until it closes (or 5 s). */
function rawExchange(baseUrl: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(Number(port), hostname, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 5_000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    socket.on('error', reject);
  });
}

// ---------- sockets ----------

describe('/streaming commands, fuzzed', () => {
  let socket: RawSocketIo;
  beforeAll(async () => {
    socket = await RawSocketIo.connect(t.url, '/streaming', { token });
  });
  afterAll(() => socket?.close());

  for (const command of commands) {
    it(`${command.name}: a bad payload gets an error event and a failed ack; the socket stays connected`, async () => {
      const schema = z.toJSONSchema(command.schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
      const fieldArb = fieldFaultArb(schema);
      const plausible = plausibleArb(schema, [activeSessionId, ...fixture.allIds]);
      const shapes: Array<string | undefined> = [undefined, 'null', '0', '""', '"x"', 'true', '[]', '[{}]', '1e309', toJson(deepArray(10_000)), JSON.stringify('s'.repeat(900_000))];
      if (schema.required?.length) shapes.push('{}', toJson(deepObject(10_000)), '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
      const payloadArb = fc.oneof(
        fc.constantFrom(...shapes).map((payload) => ({ payload, named: undefined as string | undefined })),
        ...(fieldArb
          ? [
              fc.tuple(plausible, fieldArb).map(([b, fault]) => ({ payload: toJson(setAt(b, fault.path, fault.value)), named: fault.path.join('.') as string | undefined })),
              // A big string where a small one belongs (under the 1 MB frame limit: the socket must stay).
              fc.tuple(plausible, fc.constantFrom(...Object.keys(schema.properties ?? {}))).map(([b, key]) => ({
                payload: toJson(setAt(b, [key], schema.properties?.[key]?.type === 'string' ? 'z'.repeat(900_000) : 'z')),
                named: key as string | undefined,
              })),
            ]
          : []),
      );
      let refusals = 0;
      await fc.assert(
        fc.asyncProperty(payloadArb, async ({ payload, named }) => {
          const errorEvents = socket.events.filter((e) => e.name === 'error').length;
          const ack = await socket.emitWithAck(command.name, payload);
          const describe = `${command.name} ${payload === undefined ? '(no payload)' : payload.slice(0, 200)}`;
          if (ack.ok) throw new Error(`accepted: ${describe} → ${JSON.stringify(ack).slice(0, 300)}`);
          if (typeof ack.error?.code !== 'string') throw new Error(`failed ack without a code: ${describe} → ${JSON.stringify(ack)}`);
          if (ack.error.code === 'internal_error') throw new Error(`internal error: ${describe}`);
          if (ack.error.code === 'validation_failed' && named && !(ack.error.errors ?? []).some((e) => e.field === named || e.field.startsWith(`${named}.`) || e.field === '(root)')) {
            throw new Error(`errors do not name ${named}: ${JSON.stringify(ack.error.errors)} (${describe})`);
          }
          await expect.poll(() => socket.events.filter((e) => e.name === 'error').length, { timeout: 5_000 }).toBeGreaterThan(errorEvents);
          const event = socket.events.filter((e) => e.name === 'error').at(-1)!.args[0] as { code: string; message: string };
          if (event.code !== ack.error.code || typeof event.message !== 'string') throw new Error(`error event ${JSON.stringify(event)} ≠ ack ${JSON.stringify(ack.error)}`);
          if (!socket.connected) throw new Error(`disconnected after ${describe}`);
          refusals++;
        }),
        { seed: SEED, numRuns: RUNS_PER_COMMAND, endOnFailure: true },
      );
      expect(refusals).toBe(RUNS_PER_COMMAND);
      // Still connected, still served.
      expect(await socket.emitWithAck('leave_session', JSON.stringify({ sessionId: randomUUID() }))).toMatchObject({ ok: true });
    });
  }

  it('unknown event names are refused the same way, and the socket stays connected', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'hasOwnProperty', 'toString', 'join_overlay', 'x'.repeat(10_000), '', 'error', 'session_updated']) {
      const ack = await socket.emitWithAck(name, JSON.stringify({ sessionId: activeSessionId }));
      expect(ack, name.slice(0, 40)).toMatchObject({ ok: false, error: { code: 'unknown_event' } });
      expect(socket.connected).toBe(true);
    }
  });

  it('a handshake with a token of the wrong type or size is refused, and the server carries on', async () => {
    for (const auth of [{ token: 5 }, { token: { nested: 'x' } }, { token: ['x'] }, { token: 'x'.repeat(500_000) }, { token: 'Bearer\u0000' }, {}, { token: null }]) {
      await expect(RawSocketIo.connect(t.url, '/streaming', auth as Record<string, unknown>), JSON.stringify(auth).slice(0, 60)).rejects.toThrow(/unauthorized/);
    }
    expect(await socket.emitWithAck('leave_session', JSON.stringify({ sessionId: randomUUID() }))).toMatchObject({ ok: true });
  });

  it('a frame that is not socket.io (NaN, broken JSON, over 1 MB) closes only that connection', async () => {
    for (const frame of ['42/streaming,["add_tip",{"sessionId":NaN}]', '42/streaming,[', '42/streaming,5["add_tip"', '4x', '42/streaming,{"a":1}', `42/streaming,["add_tip","${'p'.repeat(1_100_000)}"]`]) {
      const victim = await RawSocketIo.connect(t.url, '/streaming', { token });
      victim.sendFrame(frame);
      // Either refused as an event or closed as a protocol error: never a crash, never another socket's problem.
      const closed = await victim.waitForClose(3_000);
      if (!closed) expect(await victim.emitWithAck('leave_session', JSON.stringify({ sessionId: randomUUID() }))).toMatchObject({ ok: true });
      victim.close();
      expect(socket.connected).toBe(true);
      expect(await socket.emitWithAck('leave_session', JSON.stringify({ sessionId: randomUUID() }))).toMatchObject({ ok: true });
    }
  });
});

describe('/streaming/overlay, fuzzed', () => {
  it('join_overlay with a bad payload, and any write event, is refused; the overlay stays connected', async () => {
    const overlay = await RawSocketIo.connect(t.url, '/streaming/overlay');
    const payloadArb = fc.oneof(
      fc.constantFrom(undefined, 'null', '[]', '"key"', '1e309', toJson(deepArray(10_000)), toJson(deepObject(10_000)), '{}', '{"constructor":{"prototype":{"x":1}}}'),
      fc.record({ overlayKey: fc.oneof(fc.string(), fc.constant('k'.repeat(900_000)), fc.constant('short'), fc.constant('abcdefghijklmnop\u0000')) }).map((p) => JSON.stringify(p)),
      fc.record({ sessionId: fc.oneof(fc.uuid(), fc.string(), fc.integer()) }).map((p) => JSON.stringify(p)),
      fc.record({ sessionId: fc.constant(activeSessionId), overlayKey: fc.string({ minLength: 16 }) }).map((p) => JSON.stringify(p)),
    );
    await fc.assert(
      fc.asyncProperty(payloadArb, fc.constantFrom('join_overlay', 'add_tip', 'update_viewers', 'join_session', '__proto__'), async (payload, event) => {
        const ack = await overlay.emitWithAck(event, payload);
        if (ack.ok || typeof ack.error?.code !== 'string' || ack.error.code === 'internal_error') throw new Error(`${event} ${String(payload).slice(0, 120)} → ${JSON.stringify(ack)}`);
        if (event !== 'join_overlay' && ack.error.code !== 'read_only') throw new Error(`${event} answered ${ack.error.code}, not read_only`);
        if (!overlay.connected) throw new Error(`overlay disconnected after ${event} ${String(payload).slice(0, 120)}`);
      }),
      { seed: SEED, numRuns: RUNS_PER_COMMAND, endOnFailure: true },
    );
    overlay.close();
  });
});

describe('after the fuzzing', () => {
  it('nothing was written: the database is exactly the snapshot taken before, and nothing logged an error', async () => {
    await t.drain();
    const after = await databaseSnapshot(t);
    expect(snapshotDiff(before, after)).toEqual({});
    expect(errors.map((e) => `${e.msg}: ${JSON.stringify(e.err ?? e).slice(0, 300)}`)).toEqual([]);
    expect((await t.http.get('/api/health')).status).toBe(200);
  });
});
