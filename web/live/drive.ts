// Driving a live page from Node (playwright-core): set a control as a reader would and wait, in
// the page, until the figure shows the new result. The tests use it to check what is drawn; the
// bench (`npm run bench -- live`) uses the milliseconds it returns, which belong there and not in
// a test (a busy machine would fail a time bound).
import type { Page } from 'playwright-core';

/** Set an input's value (a string for sliders and text, a boolean for a checkbox) and wait until `ready` (an expression over `live`, the page's courseLive) holds; returns the ms in the page. */
export async function steer(page: Page, selector: string, value: string | boolean, ready: string): Promise<number> {
  return page.evaluate(
    async ([selector, value, ready]) => {
      const g = globalThis as any;
      const input = g.document.querySelector(selector as string) as { value: string; checked: boolean; dispatchEvent(e: unknown): void };
      const t0 = performance.now();
      if (typeof value === 'boolean') (input.checked = value), input.dispatchEvent(new g.Event('change'));
      else (input.value = value), input.dispatchEvent(new g.Event('input'));
      const done = new Function('live', `return ${ready}`) as (l: unknown) => boolean;
      while (!done(g.courseLive)) await new Promise((r) => setTimeout(r, 2));
      return performance.now() - t0;
    },
    [selector, value, ready] as const,
  );
}

/** Each live figure's timed redraw: the page, what its first drawing looks like, and the control moved. */
export const REDRAWS: { figure: string; page: string; loaded: string; selector: string; value: string | boolean; ready: string }[] = [
  { figure: 'ddim_steps', page: '04-ode-and-ddim.live.html', loaded: 'live.state.ddim?.result', selector: '#ddim [name=steps]', value: '100', ready: 'live.state.ddim.params.steps === 100 && live.state.ddim.drawn' },
  { figure: 'ddpm_noise', page: '03-ddpm.live.html', loaded: 'live.state.ddpm?.result', selector: '#ddpm [name=noise]', value: false, ready: 'live.state.ddpm.params.noise === false && live.state.ddpm.frames.length >= 2' },
  { figure: 'walk_t', page: '02-random-walks.live.html', loaded: 'live.state.walk?.drawn', selector: '#walk [name=t]', value: '999', ready: 'live.state.walk.params.t === 999 && live.state.walk.drawn' },
  { figure: 'flow_steps', page: '07-flow-matching.live.html', loaded: 'live.state.flow?.result?.flowEnergy !== undefined', selector: '#flow [name=steps]', value: '20', ready: 'live.state.flow.params.steps === 20 && live.state.flow.drawn' },
  { figure: 'guidance_class', page: '05-guidance.live.html', loaded: 'live.state.guidance?.drawn', selector: '#guidance [name=cls]', value: '4', ready: 'live.state.guidance.params.cls === 4 && live.state.guidance.drawn' },
  { figure: 'clip_caption', page: '01-clip.live.html', loaded: 'live.state.clip?.result?.hits', selector: '#clip [name=query]', value: 'a thin one', ready: "live.state.clip.params.query === 'a thin one' && !!live.state.clip.result.hits" },
  { figure: 'unclip_prompt', page: '06-unclip.live.html', loaded: 'live.state.unclip?.result?.labels', selector: '#unclip [name=prompt]', value: 'a thin one', ready: "live.state.unclip.params.prompt === 'a thin one' && !!live.state.unclip.result.labels" },
];
