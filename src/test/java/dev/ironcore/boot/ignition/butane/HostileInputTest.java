package dev.ironcore.boot.ignition.butane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad input must be rejected quickly and without exhausting memory. */
@Timeout(60) // a runaway expansion never ends; a busy CI machine may need tens of seconds for a rejected one
class HostileInputTest {

  private final ButaneTranslator translator = new ButaneTranslator();

  private void assertRejected(String yaml, String message) {
    assertThatThrownBy(() -> translator.translate(yaml.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ButaneException.class).hasMessageContaining(message);
  }

  @Test
  void a_document_over_1_mib_is_rejected_before_parsing() {
    byte[] huge = new byte[ButaneTranslator.MAX_INPUT_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) '#');
    long start = System.nanoTime();
    assertThatThrownBy(() -> translator.translate(huge)).isInstanceOf(ButaneException.class)
        .hasMessage("config is too large: 1048577 bytes, the limit is 1048576");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void deeply_nested_flow_collections_are_rejected() {
    assertRejected("variant: fcos\nversion: 1.4.0\nx: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n",
        "exceeded max depth");
  }

  @Test
  void deeply_nested_block_mappings_are_rejected() {
    StringBuilder yaml = new StringBuilder("variant: fcos\nversion: 1.4.0\n");
    for (int i = 0; i < 300; i++) {
      yaml.append(" ".repeat(i)).append("k:\n");
    }
    assertRejected(yaml.toString(), "exceeded max depth");
  }

  @Test
  void billion_laughs_of_nested_lists_fail_at_the_first_type_mismatch() {
    StringBuilder yaml = new StringBuilder("variant: fcos\nversion: 1.4.0\nx0: &a0 [{name: lol}]\n");
    for (int i = 1; i < 10; i++) {
      String prev = "*a" + (i - 1);
      yaml.append("x").append(i).append(": &a").append(i).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(10, prev))).append("]\n");
    }
    // passwd.users holds objects, so the first nested list is a type error: nothing is expanded.
    assertRejected(yaml + "passwd:\n  users: *a9\n", "cannot unmarshal");
  }

  @Test
  void exponential_aliases_through_merge_keys_are_rejected() {
    StringBuilder yaml = new StringBuilder("variant: fcos\nversion: 1.4.0\nx0: &a0 {name: lol}\n");
    for (int i = 1; i < 30; i++) {
      String prev = "*a" + (i - 1);
      yaml.append("x").append(i).append(": &a").append(i).append(" {<<: [").append(prev).append(", ")
          .append(prev).append("]}\n");
    }
    assertRejected(yaml + "passwd:\n  users: [*a29]\n", "excessive aliasing");
  }

  @Test
  void wide_aliasing_of_large_objects_is_rejected() {
    StringBuilder yaml = new StringBuilder("variant: fcos\nversion: 1.4.0\nx: &p {label: p, size_mib: 1}\n");
    yaml.append("y: &parts [").append(String.join(", ", java.util.Collections.nCopies(2000, "*p"))).append("]\n");
    yaml.append("z: &disk {device: /dev/vda, partitions: *parts}\n");
    yaml.append("storage:\n  disks: [").append(String.join(", ", java.util.Collections.nCopies(2000, "*disk")))
        .append("]\n");
    assertRejected(yaml.toString(), "excessive aliasing");
  }

  @Test
  void an_alias_to_an_unknown_anchor_is_rejected() {
    assertRejected("variant: fcos\nversion: 1.4.0\nstorage: *nothing\n", "unknown anchor");
  }

  @Test
  void unknown_keys_with_huge_alias_expansions_are_not_expanded() {
    StringBuilder yaml = new StringBuilder("variant: fcos\nversion: 1.4.0\nx0: &a0 [lol]\n");
    for (int i = 1; i < 30; i++) {
      yaml.append("x").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a")
          .append(i - 1).append("]\n");
    }
    Translation translation = translator.translate(yaml.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(translation.warnings()).hasSize(30);
  }
}
