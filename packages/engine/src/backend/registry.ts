import { LmttError } from '../errors.js';
import type { Backend, Device } from './backend.js';

interface Registration {
  readonly backend: Backend;
  readonly priority: number;
  started?: Promise<void>;
}

const registry = new Map<Device, Registration>();

/**
 * Makes a backend available under its device name. A later registration of
 * the same device replaces an earlier one only with a higher priority.
 */
export function registerBackend(backend: Backend, priority = 0): void {
  const current = registry.get(backend.device);
  if (current && current.priority > priority) return;
  registry.set(backend.device, { backend, priority });
}

/** Devices with a registered backend, highest priority first. */
export function registeredDevices(): Device[] {
  return [...registry.entries()]
    .sort(([, a], [, b]) => b.priority - a.priority)
    .map(([device]) => device);
}

/** The outcome of {@link resolveBackend}: the backend and what was skipped. */
export interface ResolvedBackend {
  readonly backend: Backend;
  /** Devices tried before this one, each with why it could not start. */
  readonly fallbacks: readonly { device: Device; reason: string }[];
}

/**
 * Starts the first backend of `preferred` that works, in order.
 *
 * @throws LmttError `NO_BACKEND` naming every device tried and why it failed.
 */
export async function resolveBackend(preferred: readonly Device[]): Promise<ResolvedBackend> {
  const fallbacks: { device: Device; reason: string }[] = [];
  for (const device of preferred) {
    const registration = registry.get(device);
    if (!registration) {
      fallbacks.push({ device, reason: 'no backend registered for this device' });
      continue;
    }
    registration.started ??= registration.backend.init();
    try {
      await registration.started;
      return { backend: registration.backend, fallbacks };
    } catch (error) {
      registration.started = undefined;
      fallbacks.push({ device, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  const tried = fallbacks.map((f) => `${f.device}: ${f.reason}`).join('; ');
  throw new LmttError('NO_BACKEND', `no device could start (tried ${tried || 'nothing'})`);
}

/** Removes every registration; for tests. */
export function clearBackends(): void {
  registry.clear();
}
