export { ConfigError, loadConfig, type KernelConfig } from './config.ts';
export { createKernel, Kernel, KERNEL_VERSION, loadKernel, type KernelOptions, type Role } from './kernel.ts';
export { createLogger } from './logger.ts';
export { BootError } from './plugins/boot-checks.ts';
