// node:util for the browser bundle: micromatch and fill-range quote a bad argument in an error message.
export function inspect(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export default { inspect };
