package dev.ironcore.boot.ignition.butane;

import static dev.ironcore.boot.ignition.butane.Butane.translate;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** BUTANE.md §1.3: unknown keys, including keys of newer spec versions, are warnings and dropped. */
class UnknownKeysTest {

  @Test
  void an_unknown_key_is_a_warning_with_its_position_and_is_dropped() {
    Translation translation = translate("variant: fcos\nversion: 1.4.0\nstorage:\n  filez: []\n");
    assertThat(translation.ignitionJson()).isEqualTo("{\"ignition\":{\"version\":\"3.3.0\"}}");
    assertThat(translation.warnings()).containsExactly("warning at $.storage.filez, line 4 column 3: Unused key filez");
  }

  @Test
  void kernel_arguments_before_1_4_0_is_unknown() {
    Translation translation = translate("variant: fcos\nversion: 1.3.0\nkernel_arguments:\n  should_exist: [a]\n");
    assertThat(translation.ignitionJson()).isEqualTo("{\"ignition\":{\"version\":\"3.2.0\"}}");
    assertThat(translation.warnings()).singleElement().asString().contains("Unused key kernel_arguments");
  }

  @Test
  void grub_before_1_5_0_is_unknown() {
    Translation translation = translate(
        "variant: fcos\nversion: 1.4.0\ngrub:\n  users:\n    - name: root\n      password_hash: x\n");
    assertThat(translation.ignitionJson()).isEqualTo("{\"ignition\":{\"version\":\"3.3.0\"}}");
    assertThat(translation.warnings()).singleElement().asString().contains("Unused key grub");
  }

  @Test
  void a_field_of_a_newer_version_inside_a_known_object_is_unknown() {
    Translation translation = translate("variant: fcos\nversion: 1.1.0\npasswd:\n  users:\n"
        + "    - name: core\n      should_exist: false\n");
    assertThat(Butane.json(translation.ignitionJson()))
        .isEqualTo(Butane.json("{'ignition':{'version':'3.1.0'},'passwd':{'users':[{'name':'core'}]}}"));
    assertThat(translation.warnings()).singleElement().asString()
        .isEqualTo("warning at $.passwd.users.0.should_exist, line 6 column 7: Unused key should_exist");
  }

  @Test
  void the_type_of_an_unknown_key_does_not_matter() {
    Translation translation = translate("variant: fcos\nversion: 1.0.0\nignition:\n  proxy: [1, 2]\n");
    assertThat(translation.ignitionJson()).isEqualTo("{\"ignition\":{\"version\":\"3.0.0\"}}");
    assertThat(translation.warnings()).hasSize(1);
  }
}
