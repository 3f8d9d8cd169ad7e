package dev.ironcore.boot.ignition.butane;

import java.math.BigInteger;
import java.util.OptionalLong;

/** Go's strconv.ParseInt(s, 0, 64): a sign, then 0x/0o/0b or a leading 0 (octal), else decimal. */
final class GoIntegers {

  private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private GoIntegers() {}

  static OptionalLong parseBaseZero(String text) {
    BigInteger value = parseBig(text);
    if (value == null || value.bitLength() > 63) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(value.longValueExact());
  }

  /** True for a valid unsigned integer too big for int64 (yaml.v3 resolves it as !!int uint64). */
  static boolean isUnsignedOverflow(String text) {
    BigInteger value = parseBig(text);
    return value != null && value.signum() > 0 && value.bitLength() > 63 && value.compareTo(MAX_UINT64) <= 0;
  }

  private static BigInteger parseBig(String text) {
    boolean negative = text.startsWith("-");
    String digits = negative || text.startsWith("+") ? text.substring(1) : text;
    int radix = 10;
    String lower = digits.toLowerCase();
    if (lower.startsWith("0x")) {
      radix = 16;
      digits = digits.substring(2);
    } else if (lower.startsWith("0o")) {
      radix = 8;
      digits = digits.substring(2);
    } else if (lower.startsWith("0b")) {
      radix = 2;
      digits = digits.substring(2);
    } else if (digits.length() > 1 && digits.startsWith("0")) {
      radix = 8;
      digits = digits.substring(1);
    }
    if (!isDigitsIn(digits, radix)) {
      return null;
    }
    BigInteger value = new BigInteger(digits, radix);
    return negative ? value.negate() : value;
  }

  private static boolean isDigitsIn(String digits, int radix) {
    return !digits.isEmpty() && digits.chars().allMatch(c -> c < 128 && Character.digit(c, radix) >= 0);
  }
}
