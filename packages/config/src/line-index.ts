/** Converts character offsets of a text into 1-based line and column numbers. */
export interface LinePosition {
  line: number;
  column: number;
}

/** Builds a function mapping an offset of `text` to its 1-based line and column (in UTF-16 code units). */
export function createLineIndex(text: string): (offset: number) => LinePosition {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 10) starts.push(i + 1);
    else if (char === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return (offset) => {
    const clamped = Math.max(0, Math.min(offset, text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: clamped - (starts[low] ?? 0) + 1 };
  };
}
