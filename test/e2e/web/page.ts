// The page's script: the scenario against the browser server bundle started as a real Web Worker, as
// vscode.dev and github.dev start it. Bundled by worker.mjs for the page.
import type { Endpoint } from '../../support/webClient';
import { runWebScenario } from '../../support/webScenario';

declare global {
  interface Window {
    runWebScenario(positives: string): ReturnType<typeof runWebScenario>;
  }
}

window.runWebScenario = (positives) => runWebScenario(new Worker('/server/out/browser.js', { name: 'runbook-language-server' }) as unknown as Endpoint, positives);
