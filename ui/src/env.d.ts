/// <reference types="svelte" />
/// <reference types="vite/client" />

/** True only in `vite build --mode screens` (the screenshot suite's mocked build). */
declare const __SCREENS__: boolean;
