import { URI, Utils } from 'vscode-uri';

/** Markdown file names. */
export const MARKDOWN_FILE = /\.(md|markdown)$/i;

/** Folders no walk enters: dependencies and every dot-folder (.git, .vscode, .github ...). A folder named explicitly is still checked. */
export function isSkippedFolder(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

/** The URI of a URI string, or undefined when it is not one. */
export function parseUri(uri: string): URI | undefined {
  try {
    return URI.parse(uri, true);
  } catch {
    return undefined;
  }
}

const withSlash = (path: string) => (path.endsWith('/') ? path : path + '/');

/** True when `uri` lies inside `folder` (not the folder itself). */
export function isInside(folder: URI, uri: URI): boolean {
  return folder.scheme === uri.scheme && folder.authority === uri.authority && uri.path.startsWith(withSlash(folder.path));
}

/** The path of `uri` relative to `folder` (`/` separated, decoded), or undefined when it is not inside. */
export function relativePath(folder: URI, uri: URI): string | undefined {
  return isInside(folder, uri) ? uri.path.slice(withSlash(folder.path).length) : undefined;
}

/** The innermost of the folders that holds the URI. */
export function innermostFolder(folders: readonly URI[], uri: URI): URI | undefined {
  let best: URI | undefined;
  for (const folder of folders) if (isInside(folder, uri) && (!best || folder.path.length > best.path.length)) best = folder;
  return best;
}

/** A path relative to a folder, or absolute (starting with `/`), as a URI of the same file system. */
export function resolvePath(base: URI, path: string): URI {
  if (base.scheme === 'file' && /^[a-zA-Z]:[\\/]/.test(path)) return URI.file(path);
  return path.startsWith('/') ? base.with({ path: Utils.joinPath(base.with({ path: '/' }), path).path }) : Utils.joinPath(base, path);
}

export const dirnameOf = (uri: URI) => Utils.dirname(uri);
export const basenameOf = (uri: URI) => Utils.basename(uri);
