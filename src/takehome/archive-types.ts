/** An entry as an archive format describes it, before Vetline's checks. */
export interface RawEntry {
  /** As stored: not yet normalised or checked. */
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'special';
  /** Uncompressed bytes. */
  size: number;
  /** Compressed bytes, where the format compresses entries one by one (zip); null for a tar.gz. */
  compressedSize: number | null;
}

/** An archive whose index has been read: entries now, contents on demand. */
export interface OpenedArchive {
  entries: RawEntry[];
  read(index: number): Uint8Array;
}
