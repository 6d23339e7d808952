// What the bundles load where secretlint's preset loads node-forge (and, in the browser, node:fs and
// node:path) on demand: only its GCP rule does, to read a `.p12` key file from disk, and the engine gives
// secretlint `.md` and `.json` text only. Loading fails, as when the files are missing, and the rule
// ignores the failure.
throw new Error('Not bundled: secretlint reads .p12 key files from disk, and Runbook Tools never asks it to.');
