// Lets node import the widgets' modules (web/*.mjs) from the source tree:
// web/vendor/ exists only in dist/ (make_dist.sh copies uPlot there), so its
// two files resolve to the npm package here, and the generated tours
// (web/scenarios.mjs) to none. Registered by
// scripts/node_widgets.mjs; nothing in a page uses it.
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('/vendor/uPlot.esm.js')) {
    return next(new URL('../node_modules/uplot/dist/uPlot.esm.js', import.meta.url).href, context);
  }
  if (specifier.endsWith('/vendor/uplot-css.mjs')) {
    return { url: 'data:text/javascript,export default ""', shortCircuit: true };
  }
  if (specifier === './scenarios.mjs' && context.parentURL?.endsWith('/web/tours.mjs')) {
    return { url: 'data:text/javascript,export default {}', shortCircuit: true };
  }
  return next(specifier, context);
}
