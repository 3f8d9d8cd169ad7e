package dev.ironcore.boot.ignition.butane;

import static dev.ironcore.boot.ignition.butane.Butane.assertRejected;
import static dev.ironcore.boot.ignition.butane.Butane.assertTranslates;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** BUTANE.md §1: variant and version select the translator and the Ignition spec version. */
class VariantVersionTest {

  @ParameterizedTest(name = "fcos {0} -> Ignition {1}")
  @CsvSource({"1.0.0, 3.0.0", "1.1.0, 3.1.0", "1.2.0, 3.2.0", "1.3.0, 3.2.0", "1.4.0, 3.3.0", "1.5.0, 3.4.0",
      "1.6.0, 3.5.0", "1.7.0, 3.6.0"})
  void each_fcos_version_maps_to_its_ignition_version(String butane, String ignition) {
    assertTranslates("variant: fcos\nversion: " + butane + "\n", "{'ignition':{'version':'" + ignition + "'}}");
  }

  @Test
  void an_empty_body_has_no_variant() {
    assertRejected("").hasMessage("error parsing variant; must be specified");
  }

  @Test
  void a_missing_variant_is_rejected() {
    assertRejected("version: 1.4.0\n").hasMessage("error parsing variant; must be specified");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.7", "v1.7.0", "1", "latest", "01.7.0", "\"\""})
  void a_version_that_is_not_semver_is_rejected(String version) {
    assertRejected("variant: fcos\nversion: " + version + "\n")
        .hasMessage("error parsing version; must be a valid semver");
  }

  @Test
  void a_missing_version_is_not_semver() {
    assertRejected("variant: fcos\n").hasMessage("error parsing version; must be a valid semver");
  }

  @ParameterizedTest
  @CsvSource({"fcos, 1.8.0", "fcos, 1.7.0+x", "fcos, 0.9.0", "fcos, 2.0.0", "nixos, 1.0.0", "FCOS, 1.4.0"})
  void an_unregistered_pair_has_no_translator(String variant, String version) {
    assertRejected("variant: " + variant + "\nversion: " + version + "\n")
        .hasMessage("No translator exists for variant " + variant + " with version " + version);
  }

  @ParameterizedTest
  @CsvSource({"fcos, 1.8.0-experimental", "flatcar, 1.1.0", "openshift, 4.18.0", "r4e, 1.1.0", "fiot, 1.0.0"})
  void other_registered_variants_and_experimental_versions_are_not_supported(String variant, String version) {
    assertRejected("variant: " + variant + "\nversion: " + version + "\n")
        .hasMessage("variant " + variant + " with version " + version
            + " is not supported here; supported: fcos 1.0.0 to 1.7.0");
  }

  @Test
  void rhcos_has_its_own_removed_error() {
    assertRejected("variant: rhcos\nversion: 0.1.0\n").hasMessageContaining("rhcos variant has been removed");
  }

  @Test
  void a_list_at_the_top_is_rejected() {
    assertRejected("- variant: fcos\n- version: 1.4.0\n")
        .hasMessageStartingWith("Error unmarshaling yaml: line 1 column 1: cannot unmarshal !!seq");
  }

  @Test
  void a_scalar_document_is_rejected() {
    assertRejected("just text\n").hasMessageStartingWith("Error unmarshaling yaml: line 1 column 1: cannot unmarshal !!str");
  }

  @Test
  void text_that_is_not_yaml_is_rejected() {
    assertRejected("variant: fcos\nversion: [1.4.0\n").hasMessageStartingWith("Error unmarshaling yaml:");
  }

  @Test
  void a_variant_that_is_not_a_string_is_rejected() {
    assertRejected("variant: [fcos]\nversion: 1.4.0\n").hasMessageContaining("cannot unmarshal !!seq into string");
  }

  @Test
  void the_version_is_checked_before_the_rest_of_the_document() {
    assertRejected("variant: fcos\nversion: 1.4\nstorage: 5\n")
        .hasMessage("error parsing version; must be a valid semver");
  }
}
