/**
 * Stand-ins for the globals SST gives `sst.config.ts` (`$config`, `$app`, `$interpolate`, the `sst` and `aws`
 * namespaces), which record every component constructed and every method called on one, so a test can run the
 * config's `run()` without AWS or Pulumi and assert what it would create. A component's outputs (`table.name`,
 * `queue.arn`, `dlq.nodes.queue.name`) are references that print as `<Component>.<path>`.
 */
export interface Recorded {
  type: string;
  name: string;
  args: Record<string, unknown>;
  calls: Array<{ method: string; args: unknown[] }>;
}

const METHODS = new Set(['subscribe', 'route', 'routeUrl', 'addSubscriber']);

/** A reference to an output: any property goes one level deeper; as a string it is its path. */
function ref(path: string): unknown {
  return new Proxy(() => path, {
    get(_target, prop) {
      if (prop === Symbol.toPrimitive || prop === 'toString' || prop === 'toJSON') return () => path;
      if (typeof prop === 'symbol') return undefined;
      return ref(`${path}.${prop}`);
    },
  });
}

export function refPath(value: unknown): string {
  return String(value);
}

export function installSstGlobals(stage: string) {
  const resources: Recorded[] = [];
  const componentClass = (type: string) =>
    class {
      constructor(name: string, args: unknown = {}) {
        const record: Recorded = {
          type,
          name,
          args: (typeof args === 'object' && args !== null ? args : { value: args }) as Record<
            string,
            unknown
          >,
          calls: [],
        };
        resources.push(record);
        // biome-ignore lint/correctness/noConstructorReturn: a recording stand-in returns its proxy.
        return new Proxy(this, {
          get(_target, prop) {
            // A linked component prints as its name.
            if (prop === Symbol.toPrimitive || prop === 'toString') return () => name;
            if (typeof prop === 'symbol') return undefined;
            if (METHODS.has(prop)) {
              return (...callArgs: unknown[]) => {
                record.calls.push({ method: prop, args: callArgs });
                return ref(`${name}.${prop}()`);
              };
            }
            return ref(`${name}.${prop}`);
          },
        });
      }
    };
  const namespace = (prefix: string): unknown =>
    new Proxy(
      {},
      {
        get(_target, prop) {
          if (typeof prop === 'symbol') return undefined;
          const path = `${prefix}.${prop}`;
          return /^[A-Z]/.test(prop) ? componentClass(path) : namespace(path);
        },
      },
    );
  const globals = {
    $config: <T>(config: T) => config,
    $app: { name: 'vetline', stage, removal: stage === 'production' ? 'retain' : 'remove', providers: {} },
    $interpolate: (strings: TemplateStringsArray, ...values: unknown[]) =>
      strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''), ''),
    sst: namespace('sst'),
    aws: namespace('aws'),
  };
  Object.assign(globalThis, globals);
  return {
    resources,
    find(type: string, name?: string): Recorded {
      const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
      if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ''}, found ${found.length}`);
      return found[0] as Recorded;
    },
    all(type: string): Recorded[] {
      return resources.filter((r) => r.type === type);
    },
    uninstall() {
      for (const key of Object.keys(globals)) delete (globalThis as Record<string, unknown>)[key];
    },
  };
}
