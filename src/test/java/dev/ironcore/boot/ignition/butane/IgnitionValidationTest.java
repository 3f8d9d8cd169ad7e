package dev.ironcore.boot.ignition.butane;

import static dev.ironcore.boot.ignition.butane.Butane.assertRejected;
import static dev.ironcore.boot.ignition.butane.Butane.translate;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BUTANE.md §9b: Ignition's validation of the generated config rejects it. */
class IgnitionValidationTest {

  private static final String HEAD = "variant: fcos\nversion: 1.4.0\n";

  private static String files(String entries) {
    return HEAD + "storage:\n  files:\n" + entries;
  }

  @Test
  void a_duplicate_file_path_is_rejected_naming_the_second_entry() {
    assertRejected(files("    - path: /etc/a\n    - path: /etc/a\n"))
        .hasMessage("error at $.storage.files.1.path, line 6 column 13: duplicate entry defined");
  }

  @Test
  void a_file_and_a_directory_at_the_same_path_are_rejected() {
    assertRejected(files("    - path: /etc/a\n") + "  directories:\n    - path: /etc/a\n")
        .hasMessageContaining("$.storage.directories.0.path").hasMessageContaining("duplicate entry");
  }

  @Test
  void duplicate_units_users_groups_and_ssh_keys_are_rejected() {
    assertRejected(HEAD + "systemd:\n  units:\n    - name: a.service\n    - name: a.service\n")
        .hasMessageContaining("$.systemd.units.1.name").hasMessageContaining("duplicate");
    assertRejected(HEAD + "passwd:\n  users:\n    - name: core\n    - name: core\n")
        .hasMessageContaining("$.passwd.users.1.name");
    assertRejected(HEAD + "passwd:\n  groups:\n    - name: g\n    - name: g\n")
        .hasMessageContaining("$.passwd.groups.1.name");
    assertRejected(HEAD + "passwd:\n  users:\n    - name: core\n      ssh_authorized_keys: [k, k]\n")
        .hasMessageContaining("$.passwd.users.0.ssh_authorized_keys.1").hasMessageContaining("duplicate");
  }

