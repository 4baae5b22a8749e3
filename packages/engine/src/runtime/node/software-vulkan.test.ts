import { describe, expect, it } from 'vitest';
import type { VulkanProbe } from './software-vulkan.js';
import { SWIFTSHADER_ICD, softwareVulkanDriver } from './software-vulkan.js';

function probe(env: Record<string, string>, gpu: boolean, installed: boolean): VulkanProbe {
  return { env, hasGpuDevice: () => gpu, exists: (path) => installed && path === SWIFTSHADER_ICD };
}

describe('softwareVulkanDriver', () => {
  it('picks SwiftShader only without a GPU, without user settings, when installed', () => {
    expect(softwareVulkanDriver(probe({}, false, true))).toBe(SWIFTSHADER_ICD);
    expect(softwareVulkanDriver(probe({}, false, false))).toBeUndefined();
    expect(softwareVulkanDriver(probe({}, true, true))).toBeUndefined();
    for (const name of ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_ADD_DRIVER_FILES']) {
      expect(
        softwareVulkanDriver(probe({ [name]: '/etc/vulkan/icd.d/nvidia_icd.json' }, false, true)),
      ).toBeUndefined();
    }
  });
});
