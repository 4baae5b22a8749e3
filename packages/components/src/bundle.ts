/**
 * The single-file bundle's entry: registers every element and exports the
 * package's API, so a static page needs one `<script type="module">`.
 *
 * @packageDocumentation
 */
import './define.js';

export * from './index.js';
