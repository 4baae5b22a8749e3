import { existsSync, readdirSync } from 'node:fs';

/** Chromium's SwiftShader Vulkan driver manifest, as Debian's `chromium` installs it. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Environment variables through which a user picks Vulkan drivers themselves. */
const DRIVER_VARIABLES = ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_ADD_DRIVER_FILES'];

/** What {@link softwareVulkanDriver} looks at; injectable for tests. */
export interface VulkanProbe {
  readonly env: Readonly<Record<string, string | undefined>>;
  exists(path: string): boolean;
  /** Whether the machine shows a GPU device node (DRM render node, NVIDIA, WSL, ROCm). */
  hasGpuDevice(): boolean;
}

const hostProbe: VulkanProbe = {
  env: process.env,
  exists: existsSync,
  hasGpuDevice: () =>
    ['/dev/nvidiactl', '/dev/nvidia0', '/dev/dxg', '/dev/kfd'].some((path) => existsSync(path)) ||
    (existsSync('/dev/dri') && readdirSync('/dev/dri').some((name) => name.startsWith('renderD'))),
};

/**
 * The Vulkan driver manifest WebGPU should use when no GPU is present, or
 * `undefined` to leave Vulkan's own driver discovery alone.
 *
 * Software WebGPU is chosen only when all hold: the user set none of
 * `VK_ICD_FILENAMES`, `VK_DRIVER_FILES`, `VK_ADD_DRIVER_FILES`; the machine has
 * no GPU device node, so there is no real GPU to hide; and SwiftShader is
 * installed. (Mesa's lavapipe, which Vulkan would find on its own, lacks
 * features Dawn requires, so without this WebGPU finds no adapter.)
 */
export function softwareVulkanDriver(probe: VulkanProbe = hostProbe): string | undefined {
  if (DRIVER_VARIABLES.some((name) => probe.env[name])) return undefined;
  if (probe.hasGpuDevice()) return undefined;
  return probe.exists(SWIFTSHADER_ICD) ? SWIFTSHADER_ICD : undefined;
}

/**
 * Points Vulkan at SwiftShader when {@link softwareVulkanDriver} says so, and
 * reports the driver used. The variable goes on the process environment, not a
 * worker's `env` option: the Vulkan loader calls `getenv` in native code, which
 * sees only the real process environment that all threads share. It must be
 * set before the process's first WebGPU session; the loader reads it once.
 */
export function useSoftwareVulkanIfNoGpu(): string | undefined {
  const driver = softwareVulkanDriver();
  if (driver) process.env['VK_ICD_FILENAMES'] = driver;
  return driver ?? process.env['VK_ICD_FILENAMES'];
}
