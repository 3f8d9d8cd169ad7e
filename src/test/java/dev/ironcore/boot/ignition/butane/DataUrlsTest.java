package dev.ironcore.boot.ignition.butane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** BUTANE.md §4: the exact data URL encoding. */
class DataUrlsTest {

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void percent_encoding_keeps_only_unreserved_characters() {
    assertThat(DataUrls.percentEncode(bytes("Az09-_.!~*'() /+=%\n")))
        .isEqualTo("Az09-_.!~*'()%20%2F%2B%3D%25%0A");
  }

  @Test
  void each_utf8_byte_is_escaped_in_uppercase_hex() {
    assertThat(DataUrls.percentEncode(bytes("é"))).isEqualTo("%C3%A9");
  }

  @Test
  void plain_text_stays_percent_encoded() {
    assertThat(DataUrls.shortest(bytes("hello world"))).isEqualTo("data:,hello%20world");
  }

  @Test
  void text_with_many_escapes_becomes_base64() {
    assertThat(DataUrls.shortest(bytes("日本"))).isEqualTo("data:;base64,5pel5pys");
  }

  @Test
  void the_empty_string_is_an_empty_percent_url() {
    assertThat(DataUrls.shortest(new byte[0])).isEqualTo("data:,");
  }

  @Test
  void a_tie_goes_to_percent_encoding() {
    // "%%%" -> ",%25%25%25" (10 chars) and ";base64,JSUl" (12): percent; find an exact tie too.
    byte[] tie = bytes("a b");
    String percent = ",a%20b";
    String base64 = ";base64,YSBi";
    assertThat(base64.length()).isGreaterThan(percent.length());
    assertThat(DataUrls.shortest(tie)).isEqualTo("data:" + percent);
    byte[] equalLength = {(byte) 0xff, (byte) 0xfe, (byte) 0xfd, 'a', 'b', 'c', 'd'};
    assertThat(",%FF%FE%FDabcd").hasSize(14);
    assertThat(";base64,//79YWJjZA==").hasSize(20);
    assertThat(DataUrls.shortest(equalLength)).isEqualTo("data:,%FF%FE%FDabcd");
  }

  @Test
  void fcos_1_0_always_percent_encodes() {
    assertThat(DataUrls.percentEncoded(bytes("日本"))).isEqualTo("data:,%E6%97%A5%E6%9C%AC");
  }
}
