// Plotly figures for the course: build with these, then show(fig).
export { type Figure, type Trace, type Frame, type LayoutOptions, type GridGeometry, layout, figureProblems, wrapText, logTicks, COLORWAY, PLOT_CONFIG } from './figure';
export { scatter, lines, type Series } from './scatter';
export { heatmap, type HeatmapOptions } from './heatmap';
export { quiver, quiverTrace, type Field, type QuiverOptions } from './quiver';
export { imageGrid, type ImageGridOptions } from './imageGrid';
export { animation, type AnimationOptions } from './animation';
export { lossCurve, defaultBeta, type LossCurveOptions } from './lossCurve';
export { ema } from './ema';
export { subplots, SUBPLOT_TITLE, type SubplotOptions } from './subplots';
export { show, figureHtml, placeLegend, plotlyJs, plotlyFile, compactJson, PLOTLY_LOADER, PLOTLY_SERVER_PATH, FIT_WIDTH, FIT_GRID } from './show';
