import { EMBEDDED_MODEL } from '../cli/default-model.js';

/** Devices a config may ask for. */
export type ConfigDevice = 'cpu' | 'webgpu' | 'cuda';

/** Every device a config or a trace request may name, in the order they are reported. */
export const CONFIG_DEVICES: readonly ConfigDevice[] = Object.freeze(['cpu', 'webgpu', 'cuda']);

/** Compute precisions a config or a trace request may name. */
export type ConfigDType = 'fp32' | 'fp16';

/** Every precision, in the order they are reported. */
export const CONFIG_DTYPES: readonly ConfigDType[] = Object.freeze(['fp32', 'fp16']);

/**
 * The server's configuration. Keys follow the reference tool's config
 * (`models`, `default_model`, `max_user_string_length`, ...), snake_case as
 * in the JSON file.
 */
export interface ServerConfig {
  /** Model names clients may ask for, each a Hugging Face id or a local folder. */
  readonly models: Readonly<Record<string, string>>;
  /** The model used when a request names none; a key of `models`. */
  readonly default_model: string;
  /** Longest prompt accepted, in characters. */
  readonly max_user_string_length: number;
  /** Longest prompt accepted, in tokens (the model's context also applies). */
  readonly max_prompt_tokens: number;
  /** A dataset file in `dataset_dir` whose prompts the playground offers. */
  readonly preloaded_dataset_filename: string | null;
  /** Whether clients may list and read other dataset files in `dataset_dir`. */
  readonly allow_loading_dataset_files: boolean;
  /** The only folder dataset files are read from. */
  readonly dataset_dir: string | null;
  /** Only configured models and prompts of the preloaded dataset. */
  readonly demo_mode: boolean;
  /** Let requests name a Hugging Face id that is not in `models` (never in demo mode). */
  readonly allow_custom_models: boolean;
  /** Show error details (stack traces) to clients. */
  readonly debug: boolean;
  /** The device models load on when a trace request names none. */
  readonly device: ConfigDevice;
  /** The precision models load with when a trace request names none. */
  readonly dtype: ConfigDType;
  /**
   * Devices trace requests may ask for, when they start here (`cpu` always
   * does); `null`: every device that starts. Must include `device`.
   */
  readonly devices: readonly ConfigDevice[] | null;
  /** Budget of loaded models, in bytes of weights. */
  readonly model_cache_bytes: number;
  /** Budget of finished traces, in bytes of encoded trace files. */
  readonly trace_cache_bytes: number;
  /**
   * Budget of live trace states (forward passes and contributions the engine
   * workers keep to answer detail questions on demand), in estimated bytes.
   */
  readonly live_cache_bytes: number;
  /** Trace jobs run at once on the device. */
  readonly concurrency: number;
  /** Detail questions that may be pending in the engine workers; beyond it requests get 429. */
  readonly max_detail_queue: number;
  /** Trace jobs that may wait; beyond it requests get 429. */
  readonly max_queue: number;
  /** A trace job is cancelled after this long, in milliseconds. */
  readonly job_timeout_ms: number;
  /** Any other request fails after this long, in milliseconds. */
  readonly request_timeout_ms: number;
  /** Largest request body, in bytes. */
  readonly max_body_bytes: number;
  /** Origins allowed by CORS; empty: same origin only. */
  readonly cors_origins: readonly string[];
  readonly host: string;
  readonly port: number;
}

/** The embedded model's config name. */
export const EMBEDDED_MODEL_NAME = 'lmtt-tiny-gpt2';

/** The defaults: the embedded model on the CPU, loopback only, works offline. */
export const DEFAULT_CONFIG: ServerConfig = Object.freeze({
  models: Object.freeze({ [EMBEDDED_MODEL_NAME]: EMBEDDED_MODEL }),
  default_model: EMBEDDED_MODEL_NAME,
  max_user_string_length: 1000,
  max_prompt_tokens: 256,
  preloaded_dataset_filename: null,
  allow_loading_dataset_files: false,
  dataset_dir: null,
  demo_mode: false,
  allow_custom_models: false,
  debug: false,
  device: 'cpu',
  dtype: 'fp32',
  devices: null,
  model_cache_bytes: 4 * 1024 ** 3,
  trace_cache_bytes: 256 * 1024 ** 2,
  live_cache_bytes: 1024 ** 3,
  concurrency: 1,
  max_queue: 16,
  max_detail_queue: 32,
  job_timeout_ms: 300_000,
  request_timeout_ms: 30_000,
  max_body_bytes: 64 * 1024,
  cors_origins: Object.freeze([]),
  host: '127.0.0.1',
  port: 8042,
});
