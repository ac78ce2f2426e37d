import { Figure, Frame, placeTitle, titleLayout } from './figure';

export interface AnimationOptions {
  /** Milliseconds per frame when playing. */
  frameMs?: number;
  /** Label of the slider ("t = "). */
  prefix?: string;
  /** Title of the animation (default: the first frame's). */
  title?: string;
}

/**
 * Turn a list of figures (same traces, changing data) into one animated figure
 * with a play button and a slider. Labels name the frames on the slider.
 */
export function animation(frames: Figure[], labels: string[], opts: AnimationOptions = {}): Figure {
  if (frames.length === 0) throw new Error('animation: no frames');
  if (labels.length !== frames.length) throw new Error(`animation: ${labels.length} labels for ${frames.length} frames`);
  const ms = opts.frameMs ?? 200;
  const first = frames[0];
  const titleText = (f: Figure) => (f.layout.title as { text?: string } | undefined)?.text;
  // Frames whose own titles differ (e.g. "t = 10") carry them; the rest keep the animation's.
  const own = new Set(frames.map(titleText)).size > 1 && !opts.title;
  const fs: Frame[] = frames.map((f, i) => (own && f.layout.title ? { name: labels[i], data: f.data, layout: { title: f.layout.title } } : { name: labels[i], data: f.data }));
  const step = (name: string) => ({
    method: 'animate',
    label: name,
    args: [[name], { mode: 'immediate', frame: { duration: ms, redraw: true }, transition: { duration: 0 } }],
  });
  const width = (first.layout.width as number) ?? 520;
  const margin = { ...((first.layout.margin as Record<string, number>) ?? {}) };
  // The play button and the slider sit below the x axis and its label.
  margin.b = (margin.b ?? 50) + 90;
  const height = ((first.layout.height as number) ?? 420) + 90;
  const titled = opts.title ? titleLayout(opts.title, width, height) : null;
  if (titled) margin.t = Math.max(margin.t ?? 0, titled.top);
  const layout = {
    ...first.layout,
    ...(titled ? { title: titled.title } : { title: first.layout.title ? { ...(first.layout.title as object) } : undefined }),
    margin,
    height,
    updatemenus: [
      {
        type: 'buttons',
        showactive: false,
        x: 0,
        y: 0,
        xanchor: 'right',
        yanchor: 'top',
        pad: { t: 75, r: 10 },
        buttons: [
          { label: '▶', method: 'animate', args: [null, { fromcurrent: true, frame: { duration: ms, redraw: true }, transition: { duration: 0 } }] },
          { label: '❚❚', method: 'animate', args: [[null], { mode: 'immediate', frame: { duration: 0 }, transition: { duration: 0 } }] },
        ],
      },
    ],
    sliders: [
      {
        active: 0,
        x: 0.05,
        len: 0.95,
        y: 0,
        yanchor: 'top',
        pad: { t: 65 },
        currentvalue: { prefix: opts.prefix ?? '' },
        steps: labels.map(step),
      },
    ],
  };
  placeTitle(layout);
  const y = (layout.title as { y?: number } | undefined)?.y;
  for (const f of fs) if (f.layout?.title) f.layout.title = { ...(f.layout.title as object), y };
  return { data: first.data, layout, frames: fs };
}
