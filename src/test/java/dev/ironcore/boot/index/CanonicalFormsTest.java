package dev.ironcore.boot.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalFormsTest {
  @Test
  void systemUuidIsTrimmedAndLowerCase() {
    assertThat(SystemUuid.canonical(" 8A1B2C3D-0000-4000-8000-0000000000AB ")).isEqualTo("8a1b2c3d-0000-4000-8000-0000000000ab");
    assertThat(SystemUuid.canonical("  ")).isNull();
    assertThat(SystemUuid.canonical(null)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"8a1b2c3d-0000-4000-8000-0000000000ab", "ABC_123", "serial.42:x"})
  void acceptsUuidLikeIdentifiers(String uuid) {
    assertThat(SystemUuid.isAcceptable(uuid)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a/b", "a..b", "a\u0000b", "a\nb", "-leading", "a b", "a%2Fb", "\u00fcber"})
  void rejectsPathControlAndOtherCharacters(String uuid) {
    assertThat(SystemUuid.isAcceptable(uuid)).isFalse();
  }

  @Test
  void rejectsUuidsLongerThan128Characters() {
    assertThat(SystemUuid.isAcceptable("a".repeat(128))).isTrue();
    assertThat(SystemUuid.isAcceptable("a".repeat(129))).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "AA:BB:CC:DD:EE:FF, aa:bb:cc:dd:ee:ff",
      "aa-bb-cc-dd-ee-ff, aa:bb:cc:dd:ee:ff",
      "aabb.ccdd.eeff, aa:bb:cc:dd:ee:ff",
      "AABBCCDDEEFF, aa:bb:cc:dd:ee:ff",
      "' 10.0.0.1 ', 10.0.0.1",
      "2001:DB8:0:0:0:0:0:5, 2001:db8::5",
      "2001:db8::5, 2001:db8::5",
      "::1, ::1",
      "Host-Name, host-name"})
  void networkIdentifiersHaveOneSpelling(String raw, String canonical) {
    assertThat(NetworkIdentifier.canonical(raw)).isEqualTo(canonical);
  }

  @Test
  void mixedMacSeparatorsAndNamesAreNotTakenForAddresses() {
    assertThat(NetworkIdentifier.canonical("aa:bb-cc:dd:ee:ff")).isEqualTo("aa:bb-cc:dd:ee:ff");
    assertThat(NetworkIdentifier.canonicalIp("example.org")).isNull();
    assertThat(NetworkIdentifier.canonicalIp("10.0.0.256")).isNull();
    assertThat(NetworkIdentifier.canonical(null)).isNull();
  }
}
