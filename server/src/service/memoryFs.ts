import { URI, Utils } from 'vscode-uri';
import { FileType, type FileStat, type FileSystem } from './host';

/**
 * A file system held in memory, for tests and for hosts that have documents but no disk. Paths are
 * `file:` URIs unless a URI is given; every write bumps the modification time.
 */
export class MemoryFileSystem implements FileSystem {
  private files = new Map<string, { bytes: Uint8Array; mtime: number }>();
  private clock = 1;

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.write(path, text);
  }

  /** The URI of a path (absolute, `/` separated) or of a URI string. */
  static uri(pathOrUri: string | URI): URI {
    if (typeof pathOrUri !== 'string') return pathOrUri;
    return /^[a-z][a-z0-9+.-]*:/i.test(pathOrUri) ? URI.parse(pathOrUri) : URI.file(pathOrUri);
  }

  write(path: string | URI, text: string | Uint8Array): void {
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    this.files.set(MemoryFileSystem.uri(path).toString(), { bytes, mtime: this.clock++ });
  }

  delete(path: string | URI): void {
    const key = MemoryFileSystem.uri(path).toString();
    this.files.delete(key);
    for (const other of [...this.files.keys()]) if (other.startsWith(key + '/')) this.files.delete(other);
  }

  async stat(uri: URI): Promise<FileStat | undefined> {
    const key = uri.toString();
    const file = this.files.get(key);
    if (file) return { type: FileType.File, mtime: file.mtime, size: file.bytes.length };
    const prefix = key.endsWith('/') ? key : key + '/';
    for (const other of this.files.keys()) if (other.startsWith(prefix)) return { type: FileType.Directory, mtime: 0, size: 0 };
    return undefined;
  }

  async readFile(uri: URI): Promise<Uint8Array> {
    const file = this.files.get(uri.toString());
    if (!file) throw new Error(`ENOENT: ${uri.toString()}`);
    return file.bytes;
  }

  async readDirectory(uri: URI): Promise<[string, FileType][]> {
    const key = uri.toString();
    const prefix = key.endsWith('/') ? key : key + '/';
    const entries = new Map<string, FileType>();
    for (const other of this.files.keys()) {
      if (!other.startsWith(prefix)) continue;
      const rest = other.slice(prefix.length);
      const slash = rest.indexOf('/');
      entries.set(decodeURIComponent(slash < 0 ? rest : rest.slice(0, slash)), slash < 0 ? FileType.File : FileType.Directory);
    }
    if (!entries.size && !this.files.has(key)) throw new Error(`ENOENT: ${key}`);
    return [...entries];
  }

  /** Every file's URI under a folder. */
  list(folder: string | URI = '/'): URI[] {
    const prefix = Utils.joinPath(MemoryFileSystem.uri(folder), '/').toString();
    return [...this.files.keys()].filter((k) => k.startsWith(prefix)).map((k) => URI.parse(k));
  }
}
