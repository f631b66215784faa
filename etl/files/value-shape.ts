/**
 * The masked form of a rejected value: what is kept of it in etl_rejection.value, shown on the
 * rejections page and in its CSV. A rejected cell is by definition one the contract could not
 * read, so it may hold anything a clinic's export should never have carried (a full date, a date
 * of birth, a name, a phone number, another record's id); its raw characters must not reach the
 * warehouse. Its shape is enough to find and fix the export: digits become 9, capital letters A,
 * other letters a, control characters ?, and everything else (spaces, punctuation, symbols) stays
 * as written, so "17/03/1984" reads "99/99/9999", "Jane Doe" reads "Aaaa Aaa" and " 12 " shows its
 * spaces. Only the first SHAPE_CHARS characters are shaped (a long value is mostly seen by its
 * start), and the length is always given, in characters.
 */
export const SHAPE_CHARS = 24;

export function maskedValue(raw: string): string {
  const characters = [...raw];
  if (characters.length === 0) return '(empty)';
  let shape = '';
  for (const character of characters.slice(0, SHAPE_CHARS)) shape += shapeOf(character);
  const more = characters.length > SHAPE_CHARS ? '…' : '';
  return `${shape}${more} (${characters.length} character${characters.length === 1 ? '' : 's'})`;
}

function shapeOf(character: string): string {
  if (/\p{N}/u.test(character)) return '9';
  if (/\p{Lu}|\p{Lt}/u.test(character)) return 'A';
  // Other letters, and combining marks (a decomposed "é" is "e" and a mark): either is a letter's part.
  if (/\p{L}|\p{M}/u.test(character)) return 'a';
  // Controls, format characters, unassigned and private-use code points: shown, never written out.
  if (/\p{C}/u.test(character)) return '?';
  return character;
}
