// Modules the build (web/notebook/build.ts) generates for the kernel bundle.
declare module 'course-notebook:files' {
  /** Files the site ships under files/ (paths relative to the course's root). */
  export const SHIPPED: string[];
}
declare module 'course-notebook:specs' {
  /** The public spec modules by exercise id. */
  export const SPECS: Record<string, unknown>;
  /** Each notebook's exercises, in order. */
  export const NOTEBOOK_EXERCISES: { name: string; ids: string[] }[];
}
declare module 'course-notebook:modules' {
  /** What a cell may import: 'course/…' (lib, browser build) and '@tensorflow/tfjs'. */
  export const MODULES: Record<string, () => unknown>;
}
