// Plotly figures for the course: build with these, then show(fig).
export { type Figure, type Trace, type Frame, type LayoutOptions, layout } from './figure';
export { scatter, lines, type Series } from './scatter';
export { heatmap, type HeatmapOptions } from './heatmap';
export { quiver, quiverTrace, type Field, type QuiverOptions } from './quiver';
export { imageGrid, type ImageGridOptions } from './imageGrid';
export { animation, type AnimationOptions } from './animation';
export { show, figureHtml, plotlyJs, compactJson } from './show';
