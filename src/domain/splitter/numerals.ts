const DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** Chinese numerals up to 九十九 ("十二", "二十", "两"), or Arabic digits; undefined otherwise. */
export function parseNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^[〇零一二两三四五六七八九十]+$/.test(text)) return undefined;
  const ten = text.indexOf("十");
  if (ten === -1) {
    if (text.length !== 1) return undefined;
    return DIGITS[text];
  }
  const tens = ten === 0 ? 1 : DIGITS[text.slice(0, ten)];
  const unitsText = text.slice(ten + 1);
  const units = unitsText === "" ? 0 : DIGITS[unitsText];
  if (tens === undefined || units === undefined || text.slice(0, ten).length > 1 || unitsText.length > 1) {
    return undefined;
  }
  return tens * 10 + units;
}

/** The Chinese numeral characters, for building patterns. */
export const CN = "〇零一二两三四五六七八九十";
