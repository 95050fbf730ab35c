import * as tf from '@tensorflow/tfjs';
import type { Initializer } from './keras-initializers';

/** An initializer as it appears in a layer config: `{className, config}`. */
export interface SerializedInitializer {
  className: string;
  config: tf.serialization.ConfigDict;
}

/** An initializer given to a layer: an instance, its serialized form, or a tfjs identifier such as 'zeros'. */
export type InitializerSpec = Initializer | SerializedInitializer | string;

export function serializeInitializer(init: Initializer): SerializedInitializer {
  return { className: init.getClassName(), config: init.getConfig() };
}

/**
 * Turns an {@link InitializerSpec} into an initializer. Serialized forms are looked up in tfjs's class
 * registry, so our own registered initializers (FastOrthogonal) load like tfjs's.
 */
export function resolveInitializer(spec: InitializerSpec | undefined, fallback: () => Initializer): Initializer {
  if (spec === undefined || spec === null) return fallback();
  if (typeof spec === 'string') {
    const factory = (tf.initializers as unknown as Record<string, (a?: object) => Initializer>)[spec];
    if (!factory) throw new Error(`Unknown initializer "${spec}"`);
    return factory({});
  }
  if ('apply' in spec && typeof spec.apply === 'function') return spec as Initializer;
  const { className, config } = spec as SerializedInitializer;
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) throw new Error(`Unknown initializer class "${className}" (is the module defining it imported?)`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, config ?? {}) as unknown as Initializer;
}
