package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {
  private static final long SIZE = 1000;

  @ParameterizedTest
  @CsvSource({
      "'bytes=0-99', 0, 100, 'bytes 0-99/1000'",
      "'bytes=100-', 100, 900, 'bytes 100-999/1000'",
      "'bytes=-10', 990, 10, 'bytes 990-999/1000'",
      "'bytes=-5000', 0, 1000, 'bytes 0-999/1000'",
      "'bytes=500-5000', 500, 500, 'bytes 500-999/1000'",
      "'bytes=999-999', 999, 1, 'bytes 999-999/1000'",
      "'Bytes = 1 - 2 ', 1, 2, 'bytes 1-2/1000'"})
  void answers206WithContentRangeForOneSatisfiableRange(String header, long offset, long length, String contentRange) {
    ByteRange range = ByteRange.select(header, SIZE);

    assertThat(range).isEqualTo(new ByteRange(206, offset, length, SIZE));
    assertThat(range.contentRange()).isEqualTo(contentRange);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=1000-", "bytes=1000-2000", "bytes=-0", "bytes=5000-6000"})
  void answers416WithTheSizeWhenTheRangeStartsPastTheEnd(String header) {
    ByteRange range = ByteRange.select(header, SIZE);

    assertThat(range.status()).isEqualTo(416);
    assertThat(range.length()).isZero();
    assertThat(range.contentRange()).isEqualTo("bytes */1000");
  }

  @Test
  void anyRangeOfAnEmptyBlobIsUnsatisfiable() {
    assertThat(ByteRange.select("bytes=0-", 0).status()).isEqualTo(416);
    assertThat(ByteRange.select("bytes=-1", 0).status()).isEqualTo(416);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=0-1,5-6", "bytes=-", "bytes=5-1", "items=0-1", "bytes=a-b", "bytes=0-1;",
      "bytes=1234567890123456789-", "bytes 0-1", "", "bytes=--1", "bytes=0-1\r\nX-Injected: 1"})
  void sendsTheWholeBlobForMultipleOrMalformedRanges(String header) {
    ByteRange range = ByteRange.select(header, SIZE);

    assertThat(range).isEqualTo(ByteRange.whole(SIZE));
    assertThat(range.status()).isEqualTo(200);
    assertThat(range.contentRange()).isNull();
  }

  @Test
  void sendsTheWholeBlobWithoutARangeHeader() {
    assertThat(ByteRange.select(null, SIZE)).isEqualTo(new ByteRange(200, 0, SIZE, SIZE));
  }
}
