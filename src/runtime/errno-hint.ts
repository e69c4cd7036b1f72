/** What to do about a file-system error code, for the people who meet it. */
export function errnoHint(code: string | undefined): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'The disk (or quota) holding the scratch store is full. Free some space (scratch gc, scratch clear), or set SCRATCHSPACE_DIR to another disk.'
    case 'ENAMETOOLONG':
      return 'The path is longer than the file system allows. Set SCRATCHSPACE_DIR to a shorter directory.'
    case 'ENOENT':
    case 'ENOTDIR':
      return 'A part of the path is missing or is not a directory that can hold files (such as /proc). Set SCRATCHSPACE_DIR to a writable directory.'
    default:
      return 'The scratch store is not writable here. Set SCRATCHSPACE_DIR to a writable directory.'
  }
}
