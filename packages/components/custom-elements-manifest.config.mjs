// The custom-elements manifest (dist/custom-elements.json) for editors and
// docs: read from the elements' sources and their TSDoc (@tagname, @fires,
// @csspart, @cssprop).
export default {
  globs: ['src/**/*-element.ts', 'src/trace/lmtt-element.ts'],
  exclude: ['src/**/*.test.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
};
