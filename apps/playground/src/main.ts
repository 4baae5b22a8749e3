import '@lmtt/components/define';
import { LmttPlayground } from './app/playground-app.js';

customElements.define('lmtt-playground', LmttPlayground);
