// node:path for the browser bundle. secretlint names the file in a message (`basename`), picomatch asks
// for the separator; both only see the `/`-separated names the engine gives them.
export const sep = '/';

export function basename(path: string, ext?: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return ext && base.endsWith(ext) && base !== ext ? base.slice(0, -ext.length) : base;
}

export default { sep, basename };
