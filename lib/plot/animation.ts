import { Figure, Frame } from './figure';

export interface AnimationOptions {
  /** Milliseconds per frame when playing. */
  frameMs?: number;
  /** Label of the slider ("t = "). */
  prefix?: string;
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
  const fs: Frame[] = frames.map((f, i) => ({ name: labels[i], data: f.data }));
  const step = (name: string) => ({
    method: 'animate',
    label: name,
    args: [[name], { mode: 'immediate', frame: { duration: ms, redraw: true }, transition: { duration: 0 } }],
  });
  const layout = {
    ...first.layout,
    height: ((first.layout.height as number) ?? 420) + 80,
    updatemenus: [
      {
        type: 'buttons',
        showactive: false,
        x: 0,
        y: 0,
        xanchor: 'right',
        yanchor: 'top',
        pad: { t: 60, r: 10 },
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
        pad: { t: 50 },
        currentvalue: { prefix: opts.prefix ?? '' },
        steps: labels.map(step),
      },
    ],
  };
  return { data: first.data, layout, frames: fs };
}