  @Test
  void a_duplicate_drop_in_is_rejected() {
    assertRejected(HEAD + "systemd:\n  units:\n    - name: a.service\n      dropins:\n        - name: x.conf\n"
        + "        - name: x.conf\n").hasMessageContaining("$.systemd.units.0.dropins.1.name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"etc/a", "/etc//a", "/etc/../a", "/etc/a/", "/etc/./a", "\"\""})
  void paths_must_be_absolute_and_clean(String path) {
    assertRejected(files("    - path: " + path + "\n")).hasMessageContaining("$.storage.files.0.path, line 5 column 13");
  }

  @Test
  void a_relative_path_names_the_problem() {
    assertRejected(files("    - path: etc/a\n")).hasMessageEndingWith("path not absolute");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://h/a", "file:///etc/a", "no-scheme", "gs://b/o"})
  void unsupported_url_schemes_are_rejected_in_3_1_0(String url) {
    assertRejected("variant: fcos\nversion: 1.1.0\nstorage:\n  files:\n    - path: /etc/a\n      contents:\n"
        + "        source: " + url + "\n").hasMessageContaining("$.storage.files.0.contents.source")
        .hasMessageContaining("invalid url scheme");
  }

  @Test
  void gs_urls_are_accepted_from_3_2_0_and_arn_from_3_4_0() {
    assertThat(translate(files("    - path: /etc/a\n      contents:\n        source: gs://bucket/o\n")).ignitionJson())
        .contains("gs://bucket/o");
    assertRejected(files("    - path: /etc/a\n      contents:\n        source: arn:aws:s3:::b/o\n"))
        .hasMessageContaining("invalid url scheme");
    assertThat(translate("variant: fcos\nversion: 1.5.0\nstorage:\n  files:\n    - path: /etc/a\n      contents:\n"
        + "        source: arn:aws:s3:::b/o\n").ignitionJson()).contains("arn:aws:s3:::b/o");
  }

  @Test
  void a_data_url_that_does_not_decode_is_rejected() {
    assertRejected(files("    - path: /etc/a\n      contents:\n        source: \"data:;base64,%%%\"\n"))
        .hasMessageContaining("invalid data url");
    assertRejected(files("    - path: /etc/a\n      contents:\n        source: data:text/plain\n"))
        .hasMessageContaining("invalid data url");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha512-abc", "md5-" + "0123456789abcdef0123456789abcdef", "sha512-"})
  void an_invalid_hash_is_rejected(String hash) {
    assertRejected(files("    - path: /etc/a\n      contents:\n        source: http://h/a\n        verification:\n"
        + "          hash: " + hash + "\n")).hasMessageContaining("$.storage.files.0.contents.verification.hash")
        .hasMessageContaining("invalid hash");
  }

  @Test
  void sha256_hashes_are_accepted_from_3_1_0() {
    String hash = "sha256-" + "0".repeat(64);
    String body = "storage:\n  files:\n    - path: /etc/a\n      contents:\n        source: http://h/a\n"
        + "        verification:\n          hash: " + hash + "\n";
    assertThat(translate("variant: fcos\nversion: 1.1.0\n" + body).ignitionJson()).contains(hash);
    assertRejected("variant: fcos\nversion: 1.0.0\n" + body).hasMessageContaining("invalid hash");
  }

  @Test
  void verification_without_a_source_is_rejected() {
    assertRejected(files("    - path: /etc/a\n      contents:\n        verification:\n          hash: sha512-"
        + "0".repeat(128) + "\n")).hasMessageContaining("verification requires a source");
  }

  @Test
  void an_unknown_compression_is_rejected() {
    assertRejected(files("    - path: /etc/a\n      contents:\n        inline: a\n        compression: xz\n"))
        .hasMessageContaining("$.storage.files.0.contents.compression").hasMessageContaining("invalid compression");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "a.conf", "a.services", "a.service.d"})
  void a_unit_name_needs_a_unit_suffix(String name) {
    assertRejected(HEAD + "systemd:\n  units:\n    - name: " + name + "\n")
        .hasMessageContaining("$.systemd.units.0.name").hasMessageContaining("invalid systemd unit extension");
  }

  @Test
  void a_drop_in_must_end_with_conf() {
    assertRejected(HEAD + "systemd:\n  units:\n    - name: a.service\n      dropins:\n        - name: x.service\n")
        .hasMessageContaining("drop-in extension");
  }

  @Test
  void invalid_unit_contents_are_rejected() {
    assertRejected(HEAD + "systemd:\n  units:\n    - name: a.service\n      contents: |\n        [Unit]\n        oops\n")
        .hasMessageContaining("$.systemd.units.0.contents").hasMessageContaining("invalid unit content");
  }

  @Test
  void a_file_at_a_units_path_is_rejected() {
    assertRejected(files("    - path: /etc/systemd/system/a.service\n")
        + "systemd:\n  units:\n    - name: a.service\n").hasMessageContaining("$.systemd.units.0.name");
  }

  @Test
  void overwrite_needs_contents() {
    assertRejected(files("    - path: /etc/a\n      overwrite: true\n"))
        .hasMessageContaining("$.storage.files.0.overwrite").hasMessageContaining("source is unspecified");
  }

  @Test
  void a_link_needs_a_target() {
    assertRejected(HEAD + "storage:\n  links:\n    - path: /etc/l\n")
        .hasMessageContaining("$.storage.links.0").hasMessageContaining("link target is required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "0o10000", "99999"})
  void a_mode_outside_0_to_07777_is_rejected(String mode) {
    assertRejected(files("    - path: /etc/a\n      mode: " + mode + "\n")).hasMessageContaining("illegal file mode");
  }

  @Test
  void a_node_owner_with_both_id_and_name_is_rejected() {
    assertRejected(files("    - path: /etc/a\n      user:\n        id: 0\n        name: root\n"))
        .hasMessageContaining("$.storage.files.0.user.name").hasMessageContaining("cannot set both id and name");
  }

  @Test
  void filesystem_rules() {
    String fs = HEAD + "storage:\n  filesystems:\n    - device: /dev/vdb\n";
    assertRejected(fs + "      format: ntfs\n").hasMessageContaining("invalid filesystem format");
    assertRejected(fs + "      label: data\n").hasMessageContaining("format is required");
    assertRejected(fs + "      format: xfs\n      label: thirteen-char\n").hasMessageContaining("label is too long");
    assertRejected(fs + "      format: ext4\n      path: var\n").hasMessageContaining("path not absolute");
    assertRejected("variant: fcos\nversion: 1.3.0\nstorage:\n  filesystems:\n    - device: /dev/vdb\n      format: none\n")
        .hasMessageContaining("invalid filesystem format");
    assertThat(translate(fs + "      format: none\n").ignitionJson()).contains("\"format\":\"none\"");
  }

  @Test
  void raid_rules() {
    String raid = HEAD + "storage:\n  raid:\n    - name: md0\n";
    assertRejected(raid + "      level: raid7\n      devices: [/dev/a]\n").hasMessageContaining("raid level is invalid");
    assertRejected(raid + "      level: raid1\n").hasMessageContaining("raid requires devices");
  }

  @Test
  void luks_rules() {
    String luks = "variant: fcos\nversion: 1.2.0\nstorage:\n  luks:\n";
    assertRejected(luks + "    - name: data\n").hasMessageContaining("luks device is required");
    assertRejected(luks + "    - name: a/b\n      device: /dev/vdb\n").hasMessageContaining("may not contain '/'");
    assertRejected(luks + "    - name: d\n      device: /dev/vdb\n      clevis:\n        tpm2: true\n        custom:\n"
        + "          pin: sss\n          config: '{}'\n").hasMessageContaining("custom clevis");
    assertRejected(luks + "    - name: d\n      device: /dev/vdb\n      clevis:\n        tang:\n          - url: ftp://t\n"
        + "            thumbprint: x\n").hasMessageContaining("$.storage.luks.0.clevis.tang.0.url");
    assertRejected(luks + "    - name: d\n      device: /dev/vdb\n      clevis:\n        tang:\n          - url: http://t\n")
        .hasMessageContaining("thumbprint is required");
    assertRejected("variant: fcos\nversion: 1.5.0\nstorage:\n  luks:\n    - name: d\n      device: /dev/vdb\n"
        + "      clevis:\n        tang:\n          - url: http://t\n            thumbprint: x\n"
        + "            advertisement: '{nope'\n").hasMessageContaining("advertisement is not valid JSON");
  }

  @Test
  void partition_rules() {
    String disk = HEAD + "storage:\n  disks:\n    - device: /dev/vda\n      partitions:\n";
    assertRejected(disk + "        - label: " + "x".repeat(37) + "\n").hasMessageContaining("36 characters");
    assertRejected(disk + "        - label: a\n        - label: a\n").hasMessageContaining("duplicate");
    assertRejected(disk + "        - label: a\n          type_guid: not-a-guid\n").hasMessageContaining("invalid GUID");
  }

  @Test
  void proxies_must_be_http_or_https() {
    assertRejected(HEAD + "ignition:\n  proxy:\n    http_proxy: socks5://p\n")
        .hasMessageContaining("$.ignition.proxy.http_proxy");
  }

  @Test
  void a_kernel_argument_in_both_lists_is_rejected() {
    assertRejected(HEAD + "kernel_arguments:\n  should_exist: [quiet]\n  should_not_exist: [quiet]\n")
        .hasMessageContaining("$.kernel_arguments.should_not_exist.0").hasMessageContaining("duplicate");
  }

  @Test
  void warnings_do_not_reject() {
    Translation translation = translate(files("    - path: /etc/a\n      mode: 644\n    - path: /etc/b\n      mode: 04755\n")
        + "  links:\n    - path: /etc/l\n      target: /etc/a\n      hard: true\n      user:\n        id: 0\n"
        + "systemd:\n  units:\n    - name: a.service\n      enabled: true\n      contents: \"[Service]\\nType=oneshot\"\n");
    assertThat(translation.warnings())
        .anyMatch(w -> w.contains("$.storage.files.0.mode") && w.contains("decimal"))
        .anyMatch(w -> w.contains("$.storage.files.1.mode") && w.contains("setuid"))
        .anyMatch(w -> w.contains("$.storage.links.0") && w.contains("hard links"))
        .anyMatch(w -> w.contains("$.systemd.units.0") && w.contains("no install section"));
    assertThat(Butane.json(translation.ignitionJson()).at("/storage/files/0/mode").asInt()).isEqualTo(644);
  }

  @Test
  void setuid_modes_stop_warning_in_1_7_0() {
    Translation translation = translate("variant: fcos\nversion: 1.7.0\nstorage:\n  files:\n    - path: /etc/b\n"
        + "      mode: 04755\n");
    assertThat(translation.warnings()).isEmpty();
  }

  @Test
  void from_1_6_0_an_image_partition_label_without_its_number_warns() {
    String disk = "storage:\n  disks:\n    - device: /dev/vda\n      partitions:\n        - label: root\n          size_mib: 8192\n";
    assertThat(translate("variant: fcos\nversion: 1.6.0\n" + disk).warnings()).singleElement().asString()
        .startsWith("warning at $.storage.disks.0.partitions.0.label, line 7 column 18: partition root should have number 4");
    assertThat(translate("variant: fcos\nversion: 1.5.0\n" + disk).warnings()).isEmpty();
    assertThat(translate("variant: fcos\nversion: 1.6.0\n" + disk.replace("size_mib: 8192", "number: 4")).warnings())
        .isEmpty();
  }
}
