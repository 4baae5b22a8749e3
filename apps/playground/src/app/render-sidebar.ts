import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { ModelListing } from '../server/server-api.js';
import { THRESHOLD_RANGE } from '../state/view-state.js';
import type { RunMode, ViewState } from '../state/view-state.js';

/** What the sidebar shows besides the view state. */
export interface SidebarData {
  readonly view: ViewState;
  /** Modes that can run here: server when one answered, browser always. */
  readonly modes: readonly RunMode[];
  readonly models: readonly ModelListing[];
  readonly customModels: boolean;
  readonly devices: readonly string[];
  /** The device and precision selected: the view's, or what the server runs when it names none. */
  readonly device: string;
  /** Precisions of the selected device. */
  readonly dtypes: readonly string[];
  readonly dtype: string;
  readonly prompts: readonly string[];
  readonly maxPromptChars: number;
  readonly busy: boolean;
}

/** What the sidebar's controls do. */
export interface SidebarActions {
  readonly change: (patch: Partial<ViewState>) => void;
  readonly run: (prompt: string) => void;
  readonly cancel: () => void;
}

function bytes(n: number | null): string {
  if (n === null) return '–';
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(1)} MB`;
}

function modelInfo(model: ModelListing | undefined): TemplateResult | typeof nothing {
  if (!model) return nothing;
  const rows: [string, string][] = [
    ['source', model.source],
    ['family', model.family ?? '–'],
    ['layers', model.nLayers === null ? '–' : String(model.nLayers)],
    ['weights', bytes(model.weightBytes)],
    ['loaded', model.loaded ? `yes, on ${model.device}` : 'not yet'],
  ];
  return html`<table class="info" aria-label="model info">
    ${rows.map(
      ([key, value]) =>
        html`<tr>
          <th scope="row">${key}</th>
          <td>${value}</td>
        </tr>`,
    )}
  </table>`;
}

/** The playground's sidebar: model, device, precision, data and graph settings. */
export function renderSidebar(data: SidebarData, actions: SidebarActions): TemplateResult {
  const { view } = data;
  const selected = data.models.find((m) => m.name === view.model) ?? data.models[0];
  const onPrompt = (event: Event) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const prompt = (form.elements.namedItem('prompt') as HTMLTextAreaElement).value.trim();
    if (prompt) actions.run(prompt);
  };
  const value = (event: Event) => (event.target as HTMLInputElement).value;
  const checked = (event: Event) => (event.target as HTMLInputElement).checked;
  return html`<aside class="sidebar">
    <fieldset>
      <legend>Mode</legend>
      ${(['server', 'browser'] as const).map(
        (mode) =>
          html`<label
            ><input
              type="radio"
              name="mode"
              value=${mode}
              .checked=${view.mode === mode}
              ?disabled=${!data.modes.includes(mode)}
              @change=${() => actions.change({ mode, model: '', device: '' })}
            />${mode === 'server' ? 'Server' : 'In this browser'}</label
          >`,
      )}
    </fieldset>
    <fieldset>
      <legend>Model</legend>
      <select
        id="model"
        aria-label="model"
        @change=${(e: Event) => actions.change({ model: value(e) })}
      >
        ${data.models.map(
          (m) =>
            html`<option value=${m.name} ?selected=${m.name === selected?.name}>${m.name}</option>`,
        )}
      </select>
      ${
        data.customModels
          ? html`<input
              id="custom-model"
              placeholder="or a Hugging Face id, e.g. openai-community/gpt2"
              aria-label="custom model"
              @change=${(e: Event) => value(e).trim() && actions.change({ model: value(e).trim() })}
            />`
          : nothing
      }
      ${modelInfo(selected)}
    </fieldset>
    <fieldset>
      <legend>Device</legend>
      <select
        id="device"
        aria-label="device"
        ?disabled=${data.devices.length < 2}
        @change=${(e: Event) => actions.change({ device: value(e) })}
      >
        ${data.devices.map(
          (d) => html`<option value=${d} ?selected=${d === data.device}>${d}</option>`,
        )}
      </select>
      <select
        id="dtype"
        aria-label="precision"
        ?disabled=${data.dtypes.length < 2}
        @change=${(e: Event) => actions.change({ dtype: value(e) as 'fp32' | 'fp16' })}
      >
        ${data.dtypes.map(
          (d) => html`<option value=${d} ?selected=${d === data.dtype}>${d}</option>`,
        )}
      </select>
    </fieldset>
    <fieldset>
      <legend>Data</legend>
      <select
        id="samples"
        aria-label="sample prompts"
        @change=${(e: Event) => value(e) && actions.run(value(e))}
      >
        <option value="">Choose a prompt…</option>
        ${data.prompts.map(
          (p) => html`<option value=${p} ?selected=${p === view.prompt}>${p}</option>`,
        )}
      </select>
      <form @submit=${onPrompt}>
        <textarea
          id="prompt"
          name="prompt"
          rows="3"
          maxlength=${data.maxPromptChars}
          aria-label="prompt"
          placeholder="Type a prompt"
          .value=${view.prompt}
        ></textarea>
        <div class="row">
          <button id="run" type="submit" ?disabled=${data.busy}>Trace</button>
          ${
            data.busy
              ? html`<button type="button" @click=${actions.cancel}>Cancel</button>`
              : nothing
          }
        </div>
      </form>
    </fieldset>
    <fieldset>
      <legend>Graph</legend>
      <label for="threshold"
        >Contribution threshold <output>${view.threshold.toFixed(3)}</output></label
      >
      <input
        id="threshold"
        type="range"
        min=${THRESHOLD_RANGE.min}
        max=${THRESHOLD_RANGE.max}
        step=${THRESHOLD_RANGE.step}
        .value=${String(view.threshold)}
        @input=${(e: Event) => actions.change({ threshold: Number(value(e)) })}
      />
      <label
        ><input
          id="renormalize"
          type="checkbox"
          .checked=${view.renormalize}
          @change=${(e: Event) => actions.change({ renormalize: checked(e) })}
        />Renormalize after threshold</label
      >
      <label
        ><input
          id="lens-normalize"
          type="checkbox"
          .checked=${view.lensNormalize}
          @change=${(e: Event) => actions.change({ lensNormalize: checked(e) })}
        />Normalize before unembedding</label
      >
    </fieldset>
  </aside>`;
}
