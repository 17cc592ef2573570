// Errors for bad bytes on disk. They name the file, the byte offset and what was expected,
// so an operator can tell a torn write from a foreign format without a hex editor.
export class CorruptBlockError extends Error {
  readonly file: string;
  readonly offset: number;
  constructor(file: string, offset: number, message: string) {
    super(`${file}: offset ${offset}: ${message}`);
    this.name = 'CorruptBlockError';
    this.file = file;
    this.offset = offset;
  }
}
