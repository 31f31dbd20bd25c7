import { kernelEvents, parsePayload, type AnyEventContract, type AnyEventRef, type Plugin } from '@streaming-companion/sdk';

type Kind = AnyEventRef['kind'];

/**
 * Every event the running kernel knows: its own and those of the loaded plugins. Names are
 * unique per kind across owners (they are wire names), which boot checks before anything starts.
 */
export class EventRegistry {
  readonly #refs = new Map<string, AnyEventRef>();
  readonly #checkPayloads: boolean;

  constructor(plugins: readonly Plugin[], options: { checkPayloads: boolean }) {
    for (const contract of contracts(plugins)) for (const ref of refsOf(contract)) this.#refs.set(key(ref.kind, ref.name), ref);
    this.#checkPayloads = options.checkPayloads;
  }

  /** Two owners defining one name, listed for the boot error. */
  static problems(plugins: readonly Plugin[]): string[] {
    const owners = new Map<string, string>();
    const problems: string[] = [];
    for (const contract of contracts(plugins)) {
      for (const ref of refsOf(contract)) {
        const first = owners.get(key(ref.kind, ref.name));
        if (first) problems.push(`${ref.kind} event "${ref.name}" is defined by both "${first}" and "${ref.owner}"`);
        else owners.set(key(ref.kind, ref.name), ref.owner);
      }
    }
    return problems;
  }

  isOverlayEvent(name: string): boolean {
    const ref = this.#refs.get(key('socket', name));
    return ref?.kind === 'socket' && ref.overlay;
  }

  /**
   * The payload to send for `ref`, checked against its schema in development and tests (a bad
   * one throws where it is published). The ref must be one a loaded plugin (or the kernel) declared.
   */
  payload(ref: AnyEventRef, payload: unknown): unknown {
    const known = this.#refs.get(key(ref.kind, ref.name));
    if (!known || known.owner !== ref.owner) {
      throw new Error(`${ref.kind} event "${ref.name}" of "${ref.owner}" is not declared: put its contract in the plugin's \`events\``);
    }
    return this.#checkPayloads ? parsePayload(ref, payload) : payload;
  }
}

function contracts(plugins: readonly Plugin[]): AnyEventContract[] {
  return [kernelEvents, ...plugins.flatMap((plugin) => (plugin.events ? [plugin.events] : []))];
}

function refsOf(contract: AnyEventContract): AnyEventRef[] {
  return [...Object.values(contract.domain), ...Object.values(contract.socket), ...Object.values(contract.commands)] as AnyEventRef[];
}

const key = (kind: Kind, name: string) => `${kind}:${name}`;
