import type { Selection, SelectionTarget } from '@lmtt/components';
import { DEFAULT_VIEW, THRESHOLD_RANGE } from './view-state.js';
import type { ViewState } from './view-state.js';

// A permalink is the page URL with the view in its hash, e.g.
// #prompt=...&t=0.05&sel=7,edge:123,head:2.1 ; only fields that differ from
// the defaults are written, and anything malformed falls back to them.

const NODE_KINDS = new Set(['embed', 'resid_mid', 'mlp', 'resid_post']);

function writeSelection(selection: Selection): string {
  const parts = [String(selection.pos)];
  const { target, head, neuron } = selection;
  if (target?.type === 'edge') parts.push(`edge:${target.edge}`);
  if (target?.type === 'node')
    parts.push(`node:${target.node.kind}.${target.node.layer}.${target.node.pos}`);
  if (head) parts.push(`head:${head.layer}.${head.head}`);
  if (neuron) parts.push(`neuron:${neuron.layer}.${neuron.pos}.${neuron.rank}`);
  return parts.join(',');
}

const int = (text: string | undefined, min = 0): number | undefined => {
  if (text === undefined || !/^-?\d{1,9}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min ? value : undefined;
};

function readSelection(text: string): Selection | undefined {
  const [posText, ...rest] = text.split(',');
  const pos = int(posText);
  if (pos === undefined) return undefined;
  let target: SelectionTarget | undefined;
  let head: Selection['head'];
  let neuron: Selection['neuron'];
  for (const part of rest) {
    const [key, value = ''] = part.split(':');
    const fields = value.split('.');
    if (key === 'edge' && int(value) !== undefined) target = { type: 'edge', edge: int(value)! };
    if (key === 'node' && fields.length === 3 && NODE_KINDS.has(fields[0]!)) {
      const layer = int(fields[1], -1);
      const at = int(fields[2]);
      if (layer !== undefined && at !== undefined)
        target = {
          type: 'node',
          node: { kind: fields[0] as 'embed', layer, pos: at },
        };
    }
    if (key === 'head' && fields.length === 2) {
      const [layer, index] = fields.map((f) => int(f));
      if (layer !== undefined && index !== undefined) head = { layer, head: index };
    }
    if (key === 'neuron' && fields.length === 3) {
      const [layer, at, rank] = fields.map((f) => int(f));
      if (layer !== undefined && at !== undefined && rank !== undefined)
        neuron = { layer, pos: at, rank };
    }
  }
  return {
    pos,
    ...(target ? { target } : {}),
    ...(head ? { head } : {}),
    ...(neuron ? { neuron } : {}),
  };
}

/**
 * The URL hash of a view (without `#`): only what differs from the defaults.
 *
 * @example
 * location.hash = writeViewHash({ ...DEFAULT_VIEW, prompt: '5 + 4 = 9, 2 + 3 =' });
 */
export function writeViewHash(view: ViewState): string {
  const params = new URLSearchParams();
  if (view.mode !== DEFAULT_VIEW.mode) params.set('mode', view.mode);
  if (view.model) params.set('model', view.model);
  if (view.prompt) params.set('prompt', view.prompt);
  if (view.device) params.set('device', view.device);
  if (view.dtype !== DEFAULT_VIEW.dtype) params.set('dtype', view.dtype);
  if (view.threshold !== DEFAULT_VIEW.threshold) params.set('t', String(view.threshold));
  if (!view.renormalize) params.set('renorm', '0');
  if (!view.lensNormalize) params.set('lensnorm', '0');
  if (view.selection) params.set('sel', writeSelection(view.selection));
  return params.toString();
}

/**
 * The view a URL hash describes; malformed or missing fields take their defaults.
 *
 * @param hash - `location.hash`, with or without the leading `#`
 */
export function readViewHash(hash: string): ViewState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const threshold = Number(params.get('t'));
  const inRange =
    params.has('t') && threshold >= THRESHOLD_RANGE.min && threshold <= THRESHOLD_RANGE.max;
  const selection = params.has('sel') ? readSelection(params.get('sel')!) : undefined;
  return {
    mode: params.get('mode') === 'browser' ? 'browser' : 'server',
    model: params.get('model') ?? '',
    prompt: params.get('prompt') ?? '',
    device: params.get('device') ?? '',
    dtype: params.get('dtype') === 'fp16' ? 'fp16' : 'fp32',
    threshold: inRange ? threshold : DEFAULT_VIEW.threshold,
    renormalize: params.get('renorm') !== '0',
    lensNormalize: params.get('lensnorm') !== '0',
    ...(selection ? { selection } : {}),
  };
}
